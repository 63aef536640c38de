"""Contact persons: phone numbers read in the enterprise's region and kept in international form;
the same person cannot be added twice; numbers stored before are converted by the migration."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from enterprises.models import ContactPerson
from enterprises.services import contacts
from tests.factories import EnterpriseFactory, member_of

pytestmark = pytest.mark.django_db

INVALID = "This is not a phone number we can read: check the digits, or give it with + and the country code."


def hong_kong_firm():
    return EnterpriseFactory(kind="hong_kong", uscc=None, hk_br="71234567", district="", data_residency="hong_kong")


def overseas_firm():
    return EnterpriseFactory(kind="overseas", uscc=None, district="", data_residency="overseas")


def add(client, enterprise, **changes):
    data = {"name": "Chan Tai Man", "title": "", "email": "tm.chan@example.com", "phone": "", "attest": "on"}
    data.update(changes)
    return client.post(reverse("contact_list", args=[enterprise.reference]), data)


def page(client, enterprise):
    return client.get(reverse("contact_list", args=[enterprise.reference])).content.decode()


@pytest.mark.parametrize(
    ("make", "typed", "stored", "shown"),
    [
        (hong_kong_firm, "+852 2123 4567", "+85221234567", "+852 2123 4567"),
        (hong_kong_firm, "21234567", "+85221234567", "+852 2123 4567"),
        (hong_kong_firm, "2123-4567", "+85221234567", "+852 2123 4567"),
        (EnterpriseFactory, "138 0013 8000", "+8613800138000", "+86 138 0013 8000"),
        (EnterpriseFactory, "(0571) 8888 0000", "+8657188880000", "+86 571 8888 0000"),
        (hong_kong_firm, "+86 138 0013 8000", "+8613800138000", "+86 138 0013 8000"),
        (overseas_firm, "+44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
    ],
)
def test_a_phone_is_read_in_the_firms_region_and_stored_in_international_form(client, make, typed, stored, shown):
    enterprise = make()
    client.force_login(member_of(enterprise, "owner"))
    response = add(client, enterprise, phone=typed)
    assert response.status_code == 302
    contact = ContactPerson.objects.get()
    assert ContactPerson.objects.filter(phone=stored).exists()
    assert contact.phone.as_e164 == stored
    assert shown in page(client, enterprise)


@pytest.mark.parametrize(
    ("make", "typed"),
    [
        (hong_kong_firm, "call me"),
        (hong_kong_firm, "1234"),
        (EnterpriseFactory, "+86 12"),
        # Overseas firms have no region to read a local number in: it needs its + and country code.
        (overseas_firm, "2079460958"),
    ],
)
def test_a_number_that_is_not_one_is_refused_on_the_phone_field(client, make, typed):
    enterprise = make()
    client.force_login(member_of(enterprise, "owner"))
    response = add(client, enterprise, phone=typed)
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [INVALID]
    assert f'id="id_phone_error">{INVALID}' in response.content.decode()
    assert not ContactPerson.objects.exists()


def test_the_phone_help_says_how_to_type_a_number_for_the_firms_region(client):
    hk, mainland, overseas = hong_kong_firm(), EnterpriseFactory(), overseas_firm()
    for enterprise, example in ((hk, "2123 4567"), (mainland, "138 0013 8000"), (overseas, "+44 20 7946 0958")):
        client.force_login(member_of(enterprise, "owner"))
        html = page(client, enterprise)
        assert example in html
        assert 'type="tel"' in html


def test_the_service_reads_the_number_in_the_firms_region_too(django_capture_on_commit_callbacks):
    enterprise = hong_kong_firm()
    owner = member_of(enterprise, "owner")
    contact = contacts.add_contact(enterprise, actor=owner, name="Lee", email="lee@example.com", phone="9123 4567")
    contact.refresh_from_db()
    assert str(contact.phone) == "+852 9123 4567"
    with pytest.raises(ValidationError) as refused:
        contacts.add_contact(enterprise, actor=owner, name="Ho", email="ho@example.com", phone="not a number")
    assert "phone" in refused.value.message_dict


# --- The same person twice ---------------------------------------------------------------------


DUPLICATE_EMAIL = "This person is already a contact of the enterprise, with the same name and e-mail address."
DUPLICATE_PHONE = "This person is already a contact of the enterprise, with the same name and phone number."


def test_the_same_person_with_the_same_email_is_refused_with_a_clear_message(client):
    enterprise = hong_kong_firm()
    client.force_login(member_of(enterprise, "owner"))
    add(client, enterprise)
    response = add(client, enterprise, name="chan tai man", email="TM.Chan@example.com")
    assert response.status_code == 200
    assert DUPLICATE_EMAIL in response.content.decode()
    assert ContactPerson.objects.count() == 1


def test_the_same_person_with_the_same_phone_however_typed_is_refused(client):
    enterprise = hong_kong_firm()
    client.force_login(member_of(enterprise, "owner"))
    add(client, enterprise, phone="+852 2123 4567")
    response = add(client, enterprise, email="other@example.com", phone="2123 4567")
    assert DUPLICATE_PHONE in response.content.decode()
    assert ContactPerson.objects.count() == 1


def test_different_people_or_another_enterprise_are_not_duplicates(client):
    enterprise, other = hong_kong_firm(), EnterpriseFactory()
    owner = member_of(enterprise, "owner")
    contacts.add_contact(enterprise, actor=owner, name="Chan Tai Man", email="tm.chan@example.com", phone="")
    # Same e-mail address, another name (a shared mailbox); same name, another address; no phone twice.
    contacts.add_contact(enterprise, actor=owner, name="Office", email="tm.chan@example.com", phone="")
    contacts.add_contact(enterprise, actor=owner, name="Chan Tai Man", email="chan@home.example", phone="")
    other_owner = member_of(other, "owner")
    contacts.add_contact(other, actor=other_owner, name="Chan Tai Man", email="tm.chan@example.com", phone="")
    assert ContactPerson.objects.count() == 4


def test_the_database_refuses_a_duplicate_that_skips_the_service():
    enterprise = hong_kong_firm()
    ContactPerson.objects.create(enterprise=enterprise, name="Chan", email="chan@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactPerson.objects.create(enterprise=enterprise, name="CHAN", email="Chan@Example.com")


def test_a_duplicate_added_by_a_parallel_request_is_refused_with_the_same_message(monkeypatch):
    """The check passes (the other request has not committed yet), the insert hits the constraint."""
    enterprise = hong_kong_firm()
    owner = member_of(enterprise, "owner")
    ContactPerson.objects.create(enterprise=enterprise, name="Chan", email="chan@example.com")
    monkeypatch.setattr(ContactPerson, "validate_constraints", _skip_once(ContactPerson.validate_constraints))
    with pytest.raises(ValidationError) as refused:
        contacts.add_contact(enterprise, actor=owner, name="Chan", email="chan@example.com", phone="")
    assert refused.value.messages == [DUPLICATE_EMAIL]
    assert ContactPerson.objects.count() == 1


def _skip_once(method):
    calls = []

    def validate_constraints(self, *args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            return method(self, *args, **kwargs)
        return None

    return validate_constraints


# --- Numbers stored before -----------------------------------------------------------------------

BEFORE = ("enterprises", "0007_one_active_consent_wizard_token_plain_text")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_converts_readable_numbers_keeps_the_rest_and_merges_duplicates():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([BEFORE])
        old = executor.loader.project_state([BEFORE]).apps
        firm = old.get_model("enterprises", "Enterprise")
        contact = old.get_model("enterprises", "ContactPerson")
        consent = old.get_model("enterprises", "Consent")
        notice = old.get_model("enterprises", "ConsentNotice").objects.get()
        hk = firm.objects.create(
            reference="ENT-2026-90001", legal_name_en="HK", kind="hong_kong", sector="biopharma", data_residency="hk"
        )
        mainland = firm.objects.create(
            reference="ENT-2026-90002", legal_name_en="CN", kind="mainland", sector="biopharma", data_residency="cn"
        )
        rows = {
            "local": contact.objects.create(enterprise=hk, name="A", email="a@example.com", phone="2123 4567"),
            "mobile": contact.objects.create(
                enterprise=mainland, name="B", email="b@example.com", phone="138-0013-8000"
            ),
            "words": contact.objects.create(enterprise=hk, name="C", email="c@example.com", phone="ext. 12, ask Amy"),
            "first": contact.objects.create(enterprise=hk, name="Dup", email="dup@example.com"),
        }
        twice = contact.objects.create(enterprise=hk, name="DUP", email="Dup@Example.com")
        consent.objects.create(contact=twice, notice=notice)

        MigrationExecutor(connection).migrate(latest)
        phones = {key: str(ContactPerson.objects.get(pk=row.pk).phone) for key, row in rows.items()}
        assert phones == {
            "local": "+852 2123 4567",
            "mobile": "+86 138 0013 8000",
            "words": "ext. 12, ask Amy",  # not a number: left as it was, for a person to fix
            "first": "",
        }
        assert not ContactPerson.objects.filter(pk=twice.pk).exists()
        # The duplicate's consent now belongs to the entry kept.
        assert ContactPerson.objects.get(pk=rows["first"].pk).consents.count() == 1
    finally:
        MigrationExecutor(connection).migrate(latest)

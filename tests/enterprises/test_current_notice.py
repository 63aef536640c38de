"""One rule for "the current consent notice" (the newest already published), on every page that
depends on it: the consent page, the contacts page and the staff view of contact details."""

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import ConsentNotice, ContactPerson
from enterprises.selectors import current_notice
from enterprises.services.consent import record_contact_consent
from hkhz_portal.accounts.roles import Role
from tests.factories import EnterpriseFactory, member_of, user_with_role

pytestmark = pytest.mark.django_db


def publish(version, when):
    return ConsentNotice.objects.create(
        version=version,
        published_at=when,
        text_en=f"Notice {version}.",
        text_zh_hans=f"告知 {version}。",
        text_zh_hant=f"告知 {version}。",
    )


@pytest.fixture
def firm_with_a_consented_contact():
    firm = EnterpriseFactory()
    owner = member_of(firm, "owner")
    contact = ContactPerson.objects.create(enterprise=firm, name="Chan Tai Man", email="tm.chan@harbour.example")
    record_contact_consent(contact, actor=owner)
    return firm, owner


def test_a_notice_dated_tomorrow_changes_nothing_until_its_day(client, firm_with_a_consented_contact):
    firm, owner = firm_with_a_consented_contact
    today = current_notice()
    publish("2099-1", timezone.now() + timezone.timedelta(days=1))
    assert current_notice() == today

    client.force_login(owner)
    consent_page = client.get(reverse("consent")).content.decode()
    assert "Notice 2099-1." not in consent_page
    assert 'name="agree"' not in consent_page  # the owner's consent to today's notice still holds
    contacts_page = client.get(reverse("contact_list", args=[firm.reference])).content.decode()
    assert f"(version {today.version})" in contacts_page

    client.force_login(user_with_role(Role.PROGRAM_OFFICER))
    staff_page = client.get(reverse("staff_enterprise_detail", args=[firm.reference])).content.decode()
    assert "tm.chan@harbour.example" in staff_page
    assert "Withheld" not in staff_page


def test_a_notice_in_force_asks_everyone_again_on_every_page(client, firm_with_a_consented_contact):
    firm, owner = firm_with_a_consented_contact
    publish("2026-2", timezone.now())
    assert current_notice().version == "2026-2"

    client.force_login(owner)
    assert "Notice 2026-2." in client.get(reverse("consent")).content.decode()

    client.force_login(user_with_role(Role.PROGRAM_OFFICER))
    staff_page = client.get(reverse("staff_enterprise_detail", args=[firm.reference])).content.decode()
    assert "tm.chan@harbour.example" not in staff_page
    assert "Withheld" in staff_page

"""Partners in the admin: organisations edited there, keys only read and revoked (audited, the
secret nowhere), and a partner user always acting for an organisation."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from hkhz_portal.accounts import services
from hkhz_portal.accounts.api_keys import Scope, hash_secret
from hkhz_portal.accounts.audit_actions import AuditAction
from hkhz_portal.accounts.models import APIKey, PartnerOrganisation, User
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import AuditEvent
from tests.admin_forms import form_data
from tests.factories import PartnerOrganisationFactory, UserFactory, partner_user, user_with_role

pytestmark = pytest.mark.django_db

KEYS = reverse("admin:accounts_apikey_changelist")


def role_id(role: Role) -> str:
    return str(Group.objects.get_or_create(name=role.value)[0].pk)


@pytest.fixture
def key():
    return services.create_api_key(actor=partner_user(), name="Core banking", scopes=[Scope.CALLS_READ])


def test_an_organisation_is_set_up_and_edited_in_the_admin(admin_site):
    url = reverse("admin:accounts_partnerorganisation_add")
    data = {
        "code": "harbour-law",
        "kind": "law_firm",
        "name_en": "Harbour Law LLP",
        "name_zh_hans": "海港律师事务所",
        "name_zh_hant": "海港律師事務所",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }
    assert admin_site.post(url, data).status_code == 302
    organisation = PartnerOrganisation.objects.get(code="harbour-law")
    partner_user(organisation, email="counsel@harbourlaw.example")
    change = admin_site.get(reverse("admin:accounts_partnerorganisation_change", args=[organisation.pk]))
    assert "counsel@harbourlaw.example" in change.content.decode()


def test_keys_are_read_only_and_show_nothing_of_the_secret(admin_site, key):
    key, secret = key
    assert admin_site.get(reverse("admin:accounts_apikey_add")).status_code == 403
    listing = admin_site.get(KEYS).content.decode()
    assert key.prefix in listing and "Active" in listing
    page = admin_site.get(reverse("admin:accounts_apikey_change", args=[key.pk])).content.decode()
    assert key.prefix in page and "Core banking" in page
    assert secret not in page and hash_secret(secret) not in page and 'name="name"' not in page
    admin_site.post(reverse("admin:accounts_apikey_change", args=[key.pk]), {"name": "Renamed"})
    assert APIKey.objects.get(pk=key.pk).name == "Core banking"


def test_an_admin_revokes_keys_with_an_action_that_is_audited(admin_site, key):
    key, secret = key
    other, _secret = services.create_api_key(actor=partner_user(), name="Other", scopes=[Scope.CALLS_READ])

    response = admin_site.post(KEYS, {"action": "revoke", "_selected_action": [key.pk, other.pk]}, follow=True)

    assert "2 keys were revoked." in response.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == admin_site.admin
    event = AuditEvent.objects.get(action=AuditAction.API_KEY_REVOKED, target_id=str(key.pk))
    assert event.actor == admin_site.admin and secret not in str(event.changes)
    assert admin_site.get("/api/v1/calls/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_only_someone_allowed_to_change_keys_revokes_them_as_an_admin(key):
    key, _secret = key
    with pytest.raises(DomainError) as refused:
        services.revoke_api_key_as_admin(key.pk, actor=partner_user())
    assert refused.value.status == 403
    assert APIKey.objects.get(pk=key.pk).revoked_at is None


def test_a_partner_without_an_organisation_is_refused_on_the_field(admin_site):
    user = user_with_role(Role.APPLICANT, email="lee@bank.example")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = form_data(admin_site.get(url), "user_form")
    data["groups"] = [role_id(Role.PARTNER)]

    response = admin_site.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["partner_organisation"] == [
        "A partner must act for a partner organisation."
    ]
    assert User.objects.get(pk=user.pk).roles == {Role.APPLICANT}


def test_making_someone_a_partner_of_an_organisation_is_audited(admin_site):
    user = user_with_role(Role.APPLICANT, email="lee@bank.example")
    bank = PartnerOrganisationFactory(code="lion-rock-bank")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = form_data(admin_site.get(url), "user_form")
    data.update(groups=[role_id(Role.PARTNER)], partner_organisation=str(bank.pk))

    assert admin_site.post(url, data).status_code == 302

    user = User.objects.get(pk=user.pk)
    assert (user.roles, user.partner_organisation) == ({Role.PARTNER}, bank)
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_CHANGED, target_id=str(user.pk))
    assert event.changes["partner_organisation"] == [None, "lion-rock-bank"]


def test_an_organisation_without_the_partner_role_is_refused(admin_site):
    user = user_with_role(Role.APPLICANT, email="ho@example.com")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = form_data(admin_site.get(url), "user_form")
    data["partner_organisation"] = str(PartnerOrganisationFactory().pk)

    response = admin_site.post(url, data)

    assert response.context["adminform"].form.errors["partner_organisation"]
    assert User.objects.get(pk=user.pk).partner_organisation is None


def test_the_partner_role_is_not_given_without_an_organisation():
    with pytest.raises(DomainError) as refused:
        services.assign_role(UserFactory(), Role.PARTNER, actor=None)
    assert refused.value.field == "partner_organisation"

"""The user admin: roles, unit and account flags change through a service that audits them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from enterprises.models import Consent
from hkhz_portal.accounts.audit_actions import AuditAction
from hkhz_portal.accounts.models import User
from hkhz_portal.accounts.roles import Role, UnitKind
from hkhz_portal.core.models import AuditEvent
from tests.admin_forms import form_data
from tests.factories import UnitFactory, give_consent, user_with_role

pytestmark = pytest.mark.django_db


def role_id(role: Role) -> str:
    return str(Group.objects.get(name=role.value).pk)


def user_form(admin_site, user) -> tuple[str, dict]:
    url = reverse("admin:accounts_user_change", args=[user.pk])
    return url, form_data(admin_site.get(url), "user_form")


def access_events(user):
    return AuditEvent.objects.filter(action=AuditAction.ACCESS_CHANGED, target_id=str(user.pk))


def test_granting_a_role_unit_and_superuser_is_audited_with_the_difference(admin_site):
    user = user_with_role(Role.APPLICANT, email="chan@example.com")
    centre = UnitFactory(code="hk-centre", kind=UnitKind.GO_GLOBAL_CENTRE)
    url, data = user_form(admin_site, user)
    data.update(
        groups=[role_id(Role.APPLICANT), role_id(Role.CENTRE_STAFF)],
        unit=str(centre.pk),
        is_staff="on",
        is_superuser="on",
    )

    response = admin_site.post(url, data, follow=True)

    assert response.status_code == 200
    user = User.objects.get(pk=user.pk)
    assert user.roles == {Role.APPLICANT, Role.CENTRE_STAFF}
    assert (user.unit, user.is_staff, user.is_superuser) == (centre, True, True)
    event = access_events(user).get()
    assert event.actor == admin_site.admin
    assert event.changes == {
        "roles": {"added": ["centre_staff"], "removed": []},
        "unit": [None, "hk-centre"],
        "is_staff": [False, True],
        "is_superuser": [False, True],
    }


def test_revoking_a_role_and_deactivating_are_audited(admin_site):
    officer = user_with_role(Role.PROGRAM_OFFICER, email="officer@example.com")
    url, data = user_form(admin_site, officer)
    data["groups"] = []
    data.pop("is_active")  # an unticked box is not sent

    admin_site.post(url, data)

    officer = User.objects.get(pk=officer.pk)
    assert not officer.roles and not officer.is_active
    assert access_events(officer).get().changes == {
        "roles": {"added": [], "removed": ["program_officer"]},
        "is_active": [True, False],
    }


def test_a_unit_of_the_wrong_kind_is_a_form_error_and_changes_nothing(admin_site):
    user = user_with_role(Role.APPLICANT, email="lee@example.com")
    fund = UnitFactory(code="the-fund", kind=UnitKind.FUND)
    url, data = user_form(admin_site, user)
    data.update(groups=[role_id(Role.CENTRE_STAFF)], unit=str(fund.pk), full_name="Renamed")

    response = admin_site.post(url, data)

    assert response.status_code == 200
    assert "must belong to one of these units" in response.content.decode()
    assert response.context["adminform"].form.errors["unit"]
    user = User.objects.get(pk=user.pk)
    assert (user.roles, user.unit) == ({Role.APPLICANT}, None)
    assert user.full_name != "Renamed"  # nothing of the refused form was saved
    assert not access_events(user).exists()


def test_changing_only_the_name_saves_it_without_an_access_event(admin_site):
    user = user_with_role(Role.APPLICANT, email="ho@example.com")
    url, data = user_form(admin_site, user)
    data["full_name"] = "Ho Wing"

    assert admin_site.post(url, data).status_code == 302

    assert User.objects.get(pk=user.pk).full_name == "Ho Wing"
    assert not access_events(user).exists()


def test_users_are_deactivated_not_deleted_so_their_consents_stay(admin_site):
    user = user_with_role(Role.APPLICANT, email="wong@example.com")
    give_consent(user)

    response = admin_site.post(reverse("admin:accounts_user_delete", args=[user.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Consent.objects.filter(user=user).exists()

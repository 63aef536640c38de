"""Only applicants (and admins) create, and so own, an enterprise."""

import pytest
from django.urls import reverse

from enterprises.models import Enterprise, Membership
from enterprises.services.profile import create_enterprise
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError
from tests.factories import EnterpriseFactory, MembershipFactory, give_consent, user_with_role

pytestmark = pytest.mark.django_db

CREATE = reverse("enterprise_create")
MAY_CREATE = {Role.APPLICANT, Role.ADMIN}
MAY_NOT = [role for role in Role if role not in MAY_CREATE]

FIRM = {
    "legal_name_en": "Westlake Devices Co., Ltd.",
    "legal_name_zh": "西湖器械有限公司",
    "kind": "overseas",
    "sector": "medical_devices",
}


def consenting(role):
    user = user_with_role(role)
    give_consent(user)
    return user


@pytest.mark.parametrize("role", MAY_NOT)
def test_the_service_refuses_other_roles_and_writes_nothing(role):
    with pytest.raises(DomainError) as refused:
        create_enterprise(actor=consenting(role), **FIRM)
    assert (refused.value.status, refused.value.code) == (403, "not_applicant")
    assert "Only applicants can create an enterprise" in str(refused.value.message)
    assert not Enterprise.objects.exists()
    assert not Membership.objects.exists()


@pytest.mark.parametrize("role", sorted(MAY_CREATE))
def test_applicants_and_admins_create_and_own_one(role):
    user = consenting(role)
    enterprise = create_enterprise(actor=user, **FIRM)
    assert Membership.objects.get(enterprise=enterprise).user == user


@pytest.mark.parametrize("role", MAY_NOT)
def test_the_wizard_is_403_for_other_roles(client, role):
    client.force_login(consenting(role))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {"enterprise_create_wizard-current_step": "identity"}).status_code == 403
    assert not Enterprise.objects.exists()


def test_the_wizard_opens_for_an_admin(client):
    client.force_login(consenting(Role.ADMIN))
    assert client.get(CREATE).status_code == 200


@pytest.mark.parametrize("role", MAY_NOT)
def test_my_enterprises_offers_no_create_action_to_other_roles(client, role):
    user = consenting(role)
    client.force_login(user)
    assert CREATE not in client.get(reverse("enterprise_list")).content.decode()
    MembershipFactory(enterprise=EnterpriseFactory(), user=user)  # invited into one
    assert CREATE not in client.get(reverse("enterprise_list")).content.decode()


def test_my_enterprises_offers_the_create_action_to_applicants(client):
    client.force_login(consenting(Role.APPLICANT))
    assert CREATE in client.get(reverse("enterprise_list")).content.decode()

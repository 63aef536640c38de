import re

import pytest
from django.urls import reverse

from hkhz_portal.accounts import services
from hkhz_portal.accounts.roles import Role, UnitKind
from hkhz_portal.accounts.workspaces import WORKSPACES
from hkhz_portal.core.errors import DomainError
from tests.factories import UnitFactory, UserFactory, user_with_role
from tests.funds.factories import make_fund

pytestmark = pytest.mark.django_db

ROLES_WITH_WORKSPACE = {w.role: w.slug for w in WORKSPACES}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_its_dashboard(client, role):
    user = user_with_role(role)
    client.force_login(user)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-role="{role.value}"' in html


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("space", WORKSPACES, ids=lambda w: w.slug)
def test_workspace_matrix(client, role, space):
    """Every role opens its own workspace and those shared with it, and is refused (403) on every
    other role's; a program officer of a service centre (where ``user_with_role`` puts one) opens
    the centre's too."""
    user = user_with_role(role)
    if user.unit is not None and user.unit.kind == UnitKind.FUND:
        make_fund(unit=user.unit)  # the fund's pages are those of a fund
    client.force_login(user)
    response = client.get(space.url)
    leads_it = role == Role.PROGRAM_OFFICER and user.unit.kind in space.led_in
    expected = 200 if space.role == role or role in space.shared_with or leads_it else 403
    assert response.status_code == expected
    if expected == 403:
        assert "You do not have access to this page" in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_only_admins_reach_the_admin_site(client, role):
    client.force_login(user_with_role(role))
    response = client.get(reverse("admin:index"))
    if role == Role.ADMIN:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize("space", [w for w in WORKSPACES if w.led_in], ids=lambda w: w.slug)
def test_a_program_officer_of_the_platform_does_not_have_the_centres_workspaces(client, space):
    user = user_with_role(Role.PROGRAM_OFFICER)
    user.unit = UnitFactory(code="platform", kind=UnitKind.PLATFORM)
    user.save(update_fields=["unit"])
    client.force_login(user)
    assert client.get(space.url).status_code == 403
    assert client.get(reverse("workspace", args=[space.slug])).status_code == 403
    assert f'href="{space.url}"' not in client.get(reverse("dashboard")).content.decode()


def test_header_shows_only_the_users_own_workspaces(client):
    client.force_login(user_with_role(Role.REVIEWER))
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("programs:reviews") in html
    assert reverse("programs:staff_queue") not in html


def test_a_workspace_with_its_own_pages_sends_the_old_link_there(client):
    client.force_login(user_with_role(Role.PROGRAM_OFFICER))
    response = client.get(reverse("workspace", args=["screening"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:staff_queue")


def test_unit_bound_role_refuses_a_unit_of_the_wrong_kind():
    user = UserFactory()
    fund = UnitFactory(code="fund", kind=UnitKind.FUND)
    with pytest.raises(DomainError) as error:
        services.assign_role(user, Role.CENTRE_STAFF, unit=fund, actor=None)
    assert error.value.code == "unit_kind_mismatch"
    user.refresh_from_db()
    assert user.unit is None
    assert not user.has_role(Role.CENTRE_STAFF)


def test_unknown_workspace_is_404(client):
    client.force_login(user_with_role(Role.APPLICANT))
    assert client.get(reverse("workspace", args=["nope"])).status_code == 404


@pytest.mark.parametrize("lead", [False, True], ids=["centre staff", "centre lead"])
def test_every_link_of_a_centres_header_and_dashboard_leads_to_a_real_page(client, lead):
    """The centre's workspaces are its queue and dashboard (the old /workspace/ links lead
    there), and nothing a centre's staff member or lead is offered is a placeholder."""
    from tests.programs.centre_factories import hk_centre, staff_of

    client.force_login(staff_of(hk_centre(), lead=lead))
    assert client.get("/workspace/service-requests/")["Location"] == reverse("programs:centre_queue")
    assert client.get("/workspace/centre-dashboard/")["Location"] == reverse("programs:centre_dashboard")
    html = client.get(reverse("dashboard")).content.decode()
    links = {link for link in re.findall(r'href="(/[^"#]*)', html) if not link.startswith(("/static/", "/api/"))}
    assert {reverse("programs:centre_queue"), reverse("programs:centre_dashboard")} <= links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert "arrives with" not in response.content.decode(), link

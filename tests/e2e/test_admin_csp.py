"""The admin site works under the portal's strict Content-Security-Policy: a real browser opens its
pages and its console shows no policy violation, nor any other error (a missing icon included)."""

import pytest
from django.urls import reverse

from enterprises.services.contacts import add_contact
from hkhz_portal.accounts.roles import Role
from tests.factories import PASSWORD, TOTP_SECRET, EnterpriseFactory, member_of, user_with_role
from tests.totp import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def admin_pages():
    """An administrator and the admin pages to open, made before the browser starts (see
    test_landing_and_login: no ORM work while Playwright's loop runs)."""
    admin = user_with_role(Role.ADMIN, email="root@example.com")
    enterprise = EnterpriseFactory()
    owner = member_of(enterprise, "owner")
    contact = add_contact(enterprise, actor=owner, name="Lam Ka Yan", email="ka.yan@example.com")
    return admin, [
        reverse("admin:index"),
        reverse("admin:enterprises_enterprise_changelist"),
        reverse("admin:enterprises_enterprise_change", args=[enterprise.pk]),  # with the members inline
        reverse("admin:enterprises_membership_changelist"),  # with the member actions
        reverse("admin:enterprises_contactperson_change", args=[contact.pk]),
        reverse("admin:accounts_user_change", args=[owner.pk]),  # roles in a two-box picker
    ]


def test_admin_pages_raise_no_content_security_policy_violation(admin_pages, live_server, page):
    admin, paths = admin_pages
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}"))
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", totp_code(TOTP_SECRET))
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/dashboard/")

    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("#site-name").is_visible(), path
    # The admin's scripts ran: the role picker was turned into its two boxes, and it works.
    page.locator("#id_groups_add_all").click()
    assert page.locator("#id_groups_to option").count() == len(Role)

    assert not [line for line in errors if "Content Security Policy" in line], errors
    assert not errors

"""One strict Content-Security-Policy for the whole site, the admin included, and a served icon."""

import pytest
from django.urls import reverse

from hkhz_portal.accounts.roles import Role
from tests.factories import EnterpriseFactory, member_of, user_with_role

pytestmark = pytest.mark.django_db

STRICT = ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'")


def assert_strict(response):
    policy = response["Content-Security-Policy"]
    for directive in STRICT:
        assert directive in policy, policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy


def test_portal_pages_keep_the_strict_policy(client):
    firm = EnterpriseFactory()
    client.force_login(member_of(firm, "owner"))
    for url in ("/", reverse("dashboard"), reverse("enterprise_detail", args=[firm.reference]), reverse("profile")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_admin_pages_need_no_relaxation_of_the_policy(admin_site):
    """Django 5.2's admin uses no inline script or style (the browser test checks its console)."""
    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist"), reverse("admin:login")):
        assert_strict(admin_site.get(url))


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code in (200, 301, 302)
    icon = client.get(response["Location"]) if response.status_code != 200 else response
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content if icon.streaming else [icon.content])


@pytest.mark.parametrize("where", ["portal", "admin"])
def test_pages_name_the_icon(client, where):
    client.force_login(user_with_role(Role.ADMIN))
    html = client.get(reverse("dashboard" if where == "portal" else "admin:index")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html

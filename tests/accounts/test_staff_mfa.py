"""Staff reach nothing confidential unless this session passed the second factor."""

import pytest
from django.urls import reverse

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.models import AuditEvent
from tests.factories import PASSWORD, TOTP_SECRET, user_with_role
from tests.totp import totp_code

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = reverse("admin:login")
STAFF_PAGES = [reverse("enterprise_directory"), reverse("admin:index")]
API = reverse("api_me")


def wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def test_the_admin_login_does_not_sign_in_with_a_password_alone(client):
    admin = user_with_role(Role.ADMIN)
    response = client.post(ADMIN_LOGIN, {"username": admin.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index"))["Location"].startswith(ADMIN_LOGIN)
    assert client.get(API).status_code == 401  # not signed in


def test_the_admin_login_sends_to_the_sign_in_that_asks_for_the_code(client):
    admin = user_with_role(Role.ADMIN)
    page = client.get(ADMIN_LOGIN, follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("account_login"))

    signed = client.post(page.redirect_chain[-1][0], {"login": admin.email, "password": PASSWORD})
    assert signed["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)}, follow=True)
    assert done.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_is_rate_limited_by_the_sign_in_it_sends_to(client):
    admin = user_with_role(Role.ADMIN)
    login_url = client.get(ADMIN_LOGIN)["Location"]
    for _ in range(5):
        client.post(login_url, {"login": admin.email, "password": "wrong-password"})
    refused = client.post(login_url, {"login": admin.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert "Too many failed sign-in attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_staff_session_that_skipped_the_second_factor_is_refused_until_it_gives_a_code(client):
    admin = user_with_role(Role.ADMIN)
    client.force_login(admin, passed_mfa=False)  # e.g. a session opened by Django's admin login

    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    api = client.get(API)
    assert api.status_code == 403
    assert api["Content-Type"] == "application/problem+json"
    assert api.json()["type"] == "mfa_required"
    # Nor can such a session change the account's authenticators.
    assert client.get(reverse("mfa_index"))["Location"].startswith(reverse("mfa_reauthenticate"))

    asked = client.get(client.get(STAFF_PAGES[0])["Location"])
    assert asked.status_code == 200
    assert "enter a code from your authenticator app" in asked.content.decode()
    passed = client.post(f"{reverse('mfa_reauthenticate')}?next={STAFF_PAGES[0]}", {"code": totp_code(TOTP_SECRET)})
    assert passed.status_code == 302
    assert passed["Location"] == STAFF_PAGES[0]
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 200, path
    assert client.get(API).status_code == 200


def test_a_session_that_passed_the_second_factor_reaches_staff_pages_and_the_api(client):
    client.force_login(user_with_role(Role.ADMIN))
    for path in [*STAFF_PAGES, API]:
        assert client.get(path).status_code == 200, path


def test_staff_without_mfa_get_a_problem_json_from_the_api(client):
    client.force_login(user_with_role(Role.PROGRAM_OFFICER, mfa=False))
    response = client.get(API)
    assert response.status_code == 403
    assert response.json()["type"] == "mfa_setup_required"


# allauth announces the new authenticator after its transaction commits, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_setting_up_totp_counts_as_passing_it_in_this_session(client):
    officer = user_with_role(Role.PROGRAM_OFFICER, mfa=False)
    client.force_login(officer)
    setup = client.get(reverse("mfa_activate_totp"))
    secret = setup.context["form"].secret
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert client.get(reverse("enterprise_directory")).status_code == 200


def test_a_wrong_code_at_sign_in_is_audited_with_the_user_and_ip(client):
    reviewer = user_with_role(Role.REVIEWER)
    client.post(reverse("account_login"), {"login": reviewer.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": wrong(totp_code(TOTP_SECRET))})
    assert "Incorrect code" in response.content.decode()

    event = AuditEvent.objects.get(action="account.mfa_failed")
    assert event.target_id == str(reviewer.pk)
    assert event.actor is None  # nobody is signed in yet
    assert event.ip_address == "127.0.0.1"
    assert event.changes == {"authenticator": "totp", "reauthentication": False}


def test_a_wrong_code_when_asked_again_is_audited_against_the_signed_in_user(client):
    officer = user_with_role(Role.PROGRAM_OFFICER)
    client.force_login(officer, passed_mfa=False)
    client.post(reverse("mfa_reauthenticate"), {"code": wrong(totp_code(TOTP_SECRET))}, REMOTE_ADDR="203.0.113.9")

    event = AuditEvent.objects.get(action="account.mfa_failed")
    assert (event.actor, event.target_id, event.ip_address) == (officer, str(officer.pk), "203.0.113.9")
    assert event.changes["reauthentication"] is True


@pytest.mark.parametrize("flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_the_admin_flags_without_a_role_still_need_the_second_factor(client, flags):
    """A superuser made by createsuperuser, or an account whose admin role was taken away while
    its flags stayed, reaches as much as an admin: it is held to the same rule."""
    from hkhz_portal.accounts.models import User

    user = User.objects.create_user("flags.only@example.com", PASSWORD, **flags)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert client.get(API).status_code == 403

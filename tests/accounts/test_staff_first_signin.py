"""A staff member's first sign-in is one straight path: password, TOTP set-up, recovery codes
(shown once, with a way on), then the page they asked for."""

import time

import pytest
from allauth.account import app_settings as account_settings
from allauth.mfa.models import Authenticator
from django.urls import reverse

from hkhz_portal.accounts.roles import Role
from tests.factories import PASSWORD, user_with_role
from tests.totp import totp_code

# allauth records the new authenticator after its transaction commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WANTED = reverse("enterprise_directory")


def sign_in(client, user, next_url=WANTED):
    return client.post(
        f"{reverse('account_login')}?next={next_url}", {"login": user.email, "password": PASSWORD}, follow=True
    )


def test_from_the_password_to_the_page_wanted_without_a_second_password_prompt(client):
    officer = user_with_role(Role.PROGRAM_OFFICER, mfa=False)

    setup = sign_in(client, officer)
    assert [url for url, _ in setup.redirect_chain] == [
        WANTED,
        f"{reverse('mfa_activate_totp')}?next=%2Fstaff%2Fenterprises%2F",
    ]
    assert setup.templates[0].name == "mfa/totp/activate_form.html"  # not the password again
    html = setup.content.decode()
    assert "Set up two-factor authentication" in html
    assert "Authenticator secret" not in html

    secret = setup.context["form"].secret
    codes_page = client.post(setup.redirect_chain[-1][0], {"code": totp_code(secret)}, follow=True)
    assert codes_page.redirect_chain[-1][0] == f"{reverse('mfa_view_recovery_codes')}?next=%2Fstaff%2Fenterprises%2F"
    codes = Authenticator.objects.get(user=officer, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    html = codes_page.content.decode()
    assert all(code in html for code in codes)
    assert "this page shows them only once" in html
    assert f'href="{WANTED}"' in html
    assert "I have saved them, continue" in html

    assert client.get(WANTED).status_code == 200
    # Shown once: coming back later shows how many are left, never the codes.
    again = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert "10 unused recovery codes of 10" in again


def test_a_foreign_next_is_not_offered_as_the_way_on(client):
    officer = user_with_role(Role.PROGRAM_OFFICER, mfa=False)
    setup = sign_in(client, officer)
    activate = f"{reverse('mfa_activate_totp')}?next=https://evil.example/phish"
    codes_page = client.post(activate, {"code": totp_code(setup.context["form"].secret)}, follow=True)
    html = codes_page.content.decode()
    assert "evil.example" not in html
    assert f'href="{reverse("mfa_index")}"' in html


def test_after_the_reauthentication_window_the_password_is_asked_and_next_kept(client, monkeypatch):
    officer = user_with_role(Role.PROGRAM_OFFICER, mfa=False)
    sign_in(client, officer)
    later = time.time() + account_settings.REAUTHENTICATION_TIMEOUT + 1
    monkeypatch.setattr(time, "time", lambda: later)

    asked = client.get(f"{reverse('mfa_activate_totp')}?next={WANTED}")
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    back = client.post(asked["Location"], {"password": PASSWORD})
    assert back["Location"] == f"{reverse('mfa_activate_totp')}?next={WANTED}"


def test_a_wrong_code_keeps_the_set_up_page_and_the_page_wanted(client):
    officer = user_with_role(Role.PROGRAM_OFFICER, mfa=False)
    setup = sign_in(client, officer)
    secret = setup.context["form"].secret
    wrong = f"{(int(totp_code(secret)) + 500_000) % 1_000_000:06d}"
    refused = client.post(setup.redirect_chain[-1][0], {"code": wrong})
    assert refused.status_code == 200
    assert "Incorrect code" in refused.content.decode()
    assert not Authenticator.objects.filter(user=officer).exists()
    done = client.post(setup.redirect_chain[-1][0], {"code": totp_code(secret)})
    assert done["Location"].endswith("?next=%2Fstaff%2Fenterprises%2F")

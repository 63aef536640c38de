import re

import pytest
from django.core import mail
from django.urls import reverse

from hkhz_portal.accounts.models import User
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.models import AuditEvent
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, user_with_role
from tests.totp import totp_code

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_signup_sends_verification_and_the_link_signs_the_user_in(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "Li.Na@Example.cn", "full_name": "Li Na", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    # Not signed in until the address is verified.
    assert client.get(reverse("dashboard")).status_code == 302
    assert login(client, "li.na@example.cn").status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302

    assert len(mail.outbox) >= 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body).group(0)
    confirm_path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + confirm_path)

    user = User.objects.get(email="li.na@example.cn")
    assert user.full_name == "Li Na"
    assert user.preferred_language == "zh-hans"
    assert user.has_role(Role.APPLICANT)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert "Li Na" in page.content.decode()


def test_login_with_verified_email_reaches_the_dashboard_and_is_audited(client):
    user = UserFactory(email="wang@example.com")
    response = login(client, "wang@example.com")
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    event = AuditEvent.objects.get(action="account.login")
    assert event.actor == user
    assert event.ip_address == "127.0.0.1"


def test_repeated_wrong_passwords_are_rate_limited_even_for_the_right_one(client, settings):
    UserFactory(email="target@example.com")
    for _ in range(5):
        response = login(client, "target@example.com", "wrong-password")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
    response = login(client, "target@example.com")
    assert response.status_code == 200
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302
    assert AuditEvent.objects.filter(action="account.login_failed").count() == 5


def test_staff_without_mfa_is_sent_to_mfa_setup(client):
    officer = user_with_role(Role.PROGRAM_OFFICER, mfa=False)
    login(client, officer.email)
    for path in (reverse("dashboard"), reverse("workspace", args=["screening"]), "/manage/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp"))
    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert setup.status_code == 200
    assert "two-factor authentication" in setup.content.decode().lower()


def test_applicant_without_mfa_is_not_forced_to_set_it_up(client):
    applicant = user_with_role(Role.APPLICANT)
    login(client, applicant.email)
    assert client.get(reverse("dashboard")).status_code == 200


def test_totp_challenge_accepts_a_current_code_and_refuses_a_wrong_one(client):
    reviewer = user_with_role(Role.REVIEWER)
    response = login(client, reviewer.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("dashboard")).status_code == 302  # password alone is not enough

    wrong_code = f"{(int(totp_code(TOTP_SECRET)) + 500_000) % 1_000_000:06d}"
    wrong = client.post(reverse("mfa_authenticate"), {"code": wrong_code})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})
    assert right.status_code == 302
    page = client.get(reverse("programs:reviews"))
    assert page.status_code == 200


def test_profile_changes_name_and_language(client):
    user = user_with_role(Role.APPLICANT)
    client.force_login(user)
    response = client.post(reverse("profile"), {"full_name": "Ho Wing", "preferred_language": "zh-hant"}, follow=True)
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Ho Wing", "zh-hant")
    assert "已儲存" in response.content.decode()
    assert AuditEvent.objects.filter(action="account.profile_updated", target_id=str(user.pk)).exists()

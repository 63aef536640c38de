"""Whoever is stuck verifying an address or resetting a password has a way on: the verification
e-mail can be sent again, and the pages name a real contact (``SUPPORT_EMAIL``)."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SUPPORT = "help@hkhz.example.org"


@pytest.fixture(autouse=True)
def support_address(settings):
    settings.SUPPORT_EMAIL = SUPPORT


def signup(client, email="li.na@example.com"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "full_name": "Li Na", "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.mark.parametrize(
    "url",
    [
        reverse("account_email_verification_sent"),
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        reverse("account_confirm_email", args=["not-a-real-key"]),
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "not-a-real-token"}),
    ],
)
def test_verify_and_reset_pages_name_the_support_address(client, url):
    page = client.get(url, follow=True)
    assert page.status_code == 200
    assert f'<a href="mailto:{SUPPORT}">{SUPPORT}</a>' in page.content.decode()


def test_the_verification_sent_page_sends_the_mail_again_once_the_cooldown_is_over(client, monkeypatch):
    signup(client)
    assert len(mail.outbox) == 1
    page = client.get(reverse("account_email_verification_sent")).content.decode()
    assert f'action="{reverse("account_login")}"' in page
    assert "Send the verification e-mail again" in page

    resend = {"login": "li.na@example.com", "password": PASSWORD}
    # At once: allauth's rate limit (one mail per address every few minutes) holds it back.
    again = client.post(reverse("account_login"), resend)
    assert again["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1

    later = time.time() + 10 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    again = client.post(reverse("account_login"), resend)
    assert again["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["li.na@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[1].body
    assert client.get(reverse("dashboard")).status_code == 302  # still not signed in


def test_the_wrong_password_sends_nothing(client, monkeypatch):
    signup(client)
    later = time.time() + 10 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    refused = client.post(reverse("account_login"), {"login": "li.na@example.com", "password": "not-the-password"})
    assert refused.status_code == 200
    assert "The e-mail address or password is not correct." in refused.content.decode()
    assert len(mail.outbox) == 1


def test_a_signed_in_user_sends_the_verification_of_a_new_address_again(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email="second@example.com", verified=False, primary=False)
    client.force_login(user)
    page = client.get(reverse("account_email")).content.decode()
    assert "Not confirmed" in page

    sent = client.post(reverse("account_email"), {"email": "second@example.com", "action_send": ""}, follow=True)
    assert "We have sent a confirmation e-mail to second@example.com." in sent.content.decode()
    assert mail.outbox[-1].to == ["second@example.com"]


def test_the_reset_link_leads_to_a_new_password_that_signs_in(client):
    UserFactory(email="ho@example.com")
    client.post(reverse("account_reset_password"), {"email": "ho@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    new = "another-horse-battery-7"
    done = client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new}, follow=True)
    assert "Your password has been changed. Sign in with the new one." in done.content.decode()
    assert client.post(reverse("account_login"), {"login": "ho@example.com", "password": new}).status_code == 302

"""allauth's pages, messages and mails speak as the rest of the portal: its words, its name,
Hong Kong terms in 繁體, and the reader's language. (Chinese assertions use strings the
catalogue already holds.)"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TAIWAN_TERMS = ("電子信箱", "電子郵件", "帳號", "你")


def main_text(response) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_the_signed_in_message_is_in_the_language_of_the_page_it_is_shown_on(client):
    """Signed in from an English browser, a 繁體 reader lands on 繁體 pages: the message too."""
    UserFactory(email="ho@example.com", preferred_language="zh-hant")
    page = client.post(
        reverse("account_login"),
        {"login": "ho@example.com", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    text = main_text(page)
    assert "您目前以 ho@example.com 登入。" in text
    assert "Successfully" not in text and "signed in as" not in text


@pytest.mark.parametrize("page", ["account_login", "account_signup", "account_reset_password"])
def test_sign_in_pages_in_traditional_chinese_use_hong_kong_terms(client, page):
    text = main_text(client.get(reverse(page), HTTP_ACCEPT_LANGUAGE="zh-hant"))
    assert "電郵地址" in text
    assert not [term for term in TAIWAN_TERMS if term in text]


def test_labels_are_in_sentence_case_without_placeholders_repeating_them(client):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign In" not in html and "Remember Me" not in html
    assert ">E-mail address:</label>" in html
    assert "placeholder=" not in html


def signup(client, email="li.na@example.com", **headers):
    return client.post(
        reverse("account_signup"),
        {"email": email, "full_name": "Li Na", "password1": PASSWORD, "password2": PASSWORD},
        **headers,
    )


def test_the_confirmation_mail_names_the_portal_not_the_host(client):
    signup(client, HTTP_ACCEPT_LANGUAGE="en", SERVER_NAME="127.0.0.1", SERVER_PORT="8000")
    (message,) = mail.outbox
    assert message.subject == "[HKHZ Portal] Confirm your e-mail address"
    assert message.body.startswith("Hello,\n")
    assert "Thank you for signing up to HKHZ Portal." in message.body
    assert message.body.rstrip().endswith(
        "HKHZ Portal · Hangzhou–Hong Kong Technology Collaborative Innovation Platform"
    )
    assert "Hello from" not in message.body
    # The host appears only in the link itself.
    assert [line for line in message.body.splitlines() if "127.0.0.1" in line] == [
        re.search(r"http://127\.0\.0\.1:8000/accounts/confirm-email/\S+", message.body).group(0)
    ]


def test_a_mail_to_an_account_is_in_its_owners_language(client):
    UserFactory(email="ho@example.com", preferred_language="zh-hant")
    client.post(reverse("account_reset_password"), {"email": "ho@example.com"}, HTTP_ACCEPT_LANGUAGE="en")
    (message,) = mail.outbox
    assert "杭港科技協同創新平台" in message.body
    assert "Hangzhou–Hong Kong" not in message.body


@pytest.mark.parametrize(
    "page",
    ["account_logout", "account_change_password", "account_email", "account_reauthenticate", "mfa_index"],
)
def test_account_pages_in_traditional_chinese_use_hong_kong_terms(client, page):
    client.force_login(UserFactory(preferred_language="zh-hant"))
    response = client.get(reverse(page))
    assert response.status_code == 200
    text = main_text(response)
    assert not [term for term in TAIWAN_TERMS if term in text]

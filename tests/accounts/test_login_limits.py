"""Failed sign-ins lock the account under attack, not everyone behind the same address."""

import time

import pytest
from django.urls import reverse

from hkhz_portal.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def signed_in(client) -> bool:
    return client.get(reverse("dashboard")).status_code == 200


def test_a_colleague_behind_the_same_address_signs_in_while_one_account_is_attacked(client):
    UserFactory(email="attacked@example.com")
    UserFactory(email="colleague@example.com")
    for _ in range(5):
        assert "not correct" in login(client, "attacked@example.com", "wrong-password").content.decode()
    assert login(client, "colleague@example.com").status_code == 302
    assert signed_in(client)


def test_the_attacked_account_is_locked_and_the_page_says_for_how_long(client, monkeypatch):
    UserFactory(email="attacked@example.com")
    for _ in range(5):
        login(client, "attacked@example.com", "wrong-password")

    refused = login(client, "attacked@example.com")
    assert refused.status_code == 200
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in refused.content.decode()
    assert not signed_in(client)

    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + 10 * 60 + 1)
    assert "Try again in 5 minutes." in login(client, "attacked@example.com").content.decode()

    monkeypatch.setattr(time, "time", lambda: start + 15 * 60 + 1)
    assert login(client, "attacked@example.com").status_code == 302
    assert signed_in(client)


@pytest.fixture
def tight_ip_limit(settings):
    """Three failures per address, so the per-address limit is what a test reaches."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/15m/ip,5/15m/key"}


def fail_from_three_addresses(client):
    for n in range(3):
        UserFactory(email=f"target{n}@example.com")
        login(client, f"target{n}@example.com", "wrong-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}")


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(client, tight_ip_limit):
    UserFactory(email="next@example.com")
    fail_from_three_addresses(client)
    refused = login(client, "next@example.com", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert "Too many failed sign-in attempts" in refused.content.decode()
    assert set(AuditEvent.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(client, tight_ip_limit, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory(email="next@example.com")
    fail_from_three_addresses(client)
    assert login(client, "next@example.com", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 302

    failures = AuditEvent.objects.filter(action="account.login_failed")
    assert sorted(failures.values_list("ip_address", flat=True)) == ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
    assert AuditEvent.objects.get(action="account.login", actor=user).ip_address == "203.0.113.50"


def test_the_proxy_takes_the_address_the_client_gave_as_the_one_it_saw(client, settings):
    """A client may prepend anything to X-Forwarded-For; the proxy appends the address it saw."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory(email="someone@example.com")
    login(client, user.email, HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.50")
    assert AuditEvent.objects.get(action="account.login").ip_address == "203.0.113.50"


def test_a_header_set_by_the_proxy_names_the_client(client, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    user = UserFactory(email="someone@example.com")
    login(client, user.email, HTTP_X_REAL_IP="203.0.113.77", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert AuditEvent.objects.get(action="account.login").ip_address == "203.0.113.77"


def test_the_too_many_requests_page_says_how_long_to_wait(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    login(client, "anyone@example.com")
    page = login(client, "anyone@example.com")
    assert page.status_code == 429
    assert "Wait one minute, then try again." in page.content.decode()

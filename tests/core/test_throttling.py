"""API rate limits: one atomic counter per client and window, so parallel requests cannot
slip past the limit; a refused request gets 429 with Retry-After."""

import sys
import threading
import uuid
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.test import Client, RequestFactory
from django.utils import timezone

from hkhz_portal.accounts.api_keys import PartnerClient
from hkhz_portal.accounts.models import APIKey
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.throttling import AnonRateThrottle, KeyRateThrottle, UserRateThrottle
from tests.conftest import require
from tests.factories import api_key, user_with_role
from tests.threads import at_once

LIMIT = 50
THREADS = 32
ATTEMPTS_PER_THREAD = 8  # 256 attempts in all, five times the limit
NOW = 1_800_000_030.0  # half a minute into a window: the test never straddles two


def locmem_cache():
    return LocMemCache(f"throttle-test-{uuid.uuid4().hex}", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def redis_cache():
    url = settings.REDIS_URL
    cache = RedisCache(url, {"KEY_PREFIX": f"throttle-test-{uuid.uuid4().hex}"}) if url else None
    try:
        reachable = cache is not None and cache.add("ping", 1, 5) is not None
    except Exception:  # noqa: BLE001 - any connection error means "no Redis here"
        reachable = False
    require(reachable, "Redis (REDIS_URL)")
    return cache


def throttle_class(base, cache, rate=f"{LIMIT}/min"):
    return type("TestThrottle", (base,), {"rate": rate, "cache": cache, "timer": staticmethod(lambda: NOW)})


def signed_in(pk):
    return SimpleNamespace(user=SimpleNamespace(is_authenticated=True, pk=pk), META={}, headers={})


def with_key(pk):
    client = PartnerClient(SimpleNamespace(pk=pk, organisation=None, scopes=[]))
    return SimpleNamespace(user=client, META={"REMOTE_ADDR": "203.0.113.9"}, headers={})


def anonymous(ip, forwarded_for=None):
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    return SimpleNamespace(user=SimpleNamespace(is_authenticated=False), META={"REMOTE_ADDR": ip}, headers=headers)


@pytest.fixture
def preemptive_threads():
    """Switch threads as often as possible, so a read-then-write counter would be caught out."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def hammer(throttle, request) -> int:
    """THREADS threads start together and try ATTEMPTS_PER_THREAD requests each; how many passed."""
    start = threading.Barrier(THREADS)
    passed = []

    def attempt():
        start.wait()
        passed.extend(throttle().allow_request(request, None) for _ in range(ATTEMPTS_PER_THREAD))

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(passed)


@pytest.mark.parametrize("make_cache", [locmem_cache, redis_cache], ids=["local-memory", "redis"])
def test_parallel_requests_of_one_user_never_pass_the_limit(make_cache, preemptive_threads):
    cache = make_cache()
    throttle = throttle_class(UserRateThrottle, cache)
    assert hammer(throttle, signed_in(pk=7)) == LIMIT
    # Another user has a counter of their own.
    assert throttle().allow_request(signed_in(pk=8), None)


@pytest.mark.parametrize("make_cache", [locmem_cache, redis_cache], ids=["local-memory", "redis"])
def test_parallel_requests_with_one_key_never_pass_the_limit(make_cache, preemptive_threads):
    cache = make_cache()
    throttle = throttle_class(KeyRateThrottle, cache)
    assert hammer(throttle, with_key(pk=3)) == LIMIT
    # Another key, even of the same organisation, has a counter of its own.
    assert throttle().allow_request(with_key(pk=4), None)


def test_each_request_counts_against_one_credential_only():
    """A key's requests are neither the (id-less) "user" of every key nor their address's; a
    session's are not a key's."""
    cache = locmem_cache()
    key, user, anon = (
        throttle_class(base, cache, rate="1/min") for base in (KeyRateThrottle, UserRateThrottle, AnonRateThrottle)
    )
    for _ in range(3):
        assert user().allow_request(with_key(pk=3), None)
        assert anon().allow_request(with_key(pk=3), None)
        assert key().allow_request(signed_in(pk=7), None)
        assert key().allow_request(anonymous("203.0.113.9"), None)


def test_a_new_window_starts_a_new_count():
    cache = locmem_cache()
    throttle = throttle_class(UserRateThrottle, cache, rate="2/min")
    assert [throttle().allow_request(signed_in(pk=7), None) for _ in range(3)] == [True, True, False]
    refused = throttle()
    refused.allow_request(signed_in(pk=7), None)
    assert refused.wait() == 30  # NOW is half-way through its minute

    later = type("Later", (throttle,), {"timer": staticmethod(lambda: NOW + 30)})
    assert later().allow_request(signed_in(pk=7), None)


def test_anonymous_clients_are_counted_per_address_whatever_x_forwarded_for_says():
    cache = locmem_cache()
    throttle = throttle_class(AnonRateThrottle, cache, rate="2/min")
    spoofed = [throttle().allow_request(anonymous("203.0.113.5", f"198.51.100.{n}"), None) for n in range(3)]
    assert spoofed == [True, True, False]
    assert throttle().allow_request(anonymous("203.0.113.6"), None)


@pytest.mark.django_db
def test_a_throttled_api_request_gets_429_problem_json_with_retry_after(client, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "rate", "2/min", raising=False)
    client.force_login(user_with_role(Role.APPLICANT))
    assert [client.get("/api/v1/me/").status_code for _ in range(2)] == [200, 200]

    response = client.get("/api/v1/me/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["type"] == "throttled"
    assert body["status"] == 429
    assert body["title"]


def test_behind_a_trusted_header_anonymous_clients_are_counted_by_what_it_says(settings):
    """With TRUSTED_CLIENT_IP_HEADER set (one proxy that writes the client's address), the API
    counts each client apart, as sign-ins do, instead of every client as the proxy."""
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    cache = locmem_cache()
    throttle = throttle_class(AnonRateThrottle, cache, rate="2/min")

    def behind_proxy(client):
        request = RequestFactory().get("/api/v1/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP=client)
        request.user = AnonymousUser()
        return request

    assert [throttle().allow_request(behind_proxy("203.0.113.5"), None) for _ in range(3)] == [True, True, False]
    assert throttle().allow_request(behind_proxy("203.0.113.6"), None)


@pytest.mark.parametrize("make_cache", [locmem_cache, redis_cache], ids=["local-memory", "redis"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_32_parallel_clients_with_one_key_get_no_more_than_its_limit(make_cache, monkeypatch):
    limit = 20
    monkeypatch.setattr(KeyRateThrottle, "cache", make_cache())
    monkeypatch.setattr(KeyRateThrottle, "rate", f"{limit}/min", raising=False)
    monkeypatch.setattr(KeyRateThrottle, "timer", staticmethod(lambda: NOW))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key(scopes=['calls:read'])}"}
    APIKey.objects.update(last_used_at=timezone.now())  # no last-use write: only reads race here

    responses = at_once(*[lambda: Client().get("/api/v1/calls/", **auth)] * THREADS)

    assert all(not isinstance(r, Exception) for r in responses), responses
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * limit + [429] * (THREADS - limit)
    for refused in (r for r in responses if r.status_code == 429):
        assert refused["Content-Type"] == "application/problem+json"
        assert refused.json()["type"] == "throttled"
        assert 1 <= int(refused["Retry-After"]) <= 60

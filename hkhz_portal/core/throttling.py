"""API rate limits that hold under concurrency.

DRF's own throttles read a request history from the cache and write it back: parallel
requests all read the same history, so a 600/min limit let 1,786 of 2,000 parallel
requests through. Here each window has one counter that the cache increments atomically
(``INCR`` on Redis; LocMemCache increments under its lock), so no more than the limit
ever pass in a window.

Each request is counted once, against the most precise credential it has: an API key's against
the key (``key``), a signed-in user's against the user (``user``), any other against its address
(``anon``).
"""

import functools
import math

import redis
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling

from hkhz_portal.accounts.api_keys import PartnerClient

from .clients import client_ip


@functools.cache
def _redis(location: str) -> redis.Redis:
    return redis.Redis.from_url(location)


def _redis_increment(key: str, timeout: int) -> int:
    """The counter's new value, in one round trip to Redis: ``INCR`` (atomic; a missing key
    counts from 0) and ``EXPIRE … NX`` (the first request of a window sets its end) in one
    pipeline. Through the cache API the same takes three (``add``, then ``incr``, which first
    asks whether the key exists), on every API request."""
    client = _redis(settings.CACHES[DEFAULT_CACHE_ALIAS]["LOCATION"])
    count, _expiry = client.pipeline(transaction=False).incr(key).expire(key, timeout, nx=True).execute()
    return count


class FixedWindowThrottleMixin:
    """A counter per client and per window of the rate's duration (a minute for ``600/min``).

    The window's start is part of the key and the key outlives the window, so a counter
    never expires between ``add`` and ``incr`` while its window is current. On Redis, one
    pipelined round trip does both (``_redis_increment``).
    """

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        self.now = self.timer()
        window_start = int(self.now // self.duration) * self.duration
        self.window_end = window_start + self.duration
        key = f"{ident}:{window_start}"
        return self._increment(key) <= self.num_requests

    def _increment(self, key) -> int:
        timeout = 2 * self.duration
        if isinstance(self.cache, RedisCache):
            return _redis_increment(self.cache.make_and_validate_key(key), timeout)
        self.cache.add(key, 0, timeout)
        try:
            return self.cache.incr(key)
        except ValueError:
            # The counter was evicted (LocMemCache culls when full) between add and incr.
            self.cache.add(key, 0, timeout)
            return self.cache.incr(key)

    def get_ident(self, request):
        """The client's address as sign-ins and the audit trail see it (the trusted proxy
        settings), so one rule decides who a client is everywhere."""
        return client_ip(request) or super().get_ident(request)

    def wait(self):
        """Seconds until the window ends (DRF sends them as ``Retry-After``)."""
        return max(1, math.ceil(self.window_end - self.now))


class AnonRateThrottle(FixedWindowThrottleMixin, throttling.AnonRateThrottle):
    """Anonymous clients, per IP address, at the ``anon`` rate (``API_RATE_ANON``)."""


class UserRateThrottle(FixedWindowThrottleMixin, throttling.UserRateThrottle):
    """Signed-in users, per user, at the ``user`` rate (``API_RATE_USER``). A key's client is
    no user (it has no id): its requests are the key throttle's."""

    def get_cache_key(self, request, view):
        if isinstance(request.user, PartnerClient):
            return None
        return super().get_cache_key(request, view)


class KeyRateThrottle(FixedWindowThrottleMixin, throttling.SimpleRateThrottle):
    """Requests made with an API key, per key, at the ``key`` rate (``API_RATE_KEY``): two keys
    of one organisation count apart, so that a rotation does not halve the allowance."""

    scope = "key"

    def get_cache_key(self, request, view):
        if not isinstance(request.user, PartnerClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.key.pk}

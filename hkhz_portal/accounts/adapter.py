"""allauth adapted to the portal: a sign-in lockout says how long it lasts."""

import math
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

LOCKOUT = "too_many_login_attempts"


def seconds_until_allowed(request, *, action: str, key: str) -> float:
    """How long until every limit of ``action`` (``ACCOUNT_RATE_LIMITS``) allows one more attempt.

    allauth keeps, per limit, the times of the attempts inside its window, newest first; a full
    limit frees a place when its ``amount``-th newest attempt leaves the window. 0 when no limit
    is full (allauth also refuses, for a moment, when another request holds the counter's lock).
    """
    now = time.time()
    wait = 0.0
    for rate in get_rates(app="allauth.account", action=action):
        history = cache.get(get_cache_key(request, app="allauth.account", action=action, rate=rate, key=key), [])
        recent = [at for at in history if at > now - rate.duration]
        if len(recent) >= rate.amount:
            wait = max(wait, recent[rate.amount - 1] + rate.duration - now)
    return wait


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """allauth's lockout message says only "try again later": name the wait, in whole minutes."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as refused:
            if refused.code != LOCKOUT:
                raise
            key = self._get_login_attempts_cache_key(request, **credentials)
            minutes = max(1, math.ceil(seconds_until_allowed(request, action="login_failed", key=key) / 60))
            message = ngettext(
                "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
                "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
                minutes,
            ) % {"minutes": minutes}
            raise ValidationError(message, code=LOCKOUT) from refused

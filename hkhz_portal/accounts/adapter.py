"""allauth adapted to the portal: a sign-in lockout says how long it lasts; a session that has
just signed in is not asked for its password again; messages and mails speak the portal's words,
in the language the reader sees the portal in."""

import math
import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from .middleware import saved_language

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
    # allauth's refusals in the portal's words (its 繁體 says 電子郵件 and 帳號).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is no longer active."),
        "cannot_remove_primary_email": _("Your primary e-mail address cannot be removed."),
        "duplicate_email": _("This e-mail address is already on your account."),
        "email_password_mismatch": _("The e-mail address or password is not correct."),
        "email_taken": _("An account with this e-mail address already exists."),
        "enter_current_password": _("Enter your current password."),
        "incorrect_password": _("The password is not correct."),
        "invalid_or_expired_key": _("This link has expired or is not valid."),
        "invalid_password_reset": _("This link has expired or is not valid."),
        "max_email_addresses": _("You cannot add more than %d e-mail addresses."),
        "unknown_email": _("No account uses this e-mail address."),
        "unverified_primary_email": _("Your primary e-mail address must be confirmed first."),
        "rate_limited": _("Too many attempts in a short time. Wait a few minutes, then try again."),
    }

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

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """allauth asks for the password again before a sensitive change (setting up TOTP, seeing
        recovery codes) unless the session *re*authenticated within ``ACCOUNT_REAUTHENTICATION_TIMEOUT``;
        a sign-in within that time proves as much, so a staff member's first sign-in goes from the
        password straight to the TOTP set-up."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request
        if request is None or not request.user.is_authenticated:
            return True
        newest = max((record["at"] for record in get_authentication_records(request, request.user)), default=0)
        return time.time() - newest >= app_settings.REAUTHENTICATION_TIMEOUT

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        """A message is read on the next page: write it in that page's language (after signing in,
        the user's saved one), not in the language of the sign-in form."""
        with translation.override(saved_language(request) or translation.get_language()):
            super().add_message(request, level, message_template, message_context, extra_tags, message)

    def send_mail(self, template_prefix, email, context):
        """In the recipient's language when the address is an account's (a reset asked for from an
        English browser still reaches a 繁體 reader in 繁體)."""
        user = context.get("user") or get_user_model().objects.filter(email__iexact=email).first()
        with translation.override(getattr(user, "preferred_language", None) or translation.get_language()):
            super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject: str) -> str:
        name = pgettext("the portal's name in e-mails", "HKHZ Portal")
        return f"[{name}] {subject}"


class MFAAdapter(DefaultMFAAdapter):
    # allauth's 繁體 calls the code 代碼; the portal's pages call it 驗證碼.
    error_messages = {**DefaultMFAAdapter.error_messages, "incorrect_code": _("Incorrect code.")}

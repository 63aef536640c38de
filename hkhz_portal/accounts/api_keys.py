"""Partner API keys: their format, how a request proves one, and what each scope opens.

A key reads ``hkhz_live_`` followed by 43 URL-safe characters (256 random bits). It is sent as
``Authorization: Bearer <key>``; only its SHA-256 is stored, so the lookup is one indexed read
and nothing that could be replayed is kept. A view opens itself to keys by naming the scope
each action needs (``key_scopes``); a view that names none is for signed-in users only.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import authentication, exceptions, permissions

from hkhz_portal.core.clients import client_ip
from hkhz_portal.core.errors import DomainError

from .roles import Role

KEY_PREFIX = "hkhz_live_"
#: Characters of a key shown on pages and in logs to tell keys apart (the ``hkhz_live_`` part
#: and six random characters: about 2^36 values, far from enough to guess the rest).
SHOWN_LENGTH = len(KEY_PREFIX) + 6
#: Last-used time and address are written at most this often per key.
LAST_USED_EVERY = timedelta(minutes=1)
#: How long a key found by its hash is kept in the cache (``find_key``).
CACHE_FOR = timedelta(minutes=1)
DEFAULT_LIFETIME = timedelta(days=365)


class Scope(models.TextChoices):
    DIRECTORY_READ = "directory:read", gettext_lazy("Read the enterprise directory")
    CALLS_READ = "calls:read", gettext_lazy("Read programmes and calls")
    STATS_READ = "stats:read", gettext_lazy("Read statistics")
    APPLICATIONS_READ = "applications:read", gettext_lazy("Read applications shared with your organisation")
    WEBHOOKS_MANAGE = "webhooks:manage", gettext_lazy("Manage webhook endpoints")


#: What a signed-in user's session opens, by role, on views that keys reach too. A partner
#: user acts for their organisation with every scope; staff read what partners read.
SESSION_SCOPES: dict[str, frozenset[str]] = {
    Role.PARTNER: frozenset(Scope.values),
    Role.PROGRAM_OFFICER: frozenset({Scope.DIRECTORY_READ, Scope.CALLS_READ, Scope.STATS_READ}),
    Role.CENTRE_STAFF: frozenset({Scope.DIRECTORY_READ, Scope.CALLS_READ, Scope.STATS_READ}),
    Role.FUND_MANAGER: frozenset({Scope.DIRECTORY_READ, Scope.CALLS_READ, Scope.STATS_READ}),
    Role.ADMIN: frozenset({Scope.DIRECTORY_READ, Scope.CALLS_READ, Scope.STATS_READ}),
}
#: Open to everyone signed in (and calls to anyone at all, as the public pages show them).
EVERYONE_SCOPES = frozenset({Scope.CALLS_READ, Scope.STATS_READ})


def check_expiry(expires_at, *, now) -> None:
    """Refuse an expiry that is not in the future or lies beyond two years: a forgotten key
    stops working in time. The service and the API-access form both ask here."""
    if not now < expires_at <= now + 2 * DEFAULT_LIFETIME:
        raise DomainError(
            _("Choose an expiry date within the next two years."), code="invalid_expiry", field="expires_at"
        )


def new_secret() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def shown_prefix(secret: str) -> str:
    return secret[:SHOWN_LENGTH]


class PartnerClient:
    """Who a request made with a key is: the key's organisation. Not a user: it holds no role,
    belongs to no enterprise and reaches only what its key's scopes open."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    is_staff_role = False
    roles = frozenset()
    pk = id = None

    def __init__(self, key):
        self.key = key
        self.organisation = key.organisation

    def __str__(self):
        return str(self.key)

    def has_role(self, role) -> bool:
        return False


def active_keys():
    from .models import APIKey

    return APIKey.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


def _cached(digest: str) -> str:
    return f"api-key:{digest}"


def find_key(secret: str):
    """The active key with this secret, or None. Every keyed request asks, so a found key is
    kept in the cache for ``CACHE_FOR`` (by its hash; the secret itself is never kept): one
    cache read instead of a database query. Revoking a key drops it from the cache when the
    revocation commits (``forget_key``) and expiry is checked on each use, so a cached key
    opens nothing more than a fresh read would."""
    digest = hash_secret(secret)
    key = cache.get(_cached(digest))
    if key is None:
        # The hash is unique: no ORDER BY (``first()`` adds one).
        found = active_keys().select_related("organisation").filter(secret_hash=digest).order_by()
        key = next(iter(found[:1]), None)
        if key is None:
            return None
        cache.set(_cached(digest), key, CACHE_FOR.total_seconds())
    return key if key.is_active else None


def forget_key(key) -> None:
    """Drop a key from the lookup cache once the caller's transaction commits (a revocation)."""
    transaction.on_commit(lambda: cache.delete(_cached(key.secret_hash)))


#: When each key's use was last written by this process (``note_use``), by the key's hash.
_noted: dict[str, float] = {}


def note_use(key, request) -> None:
    """Last use, written at most once a minute per key. Each process remembers when it last
    wrote a key's (no round trip on the other requests), and the UPDATE is conditional, so
    that two processes, or parallel requests, cannot write it twice in the same minute."""
    now = timezone.now()
    if now.timestamp() - _noted.get(key.secret_hash, 0.0) < LAST_USED_EVERY.total_seconds():
        return
    _noted[key.secret_hash] = now.timestamp()
    type(key).objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    ).update(last_used_at=now, last_used_ip=client_ip(request))


class APIKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer hkhz_live_…``. A revoked, expired or unknown key is 401, told
    apart only by a generic message; any other scheme is left to the next authentication."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as: Authorization: Bearer <key>."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This API key is not valid.")) from None
        key = find_key(secret)
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid, expired or was revoked."))
        note_use(key, request)
        return PartnerClient(key), key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def request_scopes(request) -> frozenset[str]:
    """The scopes a request holds: its key's, or those its user's roles give."""
    if isinstance(request.user, PartnerClient):
        return frozenset(request.user.key.scopes)
    if not request.user.is_authenticated:
        return frozenset()
    held = set(EVERYONE_SCOPES)
    for role in request.user.roles:
        held |= SESSION_SCOPES.get(role, frozenset())
    return frozenset(held)


def required_scope(view) -> str | None:
    """The scope the view's action needs: ``key_scopes`` is a scope, or a dict by action
    (``"*"`` for the others)."""
    spec = getattr(view, "key_scopes", None)
    if isinstance(spec, dict):
        return spec.get(getattr(view, "action", None), spec.get("*"))
    return spec


class ScopePermission(permissions.BasePermission):
    """First of every API view's permissions. A key reaches only views that name a scope for
    the action and only with that scope (403 naming it); keys only read, except where the
    scope is ``webhooks:manage``. Sessions pass on to the view's own role checks."""

    def has_permission(self, request, view):
        if not isinstance(request.user, PartnerClient):
            return True
        scope = required_scope(view)
        if scope is None:
            raise exceptions.PermissionDenied(_("This endpoint is for signed-in users; API keys cannot use it."))
        if request.method not in permissions.SAFE_METHODS and scope != Scope.WEBHOOKS_MANAGE:
            raise exceptions.PermissionDenied(_("API keys can only read here."))
        if scope not in request.user.key.scopes:
            raise exceptions.PermissionDenied(_("This API key lacks the scope %(scope)s.") % {"scope": scope})
        return True


class HasScope(permissions.BasePermission):
    """For views open to sessions by scope too (the directory, statistics): a signed-in user
    whose roles do not give the action's scope is refused, naming it."""

    def has_permission(self, request, view):
        scope = required_scope(view)
        if scope is None or scope in request_scopes(request):
            return True
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated
        raise exceptions.PermissionDenied(_("Your account lacks the scope %(scope)s.") % {"scope": scope})


def acting_organisation(actor):
    """The partner organisation ``actor`` acts for: a key's, or a partner user's own; None for
    anyone else (a partner user not yet linked to one included)."""
    if isinstance(actor, PartnerClient):
        return actor.organisation
    if actor.is_authenticated and actor.has_role(Role.PARTNER):
        return actor.partner_organisation
    return None


def request_organisation(request):
    """The partner organisation a request acts for (``acting_organisation`` of its client)."""
    return acting_organisation(request.user)

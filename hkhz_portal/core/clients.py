"""Who a client is: one rule for sign-in limits, API limits and the audit trail."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


def client_ip(request) -> str | None:
    """The client's address as the sign-in rate limits see it (allauth, from the trusted proxy
    settings ``ALLAUTH_TRUSTED_*``); the peer's address when the proxy did not say."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return request.META.get("REMOTE_ADDR") or None

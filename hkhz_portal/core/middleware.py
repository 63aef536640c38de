from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .audit import request_ip
from .errors import DomainError


def client_ip(request) -> str | None:
    """The client's address as the sign-in rate limits see it (allauth, from the trusted proxy
    settings ``ALLAUTH_TRUSTED_*``); the peer's address when the proxy did not say."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Make the client's IP address known to the audit trail for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            request_ip.reset(token)


class DomainErrorMiddleware:
    """A business rule a page did not handle itself becomes a message, never a 500.

    The user goes to the page named by the error (with ``next`` back here), or back where
    they came from. The API formats its own errors (``core.api.exception_handler``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        if exception.status == 404:
            raise Http404(exception.message)
        messages.error(request, exception.message)
        if exception.redirect_to:
            return redirect(f"{reverse(exception.redirect_to)}?{urlencode({'next': request.get_full_path()})}")
        referer = request.headers.get("referer", "")
        if url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
            return redirect(referer)
        return redirect("dashboard")

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .audit import request_ip
from .errors import DomainError


class RequestContextMiddleware:
    """Make the client's IP address known to the audit trail for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_ip.set(request.META.get("REMOTE_ADDR") or None)
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

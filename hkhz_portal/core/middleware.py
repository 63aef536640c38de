from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .audit import request_ip
from .errors import DomainError, fix_page


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


def refusal_response(request, error: DomainError, *, back: str):
    """How a page answers a refusal it shows no form for: the reason as a message, on the page
    where this kind of refusal is put right (with ``next`` back here), else on ``back``."""
    messages.error(request, error.message)
    page = fix_page(error)
    if page:
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
    return redirect(back)


class DomainErrorMiddleware:
    """A business rule a page did not handle itself becomes a message, never a 500: the user
    goes to the page registered for the refusal, or back where they came from. The API formats
    its own errors (``core.api.exception_handler``).
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
        referer = request.headers.get("referer", "")
        came_from = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
        return refusal_response(request, exception, back=referer if came_from else reverse("dashboard"))

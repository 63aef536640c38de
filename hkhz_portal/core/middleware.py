import hashlib
from urllib.parse import unquote

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag, url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from .audit import request_ip
from .clients import client_ip
from .errors import DomainError, fix_page
from .problems import API_PREFIX, problem_response


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


class RejectNulMiddleware:
    """A NUL byte in the path, the query string or a form field is a 400 before anything reads it.

    No real client sends one, and PostgreSQL cannot store or compare text holding one: left to
    reach a query, it is a 500 (a DataError) on any page that looks a parameter up. The API
    answers in problem+json, pages with the 400 page.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return self._bad_request(request)
        return self.get_response(request)

    def _has_nul(self, request) -> bool:
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return True
        if request.method == "POST" and request.content_type in self.FORM_TYPES:
            fields = request.POST
            return any("\x00" in key or any("\x00" in value for value in fields.getlist(key)) for key in fields)
        return False

    def _bad_request(self, request):
        message = _("The request contains a NUL character, which no field accepts.")
        if request.path.startswith(API_PREFIX):
            return problem_response(400, "nul_character", message)
        return bad_request(request, SuspiciousOperation(message))


class APIConditionalGetMiddleware:
    """The API's reads carry a strong ETag of their body, and ``If-None-Match`` with it is a 304
    with no body: a client polling a list pays for the query, not for the transfer.

    Django's ConditionalGetMiddleware would do it for every page and for GET only (not HEAD);
    here it is the API's alone, and says how the answer may be cached: ``Vary: Authorization,
    Cookie`` (one credential's answer is never served to another) and ``Cache-Control: private,
    no-cache`` (kept by the client only, revalidated each time). ``If-None-Match`` is read by
    Django's own rules: a list of tags, weak ones (``W/``) compared weakly, and ``*``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or not request.path.startswith(API_PREFIX):
            return response
        patch_vary_headers(response, ("Authorization", "Cookie"))
        patch_cache_control(response, private=True, no_cache=True)
        if response.status_code != 200 or response.streaming:
            return response
        if not response.has_header("ETag"):
            response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest())
        return get_conditional_response(request, etag=response["ETag"], response=response)

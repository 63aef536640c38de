from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hkhz_portal.core.problems import PROBLEM_JSON, problem


def saved_language(request) -> str | None:
    """The signed-in user's saved language, which their pages use unless they chose one in this
    browser (the language cookie); None when the request's own language applies."""
    user = request.user
    if user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        return user.preferred_language
    return None


class PreferredLanguageMiddleware:
    """Serve a signed-in user in their saved language unless they chose one in this browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = saved_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def passed_mfa(request, user) -> bool:
    """Whether this session proved the second factor (allauth records each step of a sign-in
    in the session), not merely whether the user has one set up."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


class StaffMFAMiddleware:
    """Staff reach nothing confidential without two-factor authentication in this session.

    Staff without an authenticator are sent to set one up; staff who have one but whose session
    did not pass it (a session opened by any other way than allauth's sign-in) are sent to enter
    a code. The API answers 403 problem+json instead of redirecting. Staff may still reach the
    landing page, the language switch, static files and the health check; their account pages
    only while setting MFA up, and otherwise only the code page and sign-out, so a session that
    skipped the second factor cannot change the account's authenticators.
    """

    OPEN_PREFIXES = ("/i18n/", "/static/", "/healthz", "/favicon")
    SETUP_PREFIX = "/accounts/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path
        if not user.is_authenticated or path == "/" or path.startswith(self.OPEN_PREFIXES) or not user.is_staff_role:
            return self.get_response(request)
        if not is_mfa_enabled(user):
            if path.startswith(self.SETUP_PREFIX):
                return self.get_response(request)
            message = _("Your role gives access to confidential records: set up two-factor authentication first.")
            return self._refuse(request, "mfa_setup_required", message, "mfa_activate_totp")
        if passed_mfa(request, user) or path in (reverse("mfa_reauthenticate"), reverse("account_logout")):
            return self.get_response(request)
        message = _("Your role gives access to confidential records: enter a code from your authenticator app.")
        return self._refuse(request, "mfa_required", message, "mfa_reauthenticate")

    def _refuse(self, request, code, message, url_name):
        if request.path.startswith("/api/"):
            body = problem(code, message, 403)
            return JsonResponse(body, status=403, content_type=PROBLEM_JSON)
        messages.warning(request, message)
        return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


class PreferredLanguageMiddleware:
    """Serve a signed-in user in their saved language unless they chose one in this browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class StaffMFAMiddleware:
    """Send staff without two-factor authentication to set it up before anything else.

    Staff may still reach the landing page, their account pages (where MFA is set up),
    the language switch, static files and the health check.
    """

    OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/favicon")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.path != "/"
            and not request.path.startswith(self.OPEN_PREFIXES)
            and user.is_staff_role
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request, _("Your role gives access to confidential records: set up two-factor authentication first.")
            )
            return redirect(reverse("mfa_activate_totp") + f"?next={request.path}")
        return self.get_response(request)

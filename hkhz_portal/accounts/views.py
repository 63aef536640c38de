from allauth.account.views import EmailVerificationSentView
from allauth.mfa.recovery_codes.views import ViewRecoveryCodesView
from allauth.mfa.totp.views import ActivateTOTPView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from hkhz_portal.core import dashboard as dashboard_panels
from hkhz_portal.core import events, notifications
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import call_service
from hkhz_portal.core.navigation import safe_next

from . import selectors, services
from .allauth_forms import LoginForm
from .forms import APIKeyForm, NotificationSettingsForm, ProfileForm
from .roles import Role
from .workspaces import BY_SLUG


@login_required
def dashboard(request):
    """One page per person: the apps' panels (each app registers its own), then a card per role."""
    user = request.user
    return render(
        request,
        "accounts/dashboard.html",
        {
            "panels": dashboard_panels.panels_for(user),
            "is_admin": user.has_role(Role.ADMIN),
            "has_no_role": not user.roles,
        },
    )


@login_required
def workspace(request, slug):
    """An old link to a staff role's workspace, sent to its page; anyone it is not open to is
    refused (403)."""
    space = BY_SLUG.get(slug)
    if space is None:
        raise Http404
    if not space.open_to(request.user):
        raise PermissionDenied
    return redirect(space.url)


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={"full_name": user.full_name, "preferred_language": user.preferred_language}
    )
    if request.method == "POST" and form.is_valid():
        services.update_profile(actor=user, **form.cleaned_data)
        translation.activate(user.preferred_language)
        messages.success(request, _("Your profile was saved."))
        response = redirect("profile")
        response.set_cookie("django_language", user.preferred_language, samesite="Lax")
        return response
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def notification_settings(request):
    """Which kinds of notification also reach the user by e-mail (in the portal they always do)."""
    kinds = [kind for kind in events.kinds() if kind.recipients is not None]
    form = NotificationSettingsForm(
        request.POST or None, kinds=kinds, current=notifications.email_preferences(request.user)
    )
    if request.method == "POST" and form.is_valid():
        notifications.set_email_preferences(actor=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notification_settings")
    return render(request, "accounts/notification_settings.html", {"form": form})


@require_POST
def switch_language(request):
    """Django's set_language, also remembered on the account of a signed-in user."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.set_preferred_language(actor=request.user, language=language)
    return response


class ActivateTOTP(ActivateTOTPView):
    """allauth's TOTP set-up, which hands the page the user wanted on to the recovery codes."""

    def get_success_url(self) -> str:
        url = super().get_success_url()
        wanted = safe_next(self.request)
        return f"{url}?{urlencode({REDIRECT_FIELD_NAME: wanted})}" if wanted else url


class RecoveryCodes(ViewRecoveryCodesView):
    """allauth's recovery codes, with a way on: the page the user wanted, else the 2FA overview."""

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "continue_url": safe_next(self.request) or reverse("mfa_index")}


class VerificationSent(EmailVerificationSentView):
    """allauth's "we sent you a link" page, with a form to have it sent again: allauth sends the
    link again when an unverified address signs in (at most once per ``confirm_email`` limit)."""

    def get_context_data(self, **kwargs) -> dict:
        form = LoginForm(request=self.request)
        form.fields.pop("remember", None)
        return {**super().get_context_data(**kwargs), "resend_form": form}


#: Where a new key's secret waits, in the session, for the one page that shows it.
NEW_KEY_SESSION = "new_api_key"


def _partner_organisation(request):
    """The organisation the signed-in partner acts for; anyone else is refused (403)."""
    try:
        return services.require_partner(request.user)
    except DomainError:
        raise PermissionDenied from None


@login_required
def api_keys(request):
    """The organisation's API access: its keys, and a form to make one. A new key's secret goes
    to the session, not the URL, for ``api_key_created`` to show once."""
    organisation = _partner_organisation(request)
    form = APIKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = call_service(form, lambda: services.create_api_key(actor=request.user, **form.cleaned_data))
        if made:
            key, secret = made
            request.session[NEW_KEY_SESSION] = {"id": key.pk, "secret": secret}
            return redirect("partner_api_key_created")
    # The keys that work first, newest first among each (the query's order; sorting is stable).
    keys = sorted(selectors.organisation_keys(organisation), key=lambda key: not key.is_active)
    active = sum(key.is_active for key in keys)
    return render(
        request,
        "partner/api_keys.html",
        {
            "organisation": organisation,
            "keys": keys,
            "form": form,
            "active_count": active,
            "max_keys": services.MAX_ACTIVE_KEYS,
            "at_limit": active >= services.MAX_ACTIVE_KEYS,
        },
    )


@never_cache
@login_required
def api_key_created(request):
    """The new key's secret, this once: it leaves the session as the page is made, and the
    page is not cached, so neither reloading nor going back shows it again."""
    organisation = _partner_organisation(request)
    shown = request.session.pop(NEW_KEY_SESSION, None)
    key = shown and selectors.organisation_keys(organisation).filter(pk=shown["id"]).first()
    if not key:
        messages.info(request, _("A key's secret is shown only once, just after the key is made."))
        return redirect("partner_api_keys")
    return render(request, "partner/api_key_created.html", {"key": key, "secret": shown["secret"]})


@require_POST
@login_required
def api_key_revoke(request, pk):
    """Revoke one of the organisation's keys (the page asks to confirm first); another
    organisation's key is not found."""
    _partner_organisation(request)
    key = services.revoke_api_key(pk, actor=request.user)
    messages.success(
        request,
        _("The key “%(name)s” (%(prefix)s…) was revoked: requests made with it are refused from now on.")
        % {"name": key.name, "prefix": key.prefix},
    )
    return redirect("partner_api_keys")

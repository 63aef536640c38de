"""The consent page: read the current cross-border notice, give or withdraw consent, see one's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..forms.consent import ConsentForm, WithdrawConsentForm
from ..services import consent as consent_services


def safe_next(request) -> str:
    """The page to go back to after consenting, if it is on this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    hosts = {request.get_host()}
    allowed = url_has_allowed_host_and_scheme(url, allowed_hosts=hosts, require_https=request.is_secure())
    return url if url and allowed else ""


def needs_consent(user) -> bool:
    """Whether a page that takes data warns first (``enterprises/_consent_hint.html``): the
    services refuse it without the user's current consent."""
    return selectors.active_consent(user) is None


def _render(request, *, form=None, withdraw_form=None, status=200):
    user = request.user
    notice = selectors.current_notice()
    history = list(selectors.consent_history(user))
    active = next((c for c in history if c.notice_id == notice.pk and c.withdrawn_at is None), None)
    context = {
        "notice": notice,
        "active": active,
        "latest": history[0] if history else None,
        "history": history,
        "form": form if form is not None else ConsentForm(),
        "withdraw_form": withdraw_form if withdraw_form is not None else WithdrawConsentForm(),
        "next_url": safe_next(request),
    }
    return render(request, "enterprises/consent.html", context, status=status)


@login_required
def consent_page(request):
    """Anyone signed in may read the notice and consent; ``next`` brings them back where they were."""
    if request.method != "POST":
        return _render(request)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _render(request, form=form)
    already = selectors.active_consent(request.user)
    consent = consent_services.give_consent(actor=request.user, scope=form.cleaned_data["scope"])
    if already is None:
        messages.success(
            request,
            _("Thank you: your consent to version %(version)s of the notice is recorded.")
            % {"version": consent.notice.version},
        )
    else:
        messages.info(request, _("Your consent was already recorded; nothing changed."))
    return redirect(safe_next(request) or "consent")


@login_required
@require_POST
def consent_withdraw(request):
    form = WithdrawConsentForm(request.POST)
    if not form.is_valid():
        return _render(request, withdraw_form=form)
    if consent_services.withdraw_consent(actor=request.user):
        messages.success(
            request,
            _(
                "Your consent is withdrawn. From now on your personal data will not be transferred across the "
                "border, and you cannot submit or change enterprise data until you give your consent again. "
                "Transfers already made are not undone."
            ),
        )
    else:
        messages.info(request, _("You had no consent to withdraw."))
    return redirect("consent")

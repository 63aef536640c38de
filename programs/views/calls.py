"""The calls, as anyone sees them; a signed-in applicant checks an enterprise against a call's
rules and starts an application from there."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from enterprises import selectors as enterprise_selectors
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError

from .. import selectors
from ..choices import CallState, RuleKind
from ..eligibility import describe, self_check
from ..forms.applications import EnterpriseChoiceForm
from ..services.applications import start_application
from ..workflow import Status

#: Where an applicant mends each kind of failed rule: the profile form, or the documents page.
MEND_ON_PROFILE = {RuleKind.MAX_COMPANY_AGE, RuleKind.SECTOR_IN, RuleKind.MIN_COMPLETENESS, RuleKind.IDENTIFIER_VALID}
MEND_WITH_DOCUMENTS = {RuleKind.REQUIRED_DOCUMENTS}


@dataclass
class CallRow:
    call: object
    state: str
    time_left: str


def _row(call, now) -> CallRow:
    state = call.state(now)
    if state == CallState.UPCOMING:
        left = _("opens in %(time)s") % {"time": timeuntil(call.opens_at, now)}
    elif state == CallState.CLOSED:
        left = ""
    elif call.is_rolling:
        left = _("rolling intake, all year")
    else:
        left = _("%(time)s left") % {"time": timeuntil(call.closes_at, now)}
    return CallRow(call=call, state=state, time_left=left)


def call_list(request):
    """Open calls first, then upcoming ones, then those closed in the last three months."""
    now = timezone.now()
    grouped = selectors.calls_by_state(now)
    sections = [
        (CallState.OPEN, _("Open calls"), _("No call is open at the moment.")),
        (CallState.UPCOMING, _("Upcoming calls"), ""),
        (CallState.CLOSED, _("Recently closed"), ""),
    ]
    context = {
        "sections": [
            {"state": state, "title": title, "empty": empty, "rows": [_row(c, now) for c in grouped[state]]}
            for state, title, empty in sections
            if grouped[state] or empty
        ]
    }
    return render(request, "programs/calls/list.html", context)


@dataclass
class CheckedRule:
    label: str
    passed: bool | None
    reason: str
    mend_url: str = ""
    mend_label: str = ""


def _mend(rule, enterprise) -> tuple[str, str]:
    if rule.kind in MEND_ON_PROFILE:
        return reverse("enterprise_edit", args=[enterprise.reference]), _("Edit the profile")
    if rule.kind in MEND_WITH_DOCUMENTS:
        return reverse("document_list", args=[enterprise.reference]), _("Upload documents")
    if rule.kind == RuleKind.NO_OPEN_APPLICATION:
        return reverse("programs:application_list"), _("See your applications")
    return "", ""


def _self_check(call, enterprise) -> list[CheckedRule]:
    checked = []
    for rule, outcome in zip(call.rules.all(), self_check(call, enterprise), strict=True):
        item = CheckedRule(label=describe(rule), passed=outcome.passed, reason=outcome.reason)
        if outcome.passed is False:
            item.mend_url, item.mend_label = _mend(rule, enterprise)
        checked.append(item)
    return checked


def call_detail(request, slug):
    """The call, its rules in plain words, its cohort (the admitted enterprises listed in the
    directory) and, for an applicant, the self-check of the chosen enterprise and the button
    that starts (or resumes) its application."""
    call = selectors.call_page(slug)
    context = {
        "call": call,
        "row": _row(call, timezone.now()),
        "rules": [describe(rule) for rule in call.rules.all()],
        "cohort": list(selectors.cohort(call, public=True)),
    }
    user = request.user
    if user.is_authenticated and user.has_role(Role.APPLICANT):
        enterprises = list(enterprise_selectors.enterprises_of(user).order_by("legal_name_en", "pk"))
        if enterprises:
            form = EnterpriseChoiceForm(request.GET or None, enterprises=enterprises)
            chosen = enterprises[0]
            if form.is_bound and form.is_valid():
                chosen = next(e for e in enterprises if e.reference == form.cleaned_data["enterprise"])
            else:
                form = EnterpriseChoiceForm(initial={"enterprise": chosen.reference}, enterprises=enterprises)
            existing = (
                selectors.applications_of(user).filter(call=call, enterprise=chosen).exclude(status=Status.WITHDRAWN)
            )
            context.update(
                {
                    "choice_form": form,
                    "enterprise": chosen,
                    "checks": _self_check(call, chosen),
                    "existing": existing.first(),
                }
            )
        context["has_enterprises"] = bool(enterprises)
    return render(request, "programs/calls/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_start(request, slug):
    """Start the application (or return to the draft that exists: two tabs, a double click).

    GET leads back to the call: it is where the consent page returns to after a refusal."""
    call = selectors.call_page(slug)
    if request.method == "GET":
        return redirect("programs:call", slug=slug)
    enterprise = enterprise_selectors.enterprise_of(request.user, request.POST.get("enterprise", ""))
    try:
        application = start_application(actor=request.user, call=call, enterprise=enterprise)
    except DomainError as error:
        if error.code != "call_not_open":
            raise  # consent missing: the middleware sends the user to give it, and back here
        messages.error(request, error.message)
        return redirect("programs:call", slug=slug)
    return redirect("programs:application_edit", reference=application.reference)

"""The program officer's pages: the unit's queue, one application with the actions its state
allows, and the workflow explained from its declaration.

Officers of another unit get 404 for an application (``selectors.unit_application``); anyone
who is not a program officer gets 403 on every page here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enterprises.choices import HangzhouDistrict, Sector
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import add_service_error

from .. import selectors
from ..answers import form_schema
from ..diagram import workflow_diagram
from ..display import answer_sections, shown_decision
from ..eligibility import check_label, explain
from ..forms.staff import ACTION_FORMS, OnboardingForm
from ..queue import COUNT_CAP, CappedPaginator, QueueForm
from ..services.applications import open_info_request
from ..workflow import ACTOR_LABELS, STATE_HELP, TRANSITIONS, Actor, Status, reachable_states, transitions_by


def _require_officer(user):
    if not selectors.is_unit_officer(user):
        raise PermissionDenied


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


def _queue_rows(applications, calls) -> list:
    """Attach each row's labels, translating every choice list once per request (not per row)."""
    statuses, sectors, districts = _labels(Status), _labels(Sector), _labels(HangzhouDistrict)
    titles = {call.pk: call.title for call in calls}
    rows = list(applications)
    for row in rows:
        submitted = timezone.localtime(row.submitted_at)
        row.url = reverse("programs:staff_application", args=[row.reference])
        row.submitted_iso = submitted.isoformat()
        row.submitted_on = formats.date_format(submitted, "SHORT_DATE_FORMAT")
        row.status_label = statuses.get(row.status, row.status)
        row.sector_label = sectors.get(row.sector, "")
        row.district_label = districts.get(row.district, "")
        row.call_title = titles.get(row.call_id, "")
        row.waiting = row.status == Status.MORE_INFO_REQUESTED
    return rows


@login_required
@require_GET
def queue(request):
    """The unit's submitted applications: search, filters, sort, pages. Its query count does not
    depend on the rows shown: rows read only queue columns, labels come from the choices."""
    _require_officer(request.user)
    calls = list(selectors.unit_calls(request.user))
    form = QueueForm(request.GET or None, calls=calls)
    applications = form.apply(selectors.unit_applications(request.user))
    page = CappedPaginator(applications, form.page_size()).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/staff/queue.html",
        {
            "form": form,
            "controls": form.controls(),
            "page": page,
            "rows": _queue_rows(page.object_list, calls),
            "problems": form.search.problems,
            "query": query.urlencode(),
            "filtering": form.filtering,
            "count_cap": COUNT_CAP,
            "calls": calls,
        },
    )


def _render_application(request, application, *, bound=None, onboarding_form=None, status=200):
    """The application page; ``bound`` is an action form (``onboarding_form`` the onboarding
    checklist) sent with errors, shown in place of its blank one."""
    schema = form_schema(application.form_version)
    changes = list(selectors.timeline(application))
    checks = [
        {"label": check_label(c.rule), "passed": c.passed, "reason": explain(c.code, c.params)}
        for c in selectors.latest_screening(application)
    ]
    info_request = open_info_request(application)
    reopened = []
    if info_request is not None:
        reopened = [str(schema.questions[k].label) for k in info_request.fields if k in schema.questions]
    actions = []
    for transition in transitions_by(Actor.OFFICER, application.status):
        form_class = ACTION_FORMS.get(transition.name)
        if form_class is None:
            continue
        form = bound if bound is not None and bound.transition == transition.name else None
        actions.append({"transition": transition, "form": form or form_class(application=application)})
    return render(
        request,
        "programs/staff/application.html",
        {
            "application": application,
            "enterprise": application.enterprise,
            "sections": answer_sections(application, schema, download="staff_document_download"),
            "checks": checks,
            "failed_checks": sum(1 for c in checks if not c["passed"]),
            "changes": changes,
            "info_request": info_request,
            "reopened": reopened,
            "actions": actions,
            "status_help": STATE_HELP.get(application.status, ""),
            "decision": shown_decision(application),
            "onboarding_form": onboarding_form
            or (OnboardingForm(application=application) if application.status == Status.ONBOARDING else None),
        },
        status=status,
    )


@login_required
@require_GET
def application(request, reference):
    _require_officer(request.user)
    return _render_application(request, selectors.unit_application(request.user, reference))


@login_required
@require_POST
def application_action(request, reference, transition):
    """Take an officer transition. A refusal about what was typed shows on the form; a state
    changed meanwhile (another officer acted first) is a message on the page, naming who and when."""
    _require_officer(request.user)
    form_class = ACTION_FORMS.get(transition)
    if form_class is None:
        raise Http404
    application = selectors.unit_application(request.user, reference)
    form = form_class(request.POST, application=application)
    done = _("Done: “%(step)s” on %(reference)s.") % {"step": TRANSITIONS[transition].label, "reference": reference}
    return _perform(request, application, form, done, bound=form)


def _perform(request, application, form, done: str, **shown):
    """Run a posted form of the application page. Done: back to the page, saying ``done``; a
    refusal of what was typed: the page again with the form's errors (``shown`` names the form
    for ``_render_application``); a state changed meanwhile: a message naming who and when."""
    page = redirect("programs:staff_application", reference=application.reference)
    if form.is_valid():
        try:
            form.perform(request.user)
        except DomainError as err:
            if err.status == 409:
                messages.error(request, err.message)
                return page
            add_service_error(form, err)
        except ValidationError as err:
            add_service_error(form, err)
        else:
            messages.success(request, done)
            return page
    return _render_application(request, application, status=400, **shown)


@login_required
@require_POST
def record_onboarding(request, reference):
    """Record the onboarding's formalities done so far; the page shows what is still missing."""
    _require_officer(request.user)
    application = selectors.unit_application(request.user, reference)
    form = OnboardingForm(request.POST, application=application)
    done = _("The onboarding of %(reference)s is recorded.") % {"reference": reference}
    return _perform(request, application, form, done, onboarding_form=form)


@login_required
@require_GET
def workflow_help(request):
    """The workflow as declared in ``programs.workflow``: states, transitions, a diagram."""
    _require_officer(request.user)
    states = [{"status": s, "help": STATE_HELP.get(s, "")} for s in reachable_states()]
    transitions = [
        {
            "transition": t,
            "sources": [s.label for s in Status if s in t.sources],
            "target": t.target.label if t.target else None,
            "actor": ACTOR_LABELS[t.by],
        }
        for t in TRANSITIONS.values()
    ]
    return render(
        request,
        "programs/staff/workflow.html",
        {
            "states": states,
            "transitions": transitions,
            "diagram": workflow_diagram(),
            "actors": [(actor.value, label) for actor, label in ACTOR_LABELS.items()],
        },
    )

"""The program officer's pages: the unit's queue, one application with the actions its state
allows, and the workflow explained from its declaration.

Officers of another unit get 404 for an application (``selectors.unit_application``); anyone
who is not a program officer gets 403 on every page here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enterprises.choices import HangzhouDistrict, Sector
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import act_on_form
from hkhz_portal.core.pagination import page_query

from .. import selectors
from ..answers import form_schema
from ..choices import AssignmentStatus
from ..diagram import workflow_diagram
from ..display import answer_sections, review_rows, shown_decision
from ..eligibility import check_label, explain
from ..forms.reviews import AssignReviewerForm, ReplaceReviewerForm
from ..forms.staff import ACTION_FORMS, OnboardingForm
from ..queue import COUNT_CAP, CappedPaginator, QueueForm
from ..services import reviews
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
    return render(
        request,
        "programs/staff/queue.html",
        {
            "form": form,
            "controls": form.controls(),
            "page": page,
            "rows": _queue_rows(page.object_list, calls),
            "problems": form.search.problems,
            "query": page_query(request),
            "filtering": form.filtering,
            "count_cap": COUNT_CAP,
            # The call chosen in the filter, whose exports the page links to.
            "call_slug": form.cleaned_data.get("call") if form.is_bound else "",
            "calls": calls,
        },
    )


def _render_application(request, application, *, bound=None, status=200):
    """The application page; ``bound`` is a form of it (an action, a reviewer's assignment, the
    onboarding checklist) sent with errors, shown in place of its blank one."""
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
        form = bound if getattr(bound, "transition", None) == transition.name else None
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
            "reviewing": _reviewing(application, bound),
            "decision": shown_decision(application),
            "onboarding_form": _onboarding_form(application, bound),
        },
        status=status,
    )


def _onboarding_form(application, bound) -> OnboardingForm | None:
    """The onboarding checklist while the application is onboarding (``bound`` if it was sent with errors)."""
    if isinstance(bound, OnboardingForm):
        return bound
    return OnboardingForm(application=application) if application.status == Status.ONBOARDING else None


#: States in which the officer changes the reviewers (``services.reviews``).
REVIEWER_CHANGE_STATES = (Status.IN_REVIEW, Status.MORE_INFO_REQUESTED)


def _reviewing(application, bound) -> dict | None:
    """The application's reviewers and reviews, and the officer's forms for them (``bound``, a
    form sent with errors, in place of its blank one); None before the application reaches review."""
    assignments = selectors.application_assignments(application)
    if not assignments and application.status not in reviews.REVIEWING_STATES:
        return None
    rubric = selectors.rubric_of(application.call)
    criteria = list(rubric.criteria.all()) if rubric else []
    submitted = [a.review for a in assignments if a.status == AssignmentStatus.SUBMITTED]
    changing = application.status in REVIEWER_CHANGE_STATES
    active = sum(1 for a in assignments if a.is_active)
    rows = []
    for assignment in assignments:
        replace = None
        if changing and assignment.is_owed:
            mine = getattr(bound, "assignment", None) == assignment
            replace = bound if mine else ReplaceReviewerForm(assignment=assignment)
        rows.append({"assignment": assignment, "replace": replace})
    empty = application.call.reviewers_per_application - active if changing else 0
    assign = None
    if empty > 0:
        assign = bound if isinstance(bound, AssignReviewerForm) else AssignReviewerForm(application=application)
    return {
        "rows": rows,
        "criteria": criteria,
        "reviews": review_rows(submitted, criteria, named=True),
        "empty": empty,
        "assign": assign,
        "panel_exhausted": assign is not None and not assign.fields["reviewer"].queryset.exists(),
        "can_close": application.status == Status.REVIEWED and application.reviews_closed_at is None,
        "places": application.call.reviewers_per_application,
    }


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
    return _act(request, application, form, lambda: form.perform(request.user), done)


def _act(request, application, form, perform, done: str):
    """Call ``perform()`` if ``form`` is valid and say ``done``. A refusal about what was typed
    shows on the form; a state changed meanwhile (another officer acted first) is a message on
    the page, naming who and when."""
    return act_on_form(
        request,
        form,
        perform,
        done=done,
        back=redirect("programs:staff_application", reference=application.reference),
        page=lambda bound: _render_application(request, application, bound=bound, status=400),
    )


@login_required
@require_POST
def record_onboarding(request, reference):
    """Record the onboarding's formalities done so far; the page shows what is still missing."""
    _require_officer(request.user)
    application = selectors.unit_application(request.user, reference)
    form = OnboardingForm(request.POST, application=application)
    done = _("The onboarding of %(reference)s is recorded.") % {"reference": reference}
    return _act(request, application, form, lambda: form.perform(request.user), done)


@login_required
@require_POST
def reviewer_assign(request, reference):
    """Give an empty review place to a reviewer of the call's panel; one with a conflict is refused."""
    _require_officer(request.user)
    application = selectors.unit_application(request.user, reference)
    form = AssignReviewerForm(request.POST, application=application)

    def perform():
        reviews.assign_reviewer(actor=request.user, application=application, reviewer=form.cleaned_data["reviewer"])

    return _act(request, application, form, perform, _("The reviewer is assigned."))


@login_required
@require_POST
def reviewer_replace(request, reference, assignment):
    """Take back an assignment not yet submitted and give its place to the chosen reviewer, or
    to whoever the portal's worker chooses."""
    _require_officer(request.user)
    application = selectors.unit_application(request.user, reference)
    found = application.assignments.select_related("reviewer").filter(pk=assignment).first()
    if found is None:
        raise Http404
    found.application = application
    form = ReplaceReviewerForm(request.POST, assignment=found)

    def perform():
        reviews.replace_reviewer(
            actor=request.user,
            assignment=found,
            reviewer=form.cleaned_data["reviewer"],
            reason=form.cleaned_data["reason"].strip(),
        )

    done = (
        _("The reviewer is replaced.")
        if request.POST.get(form.add_prefix("reviewer"))
        else _("The reviewer is replaced: the portal is choosing another.")
    )
    return _act(request, application, form, perform, done)


@login_required
@require_POST
def reviews_close(request, reference):
    """Close the reviews of a reviewed application: no reviewer changes a score from now on."""
    _require_officer(request.user)
    application = selectors.unit_application(request.user, reference)
    try:
        reviews.close_reviews(actor=request.user, application=application)
    except DomainError as err:
        if err.status in (403, 404):
            raise
        messages.error(request, err.message)
    else:
        messages.success(request, _("The reviews of %(reference)s are closed.") % {"reference": reference})
    return redirect("programs:staff_application", reference=reference)


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

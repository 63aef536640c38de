"""The reviewer's pages: their assignments and the organisations they named as tied to them, and
one assignment: the conflict declaration first (only the enterprise's name and the call before
it), then the application, its documents and the scoring form; the other reviews once their own
is submitted (blind until then).

Reviewers only (anyone else: 403); another reviewer's assignment is 404
(``selectors.reviewer_assignment``), on pages, downloads and the API alike.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enterprises.selectors import document_version
from enterprises.views.documents import file_response
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import add_service_error, call_service

from .. import selectors
from ..answers import form_schema
from ..choices import DECLARED_NONE, AssignmentStatus
from ..display import answer_sections, answered_documents, review_rows
from ..forms.reviews import DeclarationForm, OrganisationForm, ReviewForm
from ..services import reviews as services

#: The list's groups, in the order a reviewer works through them.
GROUPS = (
    ("awaiting", gettext_lazy("Waiting for your declaration"), {AssignmentStatus.AWAITING_DECLARATION}),
    ("reviewing", gettext_lazy("Reviewing"), {AssignmentStatus.REVIEWING}),
    ("submitted", gettext_lazy("Submitted"), {AssignmentStatus.SUBMITTED}),
    (
        "ended",
        gettext_lazy("Ended"),
        {AssignmentStatus.CONFLICT, AssignmentStatus.REPLACED, AssignmentStatus.CANCELLED},
    ),
)


def reviewer_required(view):
    """Signed in (else the sign-in page) as a reviewer (else 403); whose assignment it is, each
    view checks through the selectors (another reviewer's is 404)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_role(Role.REVIEWER):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- The list ------------------------------------------------------------------------------------


def _render_list(request, form, *, status=200):
    assignments = list(selectors.reviewer_assignments(request.user))
    groups = [
        {"key": key, "title": title, "assignments": [a for a in assignments if a.status in statuses]}
        for key, title, statuses in GROUPS
    ]
    context = {
        "groups": groups,
        "total": len(assignments),
        "organisations": list(selectors.organisation_conflicts(request.user)),
        "form": form,
    }
    return render(request, "programs/reviews/list.html", context, status=status)


@reviewer_required
@require_GET
def review_list(request):
    """The reviewer's assignments by where they stand, in a fixed number of queries."""
    return _render_list(request, OrganisationForm())


@reviewer_required
@require_POST
def organisation_add(request):
    """Name an organisation tied to the reviewer: its enterprises are never assigned to them."""
    form = OrganisationForm(request.POST)
    if form.is_valid() and call_service(
        form,
        lambda: services.declare_organisation(
            actor=request.user, organisation=form.cleaned_data["organisation"], reason=form.cleaned_data["reason"]
        ),
        default_field="organisation",
    ):
        messages.success(request, _("Noted: you will not be assigned applications of this organisation."))
        return redirect("programs:reviews")
    return _render_list(request, form, status=400)


# --- One assignment ------------------------------------------------------------------------------


def _closed_message(assignment) -> str:
    if not assignment.is_active:
        return _("This assignment has ended: “%(status)s”.") % {"status": assignment.get_status_display()}
    if assignment.application.reviews_closed_at is not None:
        return _("The officer has closed the reviews of this application: the page is read-only.")
    if not services.review_open(assignment):
        return _("This application is no longer in review: the page is read-only.")
    return ""


def _cannot_score(assignment, rubric) -> str:
    """Why the reviewer cannot score now, or ""."""
    if assignment.status == AssignmentStatus.AWAITING_DECLARATION:
        return _("Declare whether you have a conflict of interest first.")
    if rubric is None:
        return _("This call has no rubric to score with yet: tell the officer.")
    return _closed_message(assignment)


def _render_review(request, assignment, *, declaration=None, form=None, status=200):
    """The assignment's page; ``declaration`` or ``form``: a form sent with errors, in place of its blank one."""
    application = assignment.application
    open_ = services.review_open(assignment)
    context = {
        "assignment": assignment,
        "application": application,
        "closed_message": _closed_message(assignment),
        "editable": open_ and assignment.status in DECLARED_NONE,
    }
    if assignment.status == AssignmentStatus.AWAITING_DECLARATION and open_:
        context["declaration"] = declaration or DeclarationForm()
    if assignment.status in DECLARED_NONE:
        own = getattr(assignment, "review", None)
        rubric = selectors.rubric_of(application.call)
        context["sections"] = answer_sections(
            application,
            form_schema(application.form_version),
            download="programs:review_document_download",
            owner=[assignment.pk],
        )
        context["review"] = own
        context["rubric"] = rubric
        if rubric is not None:
            context["form"] = form or ReviewForm(rubric=rubric, review=own, disabled=not open_)
        others = selectors.reviews_seen_by(assignment)
        if others is not None and rubric is not None:
            criteria = list(rubric.criteria.all())
            context["criteria"] = criteria
            context["others"] = review_rows(others, criteria, named=False)
    return render(request, "programs/reviews/detail.html", context, status=status)


@reviewer_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """The assignment: GET shows it; POST saves the scores and comments, or submits them
    (``action=submit``). A refusal of what was typed shows on the form (400); a review that can
    no longer change is a message."""
    assignment = selectors.reviewer_assignment(request.user, pk)
    if request.method == "GET":
        return _render_review(request, assignment)
    rubric = selectors.rubric_of(assignment.application.call)
    refusal = _cannot_score(assignment, rubric)
    if refusal:
        messages.error(request, refusal)
        return redirect("programs:review", pk=pk)
    form = ReviewForm(request.POST, rubric=rubric)
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            services.save_review(
                actor=request.user,
                assignment=assignment,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment_to_officer=form.cleaned_data["comment_to_officer"],
                comment_to_applicant=form.cleaned_data["comment_to_applicant"],
                submit=submit,
            )
        except (DomainError, ValidationError) as err:
            if getattr(err, "status", None) == 409:
                messages.error(request, err.message)
                return redirect("programs:review", pk=pk)
            form.add_refusal(err)
        else:
            messages.success(request, _("Your review is submitted.") if submit else _("Your review is saved."))
            return redirect("programs:review", pk=pk)
    return _render_review(request, assignment, form=form, status=400)


@reviewer_required
@require_POST
def review_declare(request, pk):
    """Declare a conflict of interest (the assignment goes to someone else) or none (the
    application opens to the reviewer)."""
    assignment = selectors.reviewer_assignment(request.user, pk)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        conflict = form.cleaned_data["conflict"]
        try:
            services.declare(
                actor=request.user, assignment=assignment, conflict=conflict, reason=form.cleaned_data["reason"]
            )
        except DomainError as err:
            if err.status == 409:
                messages.error(request, err.message)
                return redirect("programs:review", pk=pk)
            add_service_error(form, err, default_field="reason")
        else:
            if conflict:
                messages.success(request, _("Thank you: the application goes to another reviewer."))
                return redirect("programs:reviews")
            messages.success(request, _("Thank you: the application is open to you."))
            return redirect("programs:review", pk=pk)
    return _render_review(request, assignment, declaration=form, status=400)


@never_cache
@reviewer_required
@require_GET
def review_document_download(request, pk, document, number):
    """A document the application's answers point to, for its reviewer once they declared no
    conflict; logged as an export, as every download of a document is. Any other is 404."""
    assignment = selectors.reviewer_assignment(request.user, pk)
    application = assignment.application
    if assignment.status not in DECLARED_NONE:
        raise Http404
    if document not in answered_documents(application, form_schema(application.form_version)):
        raise Http404
    return file_response(request, document_version(application.enterprise, document, number))

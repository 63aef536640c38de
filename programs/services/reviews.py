"""Reviewers and their reviews: assignment (by the worker and by hand), conflict declarations,
scoring, and the move to ``reviewed`` once every review is in.

The application's row is the lock for everything here: assigning, handing back, replacing,
submitting and closing take it first, so counts of assignments and reviews are read by one
transaction at a time. Assignments of different applications run in parallel; they read the
reviewers' loads without locking them, so two of them at the same moment can give one reviewer
one more than the balance would (the next assignment evens it out).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import audit, events
from hkhz_portal.core.calendars import working_days_after
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.queueing import enqueue_after_commit
from hkhz_portal.core.search import normalise_text

from ..assignment import CONFLICT_REASONS, Candidate, choose, conflicts, loads
from ..audit_actions import AuditAction
from ..choices import ACTIVE_ASSIGNMENTS, OWED_ASSIGNMENTS, AssignmentStatus
from ..events import ReviewEventKind
from ..models import Application, ConflictDeclaration, Review, ReviewAssignment, Rubric
from ..workflow import Status
from .applications import _lock, _move, require_officer_of

#: Application states in which reviewers are assigned and reviews change.
REVIEWING_STATES = frozenset({Status.IN_REVIEW, Status.MORE_INFO_REQUESTED, Status.REVIEWED})


def enqueue_assignment(application: Application) -> None:
    """Ask a worker to fill the application's review places once the caller's transaction commits."""
    from ..tasks import assign_reviewers as task

    Application.objects.filter(pk=application.pk).update(assignment_enqueued_at=timezone.now())
    enqueue_after_commit(task, application.pk)


def due_on(application: Application):
    """A new assignment's due date: the call's review period in Hong Kong working days from today."""
    today = timezone.localdate()
    return working_days_after(today, application.call.review_period_days, "HK")


def _active(application: Application):
    return application.assignments.filter(status__in=ACTIVE_ASSIGNMENTS)


@transaction.atomic(durable=True)
def assign_reviewers(application_id: int) -> list[ReviewAssignment]:
    """The worker's step: give an application in review the call's number of reviewers, then
    move it on if every review is already in. Running it twice assigns nobody twice: it fills
    only the places still empty. Returns the assignments made."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "enterprise")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return []
    application.assignment_enqueued_at = None
    application.save(update_fields=["assignment_enqueued_at"])
    if application.status != Status.IN_REVIEW:
        return []
    needed = application.call.reviewers_per_application - _active(application).count()
    made = _fill(application, needed, actor=None) if needed > 0 else []
    _complete_if_all_in(application)
    return made


def _fill(application: Application, needed: int, *, actor) -> list[ReviewAssignment]:
    panel = list(application.call.panel.select_related("reviewer").filter(reviewer__is_active=True))
    already = set(application.assignments.values_list("reviewer_id", flat=True))
    pool = [m for m in panel if m.reviewer_id not in already]
    barred = conflicts([m.reviewer for m in pool], application.enterprise)
    free = [m for m in pool if m.reviewer_id not in barred]
    load = loads([m.reviewer_id for m in free])
    candidates = [Candidate(m.reviewer_id, load[m.reviewer_id], frozenset(m.sectors or ())) for m in free]
    chosen = choose(candidates, sector=application.enterprise.sector, needed=needed)
    due = due_on(application)
    made = [
        _create(application, c.reviewer_id, due=due, actor=actor, expertise=application.enterprise.sector in c.sectors)
        for c in chosen
    ]
    missing = needed - len(made)
    if missing != application.reviewers_missing:
        application.reviewers_missing = missing
        application.save(update_fields=["reviewers_missing"])
        if missing:
            events.emit(
                ReviewEventKind.REVIEWERS_SHORT,
                target=application,
                payload={
                    "reference": application.reference,
                    "missing": missing,
                    "panel": len(panel),
                    "already": len(already),
                    "conflicted": len(barred),
                },
            )
    return made


def _create(application, reviewer_id: int, *, due, actor, expertise: bool) -> ReviewAssignment:
    assignment = ReviewAssignment.objects.create(
        application=application, reviewer_id=reviewer_id, due_on=due, assigned_by=actor, expertise_match=expertise
    )
    audit.record(
        AuditAction.REVIEWER_ASSIGNED,
        actor=actor,
        target=application,
        changes={"reviewer": reviewer_id, "due_on": due.isoformat()},
    )
    events.emit(
        ReviewEventKind.ASSIGNED,
        target=assignment,
        actor=actor,
        payload={"reference": application.reference, "reviewer": reviewer_id, "due_on": due.isoformat()},
    )
    return assignment


def _complete_if_all_in(application: Application) -> bool:
    """``in_review`` → ``reviewed`` when the call's number of reviews are all submitted."""
    if application.status != Status.IN_REVIEW:
        return False
    statuses = list(_active(application).values_list("status", flat=True))
    if len(statuses) < application.call.reviewers_per_application:
        return False
    if any(s != AssignmentStatus.SUBMITTED for s in statuses):
        return False
    _move(application, "complete_reviews", actor=None)
    return True


def _officer_only(actor, application: Application) -> None:
    require_officer_of(actor, application.unit_id, _("Only an officer of the call's unit can change its reviewers."))


def _reviewing(application: Application) -> None:
    if application.status not in (Status.IN_REVIEW, Status.MORE_INFO_REQUESTED):
        raise DomainError(
            _("Reviewers change only while the application is in review: it is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="not_in_review",
            status=409,
        )


@transaction.atomic(durable=True)
def assign_reviewer(*, actor, application: Application, reviewer) -> ReviewAssignment:
    """An officer assigns a reviewer by hand, into an empty place; never one with a conflict."""
    application = _lock(application)
    _officer_only(actor, application)
    _reviewing(application)
    if _active(application).count() >= application.call.reviewers_per_application:
        raise DomainError(_("Every review place is taken: replace a reviewer instead."), code="places_full", status=409)
    return _assign_by_hand(application, reviewer, actor=actor)


def _assign_by_hand(application: Application, reviewer, *, actor) -> ReviewAssignment:
    member = application.call.panel.filter(reviewer=reviewer).first()
    if member is None:
        raise DomainError(_("Choose a reviewer on the call's panel."), code="not_on_panel", field="reviewer")
    if application.assignments.filter(reviewer=reviewer).exists():
        raise DomainError(
            _("This reviewer has already been assigned this application."), code="already_assigned", field="reviewer"
        )
    reason = conflicts([reviewer], application.enterprise).get(reviewer.pk)
    if reason:
        raise DomainError(
            _("%(name)s cannot review this application: the reviewer %(reason)s.")
            % {"name": reviewer.full_name or reviewer.email, "reason": CONFLICT_REASONS[reason]},
            code="conflict",
            field="reviewer",
        )
    expertise = application.enterprise.sector in (member.sectors or ())
    assignment = _create(application, reviewer.pk, due=due_on(application), actor=actor, expertise=expertise)
    # A place the worker could not fill and the officer just did is no longer missing.
    empty = max(application.call.reviewers_per_application - _active(application).count(), 0)
    if application.reviewers_missing > empty:
        application.reviewers_missing = empty
        application.save(update_fields=["reviewers_missing"])
    return assignment


@transaction.atomic(durable=True)
def replace_reviewer(
    *, actor, assignment: ReviewAssignment, reviewer=None, reason: str = ""
) -> ReviewAssignment | None:
    """An officer takes an assignment back (an overdue or unresponsive reviewer) and gives its place
    to ``reviewer``, or to whoever the worker chooses. A submitted review is never taken back."""
    assignment = _locked_assignment(assignment)
    application = assignment.application
    _officer_only(actor, application)
    _reviewing(application)
    if assignment.status not in OWED_ASSIGNMENTS:
        raise DomainError(
            _("Only a reviewer who has not submitted a review can be replaced."), code="not_replaceable", status=409
        )
    _end(assignment, AssignmentStatus.REPLACED, reason=reason)
    audit.record(
        AuditAction.REVIEWER_REPLACED,
        actor=actor,
        target=application,
        changes={"reviewer": assignment.reviewer_id, "reason": reason},
    )
    if reviewer is not None:
        return _assign_by_hand(application, reviewer, actor=actor)
    enqueue_assignment(application)
    return None


def review_open(assignment: ReviewAssignment) -> bool:
    """Whether the assignment's reviewer may still declare or change their review: the assignment
    is active, the application in review and its reviews not closed."""
    application = assignment.application
    return assignment.is_active and application.reviews_closed_at is None and application.status in REVIEWING_STATES


def _end(assignment: ReviewAssignment, status: AssignmentStatus, *, reason: str = "") -> None:
    assignment.status = status
    assignment.ended_at = timezone.now()
    assignment.end_reason = reason
    assignment.save(update_fields=["status", "ended_at", "end_reason"])


def _reviewer_only(actor, assignment: ReviewAssignment) -> None:
    """Only the assigned reviewer; anyone else is told nothing exists (404)."""
    if actor is None or assignment.reviewer_id != actor.pk:
        raise DomainError(_("No such review."), code="not_found", status=404)


def _locked_assignment(assignment: ReviewAssignment):
    application = _lock(assignment.application)
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.application = application
    return assignment


@transaction.atomic(durable=True)
def declare(*, actor, assignment: ReviewAssignment, conflict: bool, reason: str = "") -> ReviewAssignment:
    """The reviewer declares a conflict of interest, or none, before seeing the application.

    With a conflict, the assignment is handed back, the conflict kept on record (the reviewer is
    never assigned the enterprise again) and the worker assigns someone else."""
    _reviewer_only(actor, assignment)
    assignment = _locked_assignment(assignment)
    application = assignment.application
    if application.status not in REVIEWING_STATES or application.reviews_closed_at is not None:
        raise DomainError(
            _("This application is no longer in review: it is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="not_in_review",
            status=409,
        )
    if assignment.status != AssignmentStatus.AWAITING_DECLARATION:
        raise DomainError(
            _("You have already declared for this application: it is “%(status)s”.")
            % {"status": assignment.get_status_display()},
            code="already_declared",
            status=409,
        )
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["declared_at"])
    if conflict:
        if not reason.strip():
            raise DomainError(_("Say briefly what ties you to the enterprise."), code="reason_required", field="reason")
        ConflictDeclaration.objects.create(reviewer=actor, enterprise=application.enterprise, reason=reason.strip())
        _end(assignment, AssignmentStatus.CONFLICT, reason=reason.strip())
        if application.status == Status.IN_REVIEW:
            enqueue_assignment(application)
    else:
        assignment.status = AssignmentStatus.REVIEWING
        assignment.save(update_fields=["status"])
    audit.record(
        AuditAction.CONFLICT_DECLARED,
        actor=actor,
        target=application,
        changes={"assignment": assignment.pk, "conflict": conflict},
    )
    return assignment


@transaction.atomic(durable=True)
def declare_organisation(*, actor, organisation: str, reason: str = "") -> ConflictDeclaration:
    """A reviewer names, in advance, an organisation they are tied to: no application of an
    enterprise bearing that name is assigned to them."""
    key = normalise_text(organisation)
    if len(key) < 2:
        raise DomainError(_("Name the organisation."), code="organisation_required", field="organisation")
    declaration = ConflictDeclaration(
        reviewer=actor, organisation=organisation.strip(), organisation_key=key, reason=reason.strip()
    )
    declaration.full_clean()
    declaration.save()
    audit.record(AuditAction.CONFLICT_DECLARED, actor=actor, target=declaration, changes={"organisation": key})
    return declaration


def weighted_total(criteria, scores: dict) -> Decimal | None:
    """The weighted mean of ``scores`` over ``criteria`` (each with ``key`` and ``weight``), on the
    rubric's scale to three places; ``None`` until every criterion is scored."""
    criteria = list(criteria)
    if not criteria or any(c.key not in scores for c in criteria):
        return None
    weight = sum(c.weight for c in criteria)
    total = sum(c.weight * Decimal(scores[c.key]) for c in criteria) / weight
    return total.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def _check_scores(rubric, scores: dict, *, complete: bool) -> dict:
    criteria = {c.key: c for c in rubric.criteria.all()}
    errors = {}
    clean = {}
    for key, value in scores.items():
        if key not in criteria:
            errors[key] = _("This rubric has no such criterion.")
        elif isinstance(value, bool) or not isinstance(value, int) or value not in rubric.scale:
            errors[key] = _("Give a whole score from %(low)s to %(high)s.") % {
                "low": rubric.scale_min,
                "high": rubric.scale_max,
            }
        else:
            clean[key] = value
    if complete:
        for key in criteria:
            if key not in scores:
                errors[key] = _("Score this criterion.")
    if errors:
        raise DomainError(_("Some scores need correcting."), code="invalid_scores", errors=errors)
    return clean


@transaction.atomic(durable=True)
def save_review(
    *,
    actor,
    assignment: ReviewAssignment,
    scores: dict,
    recommendation: str = "",
    comment_to_officer: str = "",
    comment_to_applicant: str = "",
    submit: bool = False,
) -> Review:
    """Save the reviewer's scores and comments; with ``submit``, hand the review in (every
    criterion scored and a recommendation given). A submitted review can still be corrected,
    complete, until the officer closes the reviews. The last review in moves the application to
    ``reviewed``."""
    _reviewer_only(actor, assignment)
    assignment = _locked_assignment(assignment)
    application = assignment.application
    if assignment.status not in (AssignmentStatus.REVIEWING, AssignmentStatus.SUBMITTED):
        code = "declare_first" if assignment.status == AssignmentStatus.AWAITING_DECLARATION else "ended"
        message = (
            _("Declare whether you have a conflict of interest first.")
            if code == "declare_first"
            else _("This assignment has ended: it is “%(status)s”.") % {"status": assignment.get_status_display()}
        )
        raise DomainError(message, code=code, status=409)
    if application.reviews_closed_at is not None or application.status not in REVIEWING_STATES:
        raise DomainError(
            _("The officer has closed the reviews of this application: they no longer change."),
            code="reviews_closed",
            status=409,
        )
    submitting = submit or assignment.status == AssignmentStatus.SUBMITTED
    rubric = Rubric.objects.filter(call_id=application.call_id).first()
    if rubric is None:
        raise DomainError(
            _("This call has no rubric to score with yet: tell the officer."), code="no_rubric", status=409
        )
    clean = _check_scores(rubric, scores, complete=submitting)
    if submitting and not recommendation:
        raise DomainError(_("Give your recommendation."), code="recommendation_required", field="recommendation")
    review, _created = Review.objects.get_or_create(assignment=assignment)
    review.scores = clean
    review.total = weighted_total(rubric.criteria.all(), clean)
    review.recommendation = recommendation
    review.comment_to_officer = comment_to_officer.strip()
    review.comment_to_applicant = comment_to_applicant.strip()
    first_submission = submitting and review.submitted_at is None
    if first_submission:
        review.submitted_at = timezone.now()
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.save(update_fields=["status"])
    review.full_clean(exclude=["assignment"])
    review.save()
    audit.record(
        AuditAction.REVIEW_SUBMITTED if first_submission else AuditAction.REVIEW_SAVED,
        actor=actor,
        target=application,
        changes={"assignment": assignment.pk, "total": str(review.total) if review.total is not None else None},
    )
    if first_submission:
        _complete_if_all_in(application)
    return review


@transaction.atomic(durable=True)
def close_reviews(*, actor, application: Application) -> Application:
    """The officer closes the reviews: from now on no reviewer changes a score or a comment.
    Deciding closes them too (``services.decisions``)."""
    application = _lock(application)
    _officer_only(actor, application)
    if application.status != Status.REVIEWED:
        raise DomainError(
            _("Reviews close once every review is in: this application is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="not_reviewed",
            status=409,
        )
    if application.reviews_closed_at is None:
        application.reviews_closed_at = timezone.now()
        application.save(update_fields=["reviews_closed_at"])
        audit.record(AuditAction.REVIEWS_CLOSED, actor=actor, target=application, changes={})
    return application


def panel_reviewers(call):
    """The users on ``call``'s panel, for the officer's choice of a reviewer by hand."""
    return get_user_model().objects.filter(panels__call=call, is_active=True).order_by("full_name", "email")

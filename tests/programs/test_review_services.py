"""The reviewer's services: declaring, saving a draft, submitting, correcting until the officer
closes the reviews; the last review in moves the application to ``reviewed`` and tells the
unit's officers; officers assign and replace reviewers, an overdue one in one action."""

from functools import partial

import pytest

from hkhz_portal.core.models import Notification
from programs.choices import AssignmentStatus
from programs.models import Review, StatusChange
from programs.services import reviews as svc
from programs.workflow import Status
from tests.factories import UnitFactory, member_of

from .factories import (
    application_in_review,
    deliver,
    enqueued,
    officer_of,
    panel_of,
    refusal,
    review,
    reviewer,
    rubric_for,
)

pytestmark = pytest.mark.django_db

FULL = {"science": 4, "team": 3, "market": 5}  # weighted: 0.4 × 4 + 0.3 × 3 + 0.3 × 5 = 4.0


@pytest.fixture
def panel(call):
    rubric_for(call)
    return panel_of(call, 4)


@pytest.fixture
def application(call, panel):
    application = application_in_review(call)
    svc.assign_reviewers(application.pk)
    return application


@pytest.fixture
def assignment(application):
    first = application.assignments.order_by("reviewer_id").first()
    return svc.declare(actor=first.reviewer, assignment=first, conflict=False)


def save(assignment, scores, **changes):
    """The reviewer saves ``scores`` as a draft (or, once submitted, as a correction)."""
    return review(assignment, scores, **{"submit": False, **changes})


def test_a_draft_may_be_partial_and_is_saved_again_in_place(assignment):
    draft = save(assignment, {"science": 4}, recommendation="")
    assert (draft.scores, draft.total, draft.submitted_at) == ({"science": 4}, None, None)
    again = save(assignment, {"science": 4, "team": 3}, recommendation="")
    assert again.pk == draft.pk and again.scores == {"science": 4, "team": 3}
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REVIEWING


def test_submitting_needs_every_criterion_and_a_recommendation(assignment):
    missing = refusal(lambda: save(assignment, {"science": 4}, submit=True))
    assert missing.code == "invalid_scores"
    assert {key: str(text) for key, text in missing.errors.items()} == {
        "team": "Score this criterion.",
        "market": "Score this criterion.",
    }
    no_recommendation = refusal(lambda: save(assignment, FULL, submit=True, recommendation=""))
    assert (no_recommendation.code, no_recommendation.field) == ("recommendation_required", "recommendation")
    assert not Review.objects.filter(assignment=assignment).exists()

    submitted = save(assignment, FULL, submit=True)
    assert str(submitted.total) == "4.000" and submitted.submitted_at is not None
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED


@pytest.mark.parametrize(
    ("scores", "errors"),
    [
        ({"science": 6}, {"science": "Give a whole score from 1 to 5."}),
        ({"science": 0}, {"science": "Give a whole score from 1 to 5."}),
        ({"science": "4"}, {"science": "Give a whole score from 1 to 5."}),
        ({"science": 4.5}, {"science": "Give a whole score from 1 to 5."}),
        ({"science": True}, {"science": "Give a whole score from 1 to 5."}),
        ({"novelty": 3}, {"novelty": "This rubric has no such criterion."}),
        (
            {"science": 9, "team": 3, "novelty": 2},
            {"science": "Give a whole score from 1 to 5.", "novelty": "This rubric has no such criterion."},
        ),
    ],
)
@pytest.mark.parametrize("submit", [False, True])
def test_scores_off_the_scale_or_of_no_criterion_are_refused_by_key(assignment, scores, errors, submit):
    if submit:  # and every criterion not scored is named too
        errors = {**errors, **{key: "Score this criterion." for key in FULL if key not in scores}}
    refused = refusal(lambda: save(assignment, scores, submit=submit))
    assert refused.code == "invalid_scores"
    assert {key: str(text) for key, text in refused.errors.items()} == errors
    assert not Review.objects.filter(assignment=assignment).exists()


def submit_all(application):
    for assignment in application.assignments.filter(status__in=svc.ACTIVE_ASSIGNMENTS):
        if assignment.status != AssignmentStatus.SUBMITTED:
            review(assignment, FULL)
    application.refresh_from_db()


def test_a_submitted_review_is_corrected_until_the_officer_closes_the_reviews(call, application, assignment):
    first = save(assignment, FULL, submit=True)
    corrected = save(assignment, {**FULL, "science": 5})  # still submitted: complete, recommendation kept
    assert str(corrected.total) == "4.400" and corrected.submitted_at == first.submitted_at
    partial = refusal(lambda: save(assignment, {"science": 5}))
    assert partial.code == "invalid_scores" and set(partial.errors) == {"team", "market"}
    no_recommendation = refusal(lambda: save(assignment, FULL, recommendation=""))
    assert no_recommendation.code == "recommendation_required"

    submit_all(application)
    assert application.status == Status.REVIEWED
    save(assignment, {**FULL, "market": 4})  # every review in, not closed yet: still correctable

    officer = officer_of(call)
    assert refusal(lambda: svc.close_reviews(actor=assignment.reviewer, application=application)).status == 403
    svc.close_reviews(actor=officer, application=application)
    closed = refusal(lambda: save(assignment, FULL))
    assert (closed.code, closed.status) == ("reviews_closed", 409)
    assert Review.objects.get(assignment=assignment).scores == {**FULL, "market": 4}


def test_reviews_close_only_once_every_review_is_in(call, application):
    refused = refusal(lambda: svc.close_reviews(actor=officer_of(call), application=application))
    assert (refused.code, refused.status) == ("not_reviewed", 409)


def test_the_last_review_in_moves_the_application_to_reviewed_and_tells_the_units_officers(call, application):
    officers = [officer_of(call, preferred_language="en"), officer_of(call, preferred_language="en")]
    elsewhere = officer_of(call)
    elsewhere.unit = UnitFactory(code="another-unit")
    elsewhere.save()
    assignments = list(application.assignments.all())
    for assignment in assignments[:-1]:
        review(assignment, FULL)
        application.refresh_from_db()
        assert application.status == Status.IN_REVIEW
    review(assignments[-1], FULL)
    application.refresh_from_db()
    assert application.status == Status.REVIEWED

    (change,) = StatusChange.objects.filter(application=application, transition="complete_reviews")
    assert (change.from_status, change.to_status, change.actor) == (Status.IN_REVIEW, Status.REVIEWED, None)
    deliver("application.complete_reviews")
    told = Notification.objects.filter(kind="application.complete_reviews")
    assert {n.recipient for n in told} == set(officers)
    assert {(n.title, n.url) for n in told} == {
        (f"{application.reference}: Reviewed", f"/staff/applications/{application.reference}/")
    }


def test_a_review_submitted_while_information_is_requested_completes_once_the_applicant_answers(call, application):
    assignments = list(application.assignments.all())
    for assignment in assignments[:-1]:
        review(assignment, FULL)
    type(application).objects.filter(pk=application.pk).update(status=Status.MORE_INFO_REQUESTED)
    review(assignments[-1], FULL)
    application.refresh_from_db()
    assert application.status == Status.MORE_INFO_REQUESTED
    type(application).objects.filter(pk=application.pk).update(status=Status.IN_REVIEW)
    svc.assign_reviewers(application.pk)  # what the worker does when it comes back into review
    application.refresh_from_db()
    assert application.status == Status.REVIEWED


def test_only_the_assigned_reviewer_declares_and_scores_anyone_else_finds_nothing(call, application, panel):
    assignment = application.assignments.order_by("reviewer_id").first()
    outsider = next(p for p in panel if not application.assignments.filter(reviewer=p).exists())
    for someone in (outsider, officer_of(call), reviewer(), None):
        for service, arguments in (
            (svc.declare, {"conflict": False}),
            (svc.save_review, {"scores": FULL, "recommendation": "admit", "submit": True}),
        ):
            refused = refusal(partial(service, actor=someone, assignment=assignment, **arguments))
            assert (refused.status, refused.code) == (404, "not_found")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.AWAITING_DECLARATION


def test_a_reviewer_declares_once_and_before_scoring(application):
    assignment = application.assignments.order_by("reviewer_id").first()
    early = refusal(
        lambda: svc.save_review(actor=assignment.reviewer, assignment=assignment, scores=FULL, recommendation="admit")
    )
    assert (early.status, early.code) == (409, "declare_first")
    svc.declare(actor=assignment.reviewer, assignment=assignment, conflict=False)
    for conflict in (False, True):
        twice = refusal(
            lambda conflict=conflict: svc.declare(
                actor=assignment.reviewer, assignment=assignment, conflict=conflict, reason="Changed my mind."
            )
        )
        assert (twice.status, twice.code) == (409, "already_declared")


def test_an_overdue_reviewer_is_replaced_in_one_action(call, application, panel):
    officer = officer_of(call)
    late = application.assignments.order_by("reviewer_id").first()
    spare = next(p for p in panel if not application.assignments.filter(reviewer=p).exists())
    new = svc.replace_reviewer(actor=officer, assignment=late, reviewer=spare, reason="Overdue by a week.")
    late.refresh_from_db()
    assert (late.status, late.end_reason) == (AssignmentStatus.REPLACED, "Overdue by a week.")
    assert (new.reviewer, new.assigned_by, new.status) == (spare, officer, AssignmentStatus.AWAITING_DECLARATION)
    assert application.assignments.filter(status__in=svc.ACTIVE_ASSIGNMENTS).count() == 3
    ended = refusal(lambda: svc.declare(actor=late.reviewer, assignment=late, conflict=False))
    assert ended.code == "already_declared"
    again = refusal(lambda: svc.assign_reviewer(actor=officer, application=application, reviewer=late.reviewer))
    assert again.code == "places_full"


def test_a_replaced_reviewers_place_goes_to_whoever_the_worker_chooses(
    call, application, panel, django_capture_on_commit_callbacks
):
    late = application.assignments.order_by("reviewer_id").first()
    with django_capture_on_commit_callbacks() as callbacks:
        assert svc.replace_reviewer(actor=officer_of(call), assignment=late) is None
    assert ("programs.assign_reviewers", (application.pk,)) in enqueued(callbacks)
    (made,) = svc.assign_reviewers(application.pk)
    assert made.reviewer not in {late.reviewer} and made.assigned_by is None


def test_replacing_and_assigning_by_hand_are_refused_where_they_make_no_sense(call, application, panel):
    officer = officer_of(call)
    done, waiting, *_rest = application.assignments.order_by("reviewer_id")
    review(done, FULL)
    submitted = refusal(lambda: svc.replace_reviewer(actor=officer, assignment=done))
    assert (submitted.status, submitted.code) == (409, "not_replaceable")
    by_a_reviewer = refusal(lambda: svc.replace_reviewer(actor=waiting.reviewer, assignment=waiting))
    assert (by_a_reviewer.status, by_a_reviewer.code) == (403, "forbidden")
    applicant = member_of(application.enterprise)
    assert refusal(lambda: svc.replace_reviewer(actor=applicant, assignment=waiting)).status == 403
    stranger = reviewer()
    off_panel = refusal(lambda: svc.replace_reviewer(actor=officer, assignment=waiting, reviewer=stranger))
    assert (off_panel.code, off_panel.field) == ("not_on_panel", "reviewer")
    twice = refusal(lambda: svc.replace_reviewer(actor=officer, assignment=waiting, reviewer=done.reviewer))
    assert twice.code == "already_assigned"
    waiting.refresh_from_db()
    assert waiting.status == AssignmentStatus.AWAITING_DECLARATION  # each refusal changed nothing

    submit_all(application)
    assert application.status == Status.REVIEWED
    last = application.assignments.order_by("reviewer_id").last()
    settled = refusal(lambda: svc.replace_reviewer(actor=officer, assignment=last))
    assert (settled.status, settled.code) == (409, "not_in_review")


def test_a_withdrawn_application_owes_its_reviewers_nothing(call, application, assignment):
    """The applicant withdraws while reviews are under way: the reviews not yet submitted end, so
    they leave the reviewers' open load (which balances the next assignments) and their reminders."""
    from programs.assignment import loads
    from programs.services.applications import withdraw

    submitted = application.assignments.exclude(pk=assignment.pk).first()
    review(submitted, FULL)
    withdraw(actor=member_of(application.enterprise), application=application, reason="We found another park.")

    statuses = dict(application.assignments.values_list("pk", "status"))
    assert statuses.pop(submitted.pk) == AssignmentStatus.SUBMITTED
    assert set(statuses.values()) == {AssignmentStatus.CANCELLED}
    assert loads([a.reviewer_id for a in application.assignments.all()]) == {}

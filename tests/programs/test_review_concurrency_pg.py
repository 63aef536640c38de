"""Reviews and decisions at the same moment, on PostgreSQL with real threads and transactions:
ten officers deciding one application make one decision, and the others are told who decided;
the last two reviews submitted together move the application on once; two workers assigning
one application fill its places once."""

import pytest

from hkhz_portal.core.errors import DomainError
from programs.choices import ACTIVE_ASSIGNMENTS, Outcome
from programs.models import Application, Decision, ReviewAssignment, StatusChange
from programs.services import decisions
from programs.services import reviews as svc
from programs.workflow import TRANSITIONS, Status
from tests.threads import at_once

from .factories import (
    CRITERIA,
    SPACE,
    application_in_review,
    in_review,
    officer_of,
    panel_of,
    review,
    reviewed,
    rubric_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("threads_on_postgresql"),
]

FULL = {key: 4 for key, _weight in CRITERIA}


@pytest.fixture
def panel(call):
    rubric_for(call)
    return panel_of(call, 3)


def decide(officer, application, outcome):
    extra = {
        Outcome.APPROVE: {**SPACE, "conditions": "Move in by spring."},
        Outcome.WAITLIST: {},
        Outcome.REJECT: {"reasons": "The plan is not yet credible."},
    }[outcome]
    return lambda: decisions.decide(
        actor=officer,
        application=Application.objects.get(pk=application.pk),  # each request loads it afresh
        outcome=outcome,
        expected_status=Status.REVIEWED,
        **extra,
    )


def test_ten_officers_deciding_one_application_make_one_decision_and_the_others_are_told_who(call, panel):
    application = reviewed(call)
    officers = [officer_of(call, full_name=f"Officer {n}") for n in range(10)]
    outcomes = [Outcome.APPROVE, Outcome.WAITLIST, Outcome.REJECT] * 4
    results = at_once(*(decide(o, application, outcome) for o, outcome in zip(officers, outcomes, strict=False)))

    won = [i for i, r in enumerate(results) if isinstance(r, Decision)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(lost) == 9, results
    decision = results[won[0]]
    winner = officers[won[0]]
    application.refresh_from_db()
    assert application.status == TRANSITIONS[decision.outcome].target
    for error in lost:
        assert (error.status, error.code) == (409, "changed_meanwhile")
        assert str(error).startswith(
            f"{winner.full_name} already moved this application to “{application.get_status_display()}” at "
        )
    assert list(Decision.objects.filter(application=application)) == [decision]
    steps = StatusChange.objects.filter(application=application, transition__in=list(Outcome))
    assert [(s.transition, s.actor_id) for s in steps] == [(decision.outcome, winner.pk)]


def test_the_last_two_reviews_submitted_together_move_the_application_on_once(call, panel):
    application = in_review(call)
    first, *last_two = svc.assign_reviewers(application.pk)
    review(first, FULL)
    for assignment in last_two:
        svc.declare(actor=assignment.reviewer, assignment=assignment, conflict=False)

    def submit(assignment):
        return lambda: svc.save_review(
            actor=assignment.reviewer,
            assignment=ReviewAssignment.objects.get(pk=assignment.pk),
            scores=FULL,
            recommendation="admit",
            submit=True,
        )

    results = at_once(*(submit(a) for a in last_two))
    assert not [r for r in results if isinstance(r, Exception)], results
    application.refresh_from_db()
    assert application.status == Status.REVIEWED
    assert StatusChange.objects.filter(application=application, transition="complete_reviews").count() == 1


def test_two_workers_assigning_one_application_fill_its_places_once(call, panel):
    application = application_in_review(call)
    results = at_once(*[lambda: svc.assign_reviewers(application.pk)] * 2)
    assert sorted(len(r) for r in results) == [0, 3], results
    active = ReviewAssignment.objects.filter(application=application, status__in=ACTIVE_ASSIGNMENTS)
    assert active.count() == 3

"""An application's whole life through a real Celery worker on real Redis (and PostgreSQL on CI):
submitted, screened and given its reviewers by the worker, reviewed, approved, onboarded and
admitted, the applicant told in 繁體中文; and a worker killed with SIGKILL in the middle of
assigning reviewers, after which the application has exactly the call's number of them."""

import time
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone, translation

from hkhz_portal.core.models import DomainEvent, Notification
from programs.choices import ACTIVE_ASSIGNMENTS, Outcome
from programs.events import ReviewEventKind
from programs.models import Application, ReviewAssignment, StatusChange
from programs.services import applications as svc
from programs.services import decisions
from programs.services.reminders import requeue_stale_assignments
from programs.workflow import STATE_HELP, Status
from tests.conftest import require
from tests.programs.factories import (
    CRITERIA,
    SPACE,
    applicant_of_new_enterprise,
    complete_draft,
    in_review,
    officer_of,
    onboarded,
    panel_of,
    review,
    rubric_for,
)

from .conftest import celery_worker, held, queues_drained, wait_for, waiting_for_a_lock, waiting_for_locks

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REQUIRED = 3


@pytest.fixture
def panel(call):
    call.reviewers_per_application = REQUIRED
    call.save(update_fields=["reviewers_per_application"])
    rubric_for(call)
    return panel_of(call, REQUIRED + 1)


def active_assignments(application):
    return ReviewAssignment.objects.filter(application=application, status__in=ACTIVE_ASSIGNMENTS)


def until(predicate, worker, what: str, timeout=90):
    """Wait for ``predicate``; fail with the worker's last output if it never holds."""
    if not wait_for(predicate, timeout=timeout):
        worker.terminate()
        pytest.fail(f"{what} within {timeout} s. Worker output:\n{worker.communicate(timeout=10)[0][-4000:]}")


def notice(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).first()


def in_traditional_chinese(status: Status, reference: str) -> tuple[str, str]:
    """The title and meaning of ``status`` as a 繁體中文 reader is told of it."""
    with translation.override("zh-hant"):
        label, meaning = str(status.label), str(STATE_HELP[status])
        title = translation.gettext("%(reference)s: %(status)s") % {"reference": reference, "status": label}
    assert label != str(status.label), "the 繁體 catalogue lacks the workflow's words"
    return title, meaning


def test_the_whole_life_from_submission_to_admission_through_the_worker(broker, call, panel):
    applicant = applicant_of_new_enterprise(preferred_language="zh-hant", full_name="陳大文")
    officer = officer_of(call, preferred_language="en", full_name="Officer Chan")
    application = complete_draft(call, applicant)
    with celery_worker(redis_url=broker) as worker:
        svc.submit(actor=applicant, application=application, declaration=True)
        until(lambda: active_assignments(application).count() == REQUIRED, worker, "no reviewers assigned")
        for assignment in active_assignments(application):
            review(assignment, {key: 4 for key, _weight in CRITERIA})
        application.refresh_from_db()
        assert application.status == Status.REVIEWED
        until(lambda: notice(officer, "application.complete_reviews"), worker, "the officer was not told")

        decisions.decide(
            actor=officer,
            application=application,
            outcome=Outcome.APPROVE,
            conditions="於三個月內註冊香港公司。",
            expected_status=Status.REVIEWED,
            **SPACE,
        )
        onboarded(officer, application)
        decisions.admit(actor=officer, application=application, expected_status=Status.ONBOARDING)
        until(lambda: notice(applicant, "application.admit"), worker, "the applicant was not told of admission")
        until(lambda: notice(officer, "application.accept_offer"), worker, "the officer was not told of acceptance")

    application.refresh_from_db()
    assert application.status == Status.ADMITTED
    steps = StatusChange.objects.filter(application=application).values_list("transition", "actor_id")
    assert list(steps) == [
        ("start", applicant.pk),
        ("submit", applicant.pk),
        ("start_screening", None),
        ("pass_screening", None),
        ("complete_reviews", None),
        ("approve", officer.pk),
        ("accept_offer", applicant.pk),
        ("admit", officer.pk),
    ]
    assert set(active_assignments(application).values_list("assigned_by", flat=True)) == {None}  # the worker's

    approved_title, _meaning = in_traditional_chinese(Status.APPROVED, application.reference)
    approved = notice(applicant, "application.approve")
    assert (approved.title, approved.body) == (approved_title, "於三個月內註冊香港公司。")
    admitted_title, admitted_meaning = in_traditional_chinese(Status.ADMITTED, application.reference)
    admitted = notice(applicant, "application.admit")
    assert (admitted.title, admitted.body) == (admitted_title, admitted_meaning)
    assert admitted.url == f"/applications/{application.reference}/"
    assert not Notification.objects.filter(recipient=applicant, kind="application.complete_reviews").exists()


def waiting_to_assign() -> bool:
    return any('INSERT INTO "programs_reviewassignment"' in query for query in waiting_for_locks())


def test_a_worker_killed_mid_assignment_leaves_exactly_the_calls_number_of_reviewers(broker, call, panel, settings):
    """Worker A assigns the first reviewer, then waits to assign the second, whose place this test
    holds, and is killed with SIGKILL there. Then both ways back run at once: the
    beat's sweep asks again, and worker B takes over A's unacknowledged task."""
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    application = in_review(call)  # its assignment task waits in Redis: no worker yet
    assert Application.objects.get(pk=application.pk).assignment_enqueued_at is not None
    second = sorted(panel, key=lambda person: person.pk)[1]  # equally loaded: chosen by id

    # A second assignment of the same reviewer, inserted here and never committed, holds up the
    # worker's insert of that reviewer's assignment (the unique index waits for this transaction)
    # after its first assignment, inside its transaction.
    take_the_place = partial(
        ReviewAssignment.objects.create, application=application, reviewer=second, due_on=timezone.localdate()
    )
    with held(take_the_place), celery_worker(redis_url=broker) as worker_a:
        until(waiting_to_assign, worker_a, "worker A never reached the second place")
        worker_a.kill()  # SIGKILL mid-assignment: no chance to acknowledge, requeue or roll back
        worker_a.wait(10)
    # A's open transaction dies with its connection: its first assignment is gone with it.
    assert wait_for(lambda: not waiting_for_a_lock(), 30)
    assert not ReviewAssignment.objects.filter(application=application).exists()

    settings.SCREENING_STALE_AFTER = 0
    assert requeue_stale_assignments() == [application.pk]  # the beat's sweep
    time.sleep(3)  # A's task has been unacknowledged for longer than B's visibility timeout
    with celery_worker(redis_url=broker, extra_env={"CELERY_VISIBILITY_TIMEOUT": "2"}) as worker_b:
        until(lambda: active_assignments(application).count() == REQUIRED, worker_b, "no reviewers assigned")
        until(queues_drained, worker_b, "worker B did not take over A's task")
    assert ReviewAssignment.objects.filter(application=application).count() == REQUIRED
    assert DomainEvent.objects.filter(kind=ReviewEventKind.ASSIGNED).count() == REQUIRED
    assert not DomainEvent.objects.filter(kind=ReviewEventKind.REVIEWERS_SHORT).exists()
    application.refresh_from_db()
    assert (application.status, application.assignment_enqueued_at) == (Status.IN_REVIEW, None)

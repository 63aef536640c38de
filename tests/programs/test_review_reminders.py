"""Reviews are due in Hong Kong working days: the reviewer is reminded two working days before
(across Easter's holidays, a week before in calendar days) and, with the unit's officers, once
it is overdue; each reminder once. The beat asks again for the reviewers of applications whose
assignment task was lost, and only those."""

import datetime

import pytest
from django.utils import timezone

from hkhz_portal.core.models import DomainEvent
from programs import notices
from programs.events import ReminderKind
from programs.models import Application, ReviewAssignment
from programs.services import reviews as svc
from programs.services.reminders import remind_reviews, requeue_stale_assignments
from programs.workflow import Status

from .factories import application_in_review, enqueued, officer_of, panel_of, review, rubric_for

pytestmark = pytest.mark.django_db

# Hong Kong, Easter 2026: Good Friday 3 April, then Saturday and Sunday, then two general holidays,
# Monday 6 April (the day following Ching Ming) and Tuesday 7 April (the day following Easter Monday).
WEDNESDAY_1_APRIL = datetime.date(2026, 4, 1)
THURSDAY_2_APRIL = datetime.date(2026, 4, 2)
WEDNESDAY_8_APRIL = datetime.date(2026, 4, 8)
THURSDAY_9_APRIL = datetime.date(2026, 4, 9)  # three working days after 1 April: 2, 8 and 9 April
FRIDAY_10_APRIL = datetime.date(2026, 4, 10)


class Clock:
    """Today, in Hong Kong, as the services read it (``timezone.localdate``)."""

    def __init__(self, monkeypatch, day):
        self.day = day
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: self.day)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, WEDNESDAY_1_APRIL)


@pytest.fixture
def reviewer_of(call):
    call.reviewers_per_application = 1
    call.review_period_days = 3
    call.save()
    rubric_for(call)
    (person,) = panel_of(call, 1)
    return person


@pytest.fixture
def assignment(call, clock, reviewer_of):
    (made,) = svc.assign_reviewers(application_in_review(call).pk)
    return made


def events(kind):
    return list(DomainEvent.objects.filter(kind=kind))


def test_a_review_is_due_in_hong_kong_working_days(assignment):
    assert assignment.due_on == THURSDAY_9_APRIL  # not 4 April, three calendar days on


@pytest.mark.parametrize(
    ("today", "sent"),
    [
        (datetime.date(2026, 3, 31), 0),
        (WEDNESDAY_1_APRIL, 0),  # 2 and 8 April are the next two working days: 9 April is further
        (THURSDAY_2_APRIL, 1),  # seven calendar days before, two working days
        (WEDNESDAY_8_APRIL, 1),
        (THURSDAY_9_APRIL, 1),  # due today: not overdue yet
    ],
)
def test_the_reviewer_is_reminded_two_working_days_before_the_due_date(clock, assignment, today, sent):
    clock.day = today
    assert remind_reviews() == sent
    assert remind_reviews() == 0  # once
    assert [e.target_id for e in events(ReminderKind.REVIEW_DUE_SOON)] == [str(assignment.pk)] * sent
    assert not events(ReminderKind.REVIEW_OVERDUE)


def test_reminded_soon_then_told_once_it_is_overdue(call, clock, assignment):
    clock.day = THURSDAY_2_APRIL
    assert remind_reviews() == 1
    clock.day = FRIDAY_10_APRIL
    assert remind_reviews() == 1
    clock.day = FRIDAY_10_APRIL + datetime.timedelta(days=3)
    assert remind_reviews() == 0
    (due_soon,) = events(ReminderKind.REVIEW_DUE_SOON)
    (overdue,) = events(ReminderKind.REVIEW_OVERDUE)
    expected = {
        "reference": assignment.application.reference,
        "reviewer": assignment.reviewer_id,
        "due_on": "2026-04-09",
    }
    assert due_soon.payload == overdue.payload == expected
    assignment.refresh_from_db()
    assert assignment.reminded_at is not None and assignment.overdue_reminded_at is not None

    officer = officer_of(call, preferred_language="en")
    assert set(notices.reviewer_and_officers(overdue)) == {assignment.reviewer, officer}
    assert list(notices.assigned_reviewer(due_soon)) == [assignment.reviewer]
    told = notices.review_message(overdue, officer)
    assert told.title == f"{assignment.application.reference}: a review is overdue"
    assert told.body == "A reviewer has not submitted the review due April 9, 2026. You can replace the reviewer."
    assert told.url == f"/staff/applications/{assignment.application.reference}/"


def test_submitted_replaced_and_settled_reviews_are_not_reminded(call, clock, reviewer_of):
    submitted = svc.assign_reviewers(application_in_review(call).pk)[0]
    review(submitted, {"science": 4, "team": 4, "market": 4})
    replaced = svc.assign_reviewers(application_in_review(call).pk)[0]
    svc.replace_reviewer(actor=officer_of(call), assignment=replaced, reason="Away.")
    clock.day = FRIDAY_10_APRIL
    assert remind_reviews() == 0


# --- The beat's sweep of lost assignment tasks ------------------------------------------------


def enqueued_at(application, when):
    Application.objects.filter(pk=application.pk).update(assignment_enqueued_at=when)


def test_the_sweep_asks_again_for_the_reviewers_of_applications_whose_task_was_lost(
    call, reviewer_of, settings, django_capture_on_commit_callbacks
):
    settings.SCREENING_STALE_AFTER = 600
    now = timezone.now()
    lost, recent, never, reviewed = (application_in_review(call) for _ in range(4))
    enqueued_at(lost, now - datetime.timedelta(hours=1))
    enqueued_at(recent, now - datetime.timedelta(minutes=2))  # its task may still be on its way
    enqueued_at(never, None)  # its reviewers were assigned
    enqueued_at(reviewed, now - datetime.timedelta(hours=1))
    Application.objects.filter(pk=reviewed.pk).update(status=Status.REVIEWED)

    with django_capture_on_commit_callbacks() as callbacks:
        assert requeue_stale_assignments() == [lost.pk]
    assert enqueued(callbacks) == [("programs.assign_reviewers", (lost.pk,))]
    lost.refresh_from_db()
    assert lost.assignment_enqueued_at > now  # asked again just now: the next sweep waits again
    with django_capture_on_commit_callbacks() as callbacks:
        assert requeue_stale_assignments() == []
    assert not enqueued(callbacks)

    svc.assign_reviewers(lost.pk)  # the worker's task
    lost.refresh_from_db()
    assert lost.assignment_enqueued_at is None
    assert ReviewAssignment.objects.filter(application=lost).count() == 1

"""The beat's periodic work on applications: screenings whose task was lost are enqueued again,
and requests for more information are reminded of as their deadline nears and once it passes.

Both claim what they act on under a row lock that other sweeps skip, and record the claim in
the same transaction, so two beats, or a sweep overlapping the last one, never enqueue or
remind twice.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from hkhz_portal.core import events
from hkhz_portal.core.calendars import working_days_after
from hkhz_portal.core.queueing import enqueue_after_commit

from ..choices import OWED_ASSIGNMENTS
from ..events import CallEventKind, ReminderKind
from ..models import Application, Call, InfoRequest, ReviewAssignment
from ..workflow import WORKER_STATES, Status

#: How long before its deadline the applicant is reminded of a request for more information.
REMINDER_WINDOW = timedelta(days=2)
#: How long before a call closes it is announced as closing (``call.closing``).
CLOSING_NOTICE = timedelta(days=3)


@transaction.atomic(durable=True)
def requeue_stale_screenings(*, limit: int = 500) -> list[int]:
    """Enqueue again each application left in ``submitted`` or ``screening`` for longer than
    ``SCREENING_STALE_AFTER`` seconds, and not enqueued within that time either.

    Its task was lost: the broker was down at submission, or the worker died and the broker's
    redelivery waits for its visibility timeout (an hour on Redis). Screening checks the state
    before acting, so an application that was only slow is still screened once. Called by the
    beat (``programs.sweep_applications``); returns the ids enqueued.
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.SCREENING_STALE_AFTER)
    stale = (
        Application.objects.filter(status__in=WORKER_STATES, status_changed_at__lt=cutoff)
        .filter(Q(screening_enqueued_at__isnull=True) | Q(screening_enqueued_at__lt=cutoff))
        .order_by("status_changed_at")
        .select_for_update(skip_locked=True)
    )
    ids = list(stale.values_list("pk", flat=True)[:limit])
    Application.objects.filter(pk__in=ids).update(screening_enqueued_at=now)
    from ..tasks import screen_application

    for application_id in ids:
        enqueue_after_commit(screen_application, application_id)
    return ids


@transaction.atomic(durable=True)
def remind_info_requests() -> int:
    """Tell the applicant when a request for more information is due within two days, and
    the applicant and the unit's officers once it is overdue; each reminder once.

    A request whose deadline was under two days away when the officer made it gets no "due
    soon" reminder: the request itself said when it is due. Called by the beat
    (``programs.remind_info_requests``); returns the number of reminders sent.
    """
    now = timezone.now()
    waiting = (
        InfoRequest.objects.filter(responded_at__isnull=True, application__status=Status.MORE_INFO_REQUESTED)
        .select_related("application")
        .select_for_update(skip_locked=True, of=("self",))
    )
    due_soon = waiting.filter(
        reminded_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + REMINDER_WINDOW,
        created_at__lt=F("due_at") - REMINDER_WINDOW,
    )
    overdue = waiting.filter(overdue_reminded_at__isnull=True, due_at__lte=now)
    return _remind_once(
        ((ReminderKind.INFO_DUE_SOON, due_soon), (ReminderKind.INFO_OVERDUE, overdue)),
        lambda request: (
            request.application,
            {"reference": request.application.reference, "due_at": request.due_at.isoformat()},
        ),
    )


def _remind_once(batches, event) -> int:
    """Send each reminder of ``batches`` (``(kind, rows)``: the due-soon ones first, then the
    overdue ones) once: stamp the row (``reminded_at``, ``overdue_reminded_at``) and emit ``kind``
    about ``event(row)``'s ``(target, payload)``. Returns how many were sent."""
    now = timezone.now()
    sent = 0
    for (kind, rows), field in zip(batches, ("reminded_at", "overdue_reminded_at"), strict=True):
        for row in rows:
            setattr(row, field, now)
            row.save(update_fields=[field])
            target, payload = event(row)
            events.emit(kind, target=target, payload=payload)
            sent += 1
    return sent


@transaction.atomic(durable=True)
def requeue_stale_assignments(*, limit: int = 500) -> list[int]:
    """Ask a worker again to fill the review places of each application in review whose
    assignment was asked for over ``SCREENING_STALE_AFTER`` seconds ago and never done (the
    broker was down, or the worker died mid-task). Assignment fills only empty places, so one that
    was only slow assigns nobody twice. Called by the beat with the screening sweep."""
    from ..tasks import assign_reviewers

    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.SCREENING_STALE_AFTER)
    stale = (
        Application.objects.filter(status=Status.IN_REVIEW, assignment_enqueued_at__lt=cutoff)
        .order_by("assignment_enqueued_at")
        .select_for_update(skip_locked=True)
    )
    ids = list(stale.values_list("pk", flat=True)[:limit])
    Application.objects.filter(pk__in=ids).update(assignment_enqueued_at=now)
    for application_id in ids:
        enqueue_after_commit(assign_reviewers, application_id)
    return ids


#: How many Hong Kong working days before its due date a reviewer is reminded.
REVIEW_REMINDER_WORKING_DAYS = 2


@transaction.atomic(durable=True)
def remind_reviews() -> int:
    """Remind each reviewer two Hong Kong working days before their review is due, and tell them
    and the unit's officers once it is overdue; each reminder once. Returns the number sent."""
    today = timezone.localdate()
    soon = working_days_after(today, REVIEW_REMINDER_WORKING_DAYS, "HK")
    waiting = (
        ReviewAssignment.objects.filter(
            status__in=OWED_ASSIGNMENTS,
            application__status=Status.IN_REVIEW,
        )
        .select_related("application")
        .select_for_update(skip_locked=True, of=("self",))
    )
    due_soon = waiting.filter(reminded_at__isnull=True, due_on__gte=today, due_on__lte=soon)
    overdue = waiting.filter(overdue_reminded_at__isnull=True, due_on__lt=today)
    return _remind_once(
        ((ReminderKind.REVIEW_DUE_SOON, due_soon), (ReminderKind.REVIEW_OVERDUE, overdue)),
        lambda assignment: (
            assignment,
            {
                "reference": assignment.application.reference,
                "reviewer": assignment.reviewer_id,
                "due_on": assignment.due_on.isoformat(),
            },
        ),
    )


@transaction.atomic(durable=True)
def announce_calls() -> int:
    """Record, once each, that a call opened (``call.opened``, once its opening time passed)
    and that it closes within three days (``call.closing``), for partners' webhooks. A call that
    closed before the beat saw it is not announced. Calls another beat is announcing are
    skipped; the stamp commits with the event. Called by the beat (``programs.announce_calls``);
    returns how many were announced."""
    now = timezone.now()
    live = Call.objects.filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now), opens_at__lte=now)
    live = live.select_for_update(skip_locked=True)
    opened = live.filter(opened_announced_at__isnull=True)
    closing = live.filter(closes_at__lte=now + CLOSING_NOTICE, closing_announced_at__isnull=True)
    sent = 0
    for kind, calls, field in (
        (CallEventKind.OPENED, opened, "opened_announced_at"),
        (CallEventKind.CLOSING, closing, "closing_announced_at"),
    ):
        for call in calls.order_by("opens_at"):
            setattr(call, field, now)
            call.save(update_fields=[field])
            events.emit(kind, target=call, payload={"call": call.slug})
            sent += 1
    return sent

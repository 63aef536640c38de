"""The beat's periodic work on applications: screenings whose task was lost are enqueued again,
and requests for more information are reminded of as their deadline nears and once it passes.

Both claim what they act on under a row lock that other sweeps skip, and record the claim in
the same transaction, so two beats, or a sweep overlapping the last one, never enqueue or
remind twice.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from hkhz_portal.core import events

from ..events import ReminderKind
from ..models import Application, InfoRequest
from ..workflow import WORKER_STATES, Status
from .applications import _enqueue_screening

#: How long before its deadline the applicant is reminded of a request for more information.
REMINDER_WINDOW = timedelta(days=2)


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
    for application_id in ids:
        transaction.on_commit(partial(_enqueue_screening, application_id))
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
    sent = 0
    for kind, requests, field in (
        (ReminderKind.INFO_DUE_SOON, due_soon, "reminded_at"),
        (ReminderKind.INFO_OVERDUE, overdue, "overdue_reminded_at"),
    ):
        for request in requests:
            setattr(request, field, now)
            request.save(update_fields=[field])
            payload = {"reference": request.application.reference, "due_at": request.due_at.isoformat()}
            events.emit(kind, target=request.application, payload=payload)
            sent += 1
    return sent

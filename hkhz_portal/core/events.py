"""One stream of domain events: services record them, subscribers act on them after commit.

A service calls ``emit`` inside its transaction, beside ``audit.record``. Once the
transaction commits, a worker task (``core.dispatch_event``, on the ``workflow`` queue)
hands the event to every subscriber in one transaction and marks it dispatched, so each
event is handled once even if two workers get it; the beat sweep re-enqueues events whose
task was lost. ``hkhz_portal/`` imports no app, so apps declare their event kinds and
subscribe in ``AppConfig.ready()``::

    events.register_kind(
        EventKind.SUBMITTED,
        label=_("An application was received"),
        recipients=applicant_members,        # event -> users to tell
        message=submitted_message,          # (event, user) -> Message, in the user's language
    )
    events.subscribe(deliver_webhooks)      # every event, e.g. the partner webhooks

Notifications (``core.notifications.deliver``) are the built-in subscriber: every kind
that names recipients tells them in the portal, and by e-mail unless they opted out.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from .models import DomainEvent
from .queueing import enqueue_after_commit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    title: str
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    #: Who is told of such an event; ``None`` for a kind nobody is notified of.
    recipients: Callable[[DomainEvent], Iterable] | None = None
    #: The message for one recipient, called in that recipient's language.
    message: Callable[[DomainEvent, object], Message] | None = None


_kinds: dict[str, Kind] = {}
_subscribers: list[Callable[[DomainEvent], None]] = []


def register_kind(name: StrEnum, *, label, recipients=None, message=None) -> None:
    """Declare an event kind (again under the same name replaces it; ``ready()`` may run twice)."""
    _kinds[str(name)] = Kind(name=str(name), label=label, recipients=recipients, message=message)


def kinds() -> list[Kind]:
    return list(_kinds.values())


def kind(name: str) -> Kind | None:
    return _kinds.get(name)


def subscribe(handler: Callable[[DomainEvent], None]) -> None:
    if handler not in _subscribers:
        _subscribers.append(handler)


def emit(name: StrEnum, *, target=None, actor=None, payload: dict | None = None) -> DomainEvent:
    """Record an event in the caller's transaction; it is dispatched after commit.

    An event of a kind that tells nobody, while nothing subscribes, is recorded as handed over
    at once: no task runs for it (a worker's time goes to the work that needs it)."""
    spec = _kinds.get(str(name))
    if spec is None:
        raise ValueError(f"event kind {name!r} is not registered")
    idle = spec.recipients is None and not _subscribers
    event = DomainEvent.about(
        actor=actor,
        target=target,
        kind=str(name),
        payload=payload or {},
        dispatched_at=timezone.now() if idle else None,
    )
    event.save(force_insert=True)
    if not idle:
        from .tasks import dispatch_event

        enqueue_after_commit(dispatch_event, event.pk)
    return event


def dispatch(event_id: int) -> bool:
    """Hand one event to every subscriber, once; return whether this call did it."""
    from .notifications import deliver

    with transaction.atomic():
        event = (
            DomainEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, dispatched_at__isnull=True)
            .first()
        )
        if event is None:
            return False
        for handler in [deliver, *_subscribers]:
            handler(event)
        event.dispatched_at = timezone.now()
        event.save(update_fields=["dispatched_at"])
    return True


def stranded_event_ids(*, older_than: timedelta = timedelta(minutes=5), limit: int = 500) -> list[int]:
    """Events still not dispatched some minutes after they were recorded (their task was lost)."""
    cutoff = timezone.now() - older_than
    return list(
        DomainEvent.objects.filter(dispatched_at__isnull=True, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )

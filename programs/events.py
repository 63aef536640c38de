"""The admission workflow's domain events: one kind per declared transition, named after it,
and the reminders the beat sends about requests for more information."""

from enum import StrEnum

from .workflow import TRANSITIONS

EventKind = StrEnum("EventKind", {name.upper(): f"application.{name}" for name in TRANSITIONS})


class ReminderKind(StrEnum):
    """Events no transition makes: the beat's reminders (``services.reminders``)."""

    INFO_DUE_SOON = "application.info_due_soon"
    INFO_OVERDUE = "application.info_overdue"


def event_kind(transition_name: str) -> EventKind:
    return EventKind(f"application.{transition_name}")

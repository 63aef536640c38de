"""The admission workflow's domain events: one kind per declared transition, named after it,
and the review's own events, and the reminders the beat sends (requests for more information,
reviews due)."""

from enum import StrEnum

from .workflow import TRANSITIONS

EventKind = StrEnum("EventKind", {name.upper(): f"application.{name}" for name in TRANSITIONS})


class ReminderKind(StrEnum):
    """Events no transition makes: the beat's reminders (``services.reminders``)."""

    INFO_DUE_SOON = "application.info_due_soon"
    INFO_OVERDUE = "application.info_overdue"
    REVIEW_DUE_SOON = "review.due_soon"
    REVIEW_OVERDUE = "review.overdue"


class ReviewEventKind(StrEnum):
    """Events of the review that change no application's state."""

    ASSIGNED = "review.assigned"
    #: The worker could not fill every review place; the unit's officers are told why.
    REVIEWERS_SHORT = "application.reviewers_short"


class CallEventKind(StrEnum):
    """A call's dates passing (``services.reminders.announce_calls``): nobody in the portal is
    told, partners subscribed to the webhooks are."""

    OPENED = "call.opened"
    CLOSING = "call.closing"


def event_kind(transition_name: str) -> EventKind:
    return EventKind(f"application.{transition_name}")

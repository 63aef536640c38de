"""A service request's domain events: one kind per declared transition, named after it, and
the events no transition makes (messages, assignment, rating, the SLA reminders)."""

from enum import StrEnum

from .workflow import TRANSITIONS

RequestEventKind = StrEnum("RequestEventKind", {name.upper(): f"service_request.{name}" for name in TRANSITIONS})


class ThreadEventKind(StrEnum):
    #: A message the enterprise sees (from either side).
    MESSAGE = "service_request.message"
    #: A staff-only note: it tells the centre alone and carries no text.
    INTERNAL_NOTE = "service_request.internal_note"
    ASSIGNED = "service_request.assigned"
    RATED = "service_request.rated"


class SLAEventKind(StrEnum):
    """The beat's reminders (``centres.reminders``), sent in business hours only."""

    AT_RISK = "service_request.sla_at_risk"
    BREACHED = "service_request.sla_breached"


def transition_kind(name: str) -> RequestEventKind:
    return RequestEventKind(f"service_request.{name}")

"""The admission workflow's domain events: one kind per declared transition, named after it."""

from enum import StrEnum

from .workflow import TRANSITIONS

EventKind = StrEnum("EventKind", {name.upper(): f"application.{name}" for name in TRANSITIONS})


def event_kind(transition_name: str) -> EventKind:
    return EventKind(f"application.{transition_name}")

"""Which domain events become which public webhook events, with what data, and who may see them.

``hkhz_portal`` imports no app, so each app registers in its ``AppConfig.ready()``::

    registry.map_kind("application.submit", EventType.APPLICATION_SUBMITTED, data=application_data)
    registry.set_audience(EventType.CALL_OPENED, everyone)

``data(event)`` builds the body's small ``data`` object (ids, references, absolute links to the
API). ``audience(event)`` says which partner organisations may hear of the event: ``None`` for
every subscriber, else an iterable (or a ``values_list`` queryset) of organisation ids. A type
with no audience registered reaches nobody: an event about an enterprise goes only where that
enterprise shares its data, so leaving a type's audience out is the safe default.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings

from .types import EventType


@dataclass(frozen=True)
class Mapping:
    type: EventType
    data: Callable[[object], dict]


Audience = Callable[[object], Iterable[int] | None]

_mappings: dict[str, Mapping] = {}
_audiences: dict[str, Audience] = {}


def map_kind(kind: str, type: EventType, *, data: Callable[[object], dict]) -> None:
    """Send events of the domain ``kind`` to subscribers of ``type`` (again: replaces it)."""
    _mappings[str(kind)] = Mapping(type=EventType(type), data=data)


def set_audience(type: EventType, audience: Audience) -> None:
    """Who may hear of events of ``type`` (again: replaces it)."""
    _audiences[str(type)] = audience


def mapping(kind: str) -> Mapping | None:
    return _mappings.get(kind)


def everyone(event) -> None:
    """An audience: every subscribed organisation (public facts, such as a call opening)."""
    return None


def audience(type: str, event) -> Iterable[int] | None:
    """The organisation ids that may hear of ``event``, or ``None`` for all; nobody when the
    type has no audience registered."""
    chosen = _audiences.get(type)
    return chosen(event) if chosen is not None else ()


def absolute(path: str) -> str:
    """A link a receiver can follow: the site's address and ``path``."""
    return settings.SITE_URL.rstrip("/") + path

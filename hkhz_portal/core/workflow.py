"""A workflow declared once: its transitions, each with who takes it and from which states.

An app declares its states (``TextChoices``) and a ``Workflow`` of ``Transition``s; services
take a transition by its name, pages and the API offer only ``by(actor, state)``, and help
pages draw themselves from ``reachable_states``. The admission workflow and the centres'
service requests are both declared this way.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    #: ``None``: back to the state the object was in before (e.g. answering a request for information).
    target: object | None
    by: object
    help: str

    def allowed_from(self, state) -> bool:
        return state in self.sources


class Workflow:
    def __init__(self, states, initial, transitions: Iterable[Transition]):
        self.states = states
        self.initial = initial
        self.transitions: dict[str, Transition] = {t.name: t for t in transitions}

    def by(self, actor, state) -> list[Transition]:
        """The transitions ``actor`` may take from ``state``, in declaration order."""
        return [t for t in self.transitions.values() if t.by == actor and t.allowed_from(state)]

    def reachable_states(self) -> list:
        """The states some transition leads to or starts from, in the order of the states' declaration."""
        seen = {self.initial}
        for t in self.transitions.values():
            seen |= set(t.sources)
            if t.target:
                seen.add(t.target)
        return [s for s in self.states if s in seen]

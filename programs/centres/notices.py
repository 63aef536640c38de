"""Who is told of each step of a service request, and what they read (``core.events`` kinds)."""

from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import events

from .events import SLAEventKind, ThreadEventKind, transition_kind
from .workflow import TRANSITIONS

LABELS = {
    "request": _("A service was requested"),
    "accept": _("A service request was accepted"),
    "start_work": _("Work started on a service request"),
    "ask_client": _("A centre asked an enterprise for something"),
    "client_answered": _("An enterprise answered its centre"),
    "wait_third_party": _("A service request waits on a third party"),
    "resume": _("Work resumed on a service request"),
    "complete": _("A service request was completed"),
    "cancel": _("An enterprise cancelled a service request"),
    "decline": _("A centre cancelled a service request"),
}

OTHER_LABELS = {
    ThreadEventKind.MESSAGE: _("A message on a service request"),
    ThreadEventKind.INTERNAL_NOTE: _("An internal note on a service request"),
    ThreadEventKind.ASSIGNED: _("A service request was assigned"),
    ThreadEventKind.RATED: _("A service request was rated"),
    SLAEventKind.AT_RISK: _("A service request's SLA is at risk"),
    SLAEventKind.BREACHED: _("A service request's SLA was breached"),
}


def register():
    for name in TRANSITIONS:
        events.register_kind(transition_kind(name), label=LABELS[name])
    for kind, label in OTHER_LABELS.items():
        events.register_kind(kind, label=label)

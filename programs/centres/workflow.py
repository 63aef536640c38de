"""A service request's life, declared once (``hkhz_portal.core.workflow``): its states, its
transitions, who takes each and from where.

The services (``centres.services``) take a transition by its name; the pages and the API
offer only what ``WORKFLOW.by`` gives for the reader's side and the request's state. The SLA
clock (``centres.sla``) counts in the running states and pauses in the waiting ones.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hkhz_portal.core.workflow import Transition, Workflow


class State(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("service request state", "Requested")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_ON_CLIENT = "waiting_on_client", _("Waiting on you")
    WAITING_ON_THIRD_PARTY = "waiting_on_third_party", _("Waiting on a third party")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Side(StrEnum):
    """Who takes a transition: a member of the requesting enterprise, the centre (its staff or
    its program officers), or the portal itself."""

    CLIENT = "client"
    CENTRE = "centre"
    SYSTEM = "system"


SIDE_LABELS = {
    Side.CLIENT: _("a member of the requesting enterprise"),
    Side.CENTRE: _("the centre's staff"),
    Side.SYSTEM: _("the portal"),
}

STATE_HELP = {
    State.REQUESTED: _("Sent to the centre; waiting for a member of its staff to accept it."),
    State.ACCEPTED: _("Accepted by the centre; work starts soon."),
    State.IN_PROGRESS: _("The centre is working on it."),
    State.WAITING_ON_CLIENT: _("The centre asked the enterprise for something; the service clock is paused."),
    State.WAITING_ON_THIRD_PARTY: _(
        "Waiting on a bank, an authority or another third party; the service clock is paused."
    ),
    State.COMPLETED: _("Done."),
    State.CANCELLED: _("Cancelled, with the reason given."),
}

#: The states as the centre's pages name them, where the enterprise's wording ("Waiting on you")
#: would say the opposite to the centre's staff.
CENTRE_STATE_LABELS = {
    **dict(State.choices),
    State.WAITING_ON_CLIENT: _("Waiting on the enterprise"),
}

#: Settled: nothing more happens to the request.
FINAL_STATES = frozenset({State.COMPLETED, State.CANCELLED})
#: The service clock is paused in these.
WAITING_STATES = frozenset({State.WAITING_ON_CLIENT, State.WAITING_ON_THIRD_PARTY})
#: Not settled: the centre's queue and the staff's loads count these.
OPEN_STATES = frozenset(set(State) - FINAL_STATES)
#: Where the centre's work goes on (and resumes after a pause).
WORKING_STATES = frozenset({State.ACCEPTED, State.IN_PROGRESS})


class PauseReason(models.TextChoices):
    """Why a request waits on a third party (``waiting_on_third_party`` needs one)."""

    BANK = "bank", _("A bank")
    NMPA = "nmpa", _("NMPA or a provincial medical products administration")
    FDA_EMA = "fda_ema", _("FDA or EMA")
    IMMIGRATION = "immigration", _("The Immigration Department or an exit-entry administration")
    COMPANIES_REGISTRY = "companies_registry", _("A companies registry or market regulation bureau")
    IP_OFFICE = "ip_office", _("An intellectual property office")
    LANDLORD = "landlord", _("A landlord or the Science Park")
    OTHER = "other", _("Another third party")


WORKFLOW = Workflow(
    State,
    State.REQUESTED,
    [
        Transition(
            "request",
            _("Request"),
            frozenset(),
            State.REQUESTED,
            Side.CLIENT,
            _("A member of an enterprise with a current cross-border consent requests one of the centre's services."),
        ),
        Transition(
            "accept",
            _("Accept"),
            frozenset({State.REQUESTED}),
            State.ACCEPTED,
            Side.CENTRE,
            _("The centre takes the request on; accepting counts as its first response."),
        ),
        Transition(
            "start_work",
            _("Start work"),
            frozenset({State.ACCEPTED}),
            State.IN_PROGRESS,
            Side.CENTRE,
            _("The assignee starts on the fulfilment steps."),
        ),
        Transition(
            "ask_client",
            _("Ask the enterprise"),
            frozenset(WORKING_STATES),
            State.WAITING_ON_CLIENT,
            Side.CENTRE,
            _("A message to the enterprise asks it for something; the clock pauses until it answers."),
        ),
        Transition(
            "client_answered",
            _("Enterprise answered"),
            frozenset({State.WAITING_ON_CLIENT}),
            State.IN_PROGRESS,
            Side.CLIENT,
            _("The enterprise's message answers the centre; the clock runs again."),
        ),
        Transition(
            "wait_third_party",
            _("Wait on a third party"),
            frozenset(WORKING_STATES),
            State.WAITING_ON_THIRD_PARTY,
            Side.CENTRE,
            _("The request waits on a bank, an authority or another third party, named; the clock pauses."),
        ),
        Transition(
            "resume",
            _("Resume"),
            frozenset(WAITING_STATES),
            State.IN_PROGRESS,
            Side.CENTRE,
            _("The wait is over (the third party answered, or the centre goes on without the answer)."),
        ),
        Transition(
            "complete",
            _("Complete"),
            frozenset({State.IN_PROGRESS}),
            State.COMPLETED,
            Side.CENTRE,
            _("The service is delivered; the enterprise is asked to rate it."),
        ),
        Transition(
            "cancel",
            _("Cancel"),
            frozenset(OPEN_STATES),
            State.CANCELLED,
            Side.CLIENT,
            _("The enterprise no longer needs the service, and says why."),
        ),
        Transition(
            "decline",
            _("Cancel for the enterprise"),
            frozenset(OPEN_STATES),
            State.CANCELLED,
            Side.CENTRE,
            _("The centre cannot deliver the service (out of scope, duplicate, no answer), and says why."),
        ),
    ],
)
TRANSITIONS = WORKFLOW.transitions

#: The transitions that need a reason written (shown to the enterprise).
NEEDS_REASON = frozenset({"cancel", "decline", "wait_third_party"})

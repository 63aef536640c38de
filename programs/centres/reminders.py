"""The beat's SLA reminders: a request's assignee and its centre's leads are told once when one
of its running clocks passes its at-risk share of the target, and once when it passes the target.

The request's row is locked (other beats skip it) and the reminder recorded (``SLAReminder``,
one per request, clock and level) in the transaction that emits it, so two beats never remind
twice. Reminders go out in the policy's business hours only: one that falls due in the lunch
break, at night or on a holiday waits for the first beat after the centre opens.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hkhz_portal.core import events

from ..models import ClockLevel, ClockName, ServiceRequest, SLAReminder
from . import sla
from .events import SLAEventKind
from .services import clock_level, recompute_clocks

KINDS = {ClockLevel.AT_RISK: SLAEventKind.AT_RISK, ClockLevel.BREACHED: SLAEventKind.BREACHED}


def _due(clock: ClockName, now) -> Q:
    """The clock passed its at-risk share and was never reminded of, or its target and was
    not reminded of that (its stored figures are read: recomputed at every step)."""
    reminded = SLAReminder.objects.filter(request=OuterRef("pk"), clock=clock)
    return Q(**{f"{clock}_risk_at__lte": now}) & (
        ~Exists(reminded) | (Q(**{f"{clock}_due_at__lte": now}) & ~Exists(reminded.filter(level=ClockLevel.BREACHED)))
    )


def _level(clock: sla.Clock) -> ClockLevel | None:
    """The level a running clock is to be reminded of (none while it is on time or not running)."""
    if clock.state != sla.ClockState.RUNNING:
        return None
    level = clock_level(clock)
    return None if level == ClockLevel.OK else level


@transaction.atomic(durable=True)
def remind_sla(now=None, *, limit: int = 500) -> int:
    """Remind of each running clock that passed 80 % of its target (at risk) or the target
    (breached), once per level, in the request's business hours. A clock found past its target
    before it was reminded of the risk is reminded of the breach only. Called by the beat
    (``programs.centres_remind_sla``); returns the number of reminders sent."""
    now = now or timezone.now()
    candidates = (
        ServiceRequest.objects.filter(state__in=sla.COUNTING)
        .filter(_due(ClockName.RESPONSE, now) | _due(ClockName.RESOLUTION, now))
        .order_by("pk")
        .select_for_update(skip_locked=True, of=("self",))
    )
    sent = 0
    for request in candidates[:limit]:
        if not sla.in_business_hours(sla.Policy.from_json(request.sla), now):
            continue
        # Read under the row's lock: a beat that reminded meanwhile has committed its rows.
        reminded = set(request.sla_reminders.values_list("clock", "level"))
        clocks = recompute_clocks(request, now=now)
        for name, clock in ((ClockName.RESPONSE, clocks.response), (ClockName.RESOLUTION, clocks.resolution)):
            level = _level(clock)
            if level is None or {(name, level), (name, ClockLevel.BREACHED)} & reminded:
                continue
            SLAReminder.objects.create(request=request, clock=name, level=level)
            events.emit(
                KINDS[level],
                target=request,
                payload={"reference": request.reference, "clock": name, "due_at": clock.due_at.isoformat()},
            )
            sent += 1
    return sent

"""How the centres' pages show a service and a request: a service's fee, its SLA in words and its
working hours, the same wherever the catalogue shows them; a request's SLA clocks and what explains
them (business time in hours and minutes, each clock's figures and level, the state log with the
business time each stretch counted or paused, the fulfilment steps' due moments). Pure: no queries."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from enterprises.choices import DocumentType
from enterprises.templatetags.enterprise_format import money
from hkhz_portal.core.calendars import Calendar
from hkhz_portal.core.i18n import language_variant

from ..answers import list_separator
from ..models import ClockName, Service, Weekday
from . import sla
from .services import clock_level
from .workflow import CENTRE_STATE_LABELS, FINAL_STATES, OPEN_STATES, TRANSITIONS, State


def fee(service: Service) -> str:
    """``HKD 8,000.00``, or "Free" when the service has no fee."""
    return money(service.fee) if service.fee is not None else _("Free")


def business_hours(hours: Decimal) -> str:
    """``4 business hours``, ``1 business hour``, ``1.5 business hours``."""
    shown = format(Decimal(hours).normalize(), "f")
    return ngettext("%(hours)s business hour", "%(hours)s business hours", 1 if hours == 1 else 2) % {"hours": shown}


def sla_in_words(policy) -> str:
    """The policy's two targets and the calendar they are counted on, in one sentence."""
    figures = {"first": business_hours(policy.first_response_hours), "done": business_hours(policy.resolution_hours)}
    if policy.calendar == Calendar.CN:
        return (
            _(
                "First response within %(first)s; completed within %(done)s, on mainland working days, "
                "including make-up working weekends."
            )
            % figures
        )
    return _("First response within %(first)s; completed within %(done)s, on Hong Kong working days.") % figures


def documents_needed(service: Service) -> str:
    """The names of the document types the service needs, listed in the reader's language
    ("Business licence, Articles of association"); "None" when it needs none."""
    needed = set(service.required_documents)
    return list_separator().join(str(label) for value, label in DocumentType.choices if value in needed) or _("None")


@dataclass(frozen=True)
class HoursRow:
    days: str
    periods: list[str]
    breaks: list[str]


def _span(start, end) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def working_hours(policy: sla.Policy) -> list[HoursRow]:
    """The policy's week, consecutive weekdays with the same hours on one row ("Monday to
    Friday"), each with its open periods and the breaks between them (the lunch break)."""
    by_day = {day: list(periods) for day, periods in policy.hours.items() if periods}
    runs: list[list[int]] = []
    for day in sorted(by_day):
        if runs and runs[-1][-1] == day - 1 and by_day[runs[-1][-1]] == by_day[day]:
            runs[-1].append(day)
        else:
            runs.append([day])
    rows = []
    for days in runs:
        first, last = Weekday(days[0]).label, Weekday(days[-1]).label
        periods = by_day[days[0]]
        rows.append(
            HoursRow(
                days=str(first) if len(days) == 1 else _("%(first)s to %(last)s") % {"first": first, "last": last},
                periods=[_span(start, end) for start, end in periods],
                breaks=[_span(earlier[1], later[0]) for earlier, later in pairwise(periods)],
            )
        )
    return rows


def hours_in_words(policy: sla.Policy) -> str:
    """The policy's week in one sentence: "Business hours: Monday to Friday 09:00–12:30,
    13:30–18:00." (in the reader's language and punctuation)."""
    between_days = "; " if language_variant() == "en" else "；"
    week = between_days.join(f"{row.days} {list_separator().join(row.periods)}" for row in working_hours(policy))
    return _("Business hours: %(week)s.") % {"week": week}


def closed_days_note(calendar: str) -> str:
    if calendar == Calendar.CN:
        return _(
            "Closed on other days and on mainland public holidays; a make-up working weekend day keeps Monday's hours."
        )
    return _("Closed on other days and on Hong Kong public holidays.")


MINUTE = datetime.timedelta(minutes=1)

CLOCK_STATES = {
    sla.ClockState.RUNNING: gettext_lazy("Running"),
    sla.ClockState.PAUSED: gettext_lazy("Paused"),
    sla.ClockState.MET: gettext_lazy("Met"),
    sla.ClockState.BREACHED: gettext_lazy("Ended past its target"),
    sla.ClockState.STOPPED: gettext_lazy("Stopped: cancelled"),
}

#: What a stretch of the log in each kind of state does to the clocks.
COUNTS, PAUSED_ON_CLIENT, PAUSED_ON_THIRD_PARTY, STOPPED = "counts", "client", "third_party", "stopped"
EFFECTS = {
    COUNTS: gettext_lazy("Counted"),
    PAUSED_ON_CLIENT: gettext_lazy("Paused: waiting on the enterprise"),
    PAUSED_ON_THIRD_PARTY: gettext_lazy("Paused: waiting on a third party"),
    STOPPED: gettext_lazy("Clock stopped"),
}


def duration(delta: datetime.timedelta) -> str:
    """A length of business time to the nearest minute, in hours and minutes ("12 h 30 min"),
    without its sign: elapsed and left then add up to the target."""
    hours, minutes = divmod(round(abs(delta) / MINUTE), 60)
    if not hours:
        return _("%(minutes)s min") % {"minutes": minutes}
    if not minutes:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}


def _margin(clock: sla.Clock) -> tuple[str, str]:
    """What stands between the clock and its target, named: time left, to spare, or over."""
    left = clock.left
    if left < datetime.timedelta(0):
        return _("Over by"), duration(left)
    if clock.state in (sla.ClockState.RUNNING, sla.ClockState.PAUSED):
        return _("Time left"), duration(left)
    return _("To spare"), duration(left)


def clock_view(name: ClockName, clock: sla.Clock) -> dict:
    """One clock as the page shows it: its figures in words, its level, its moments (UTC)."""
    level = clock_level(clock)
    margin_label, margin = _margin(clock)
    return {
        "key": name.value,
        "name": name.label,
        "open": clock.state in (sla.ClockState.RUNNING, sla.ClockState.PAUSED),
        "state": clock.state.value,
        "state_label": CLOCK_STATES[clock.state],
        "level": level.value,
        "level_label": level.label,
        "target": duration(clock.target),
        "elapsed": duration(clock.elapsed),
        "margin_label": margin_label,
        "margin": margin,
        "over": clock.left < datetime.timedelta(0),
        "due_at": clock.due_at,
        "at_risk_at": clock.at_risk_at,
        "stopped_at": clock.stopped_at,
        # A <progress> bar, full at the target.
        "progress": min(clock.elapsed, clock.target) // MINUTE,
        "progress_max": clock.target // MINUTE,
    }


def clock_views(clocks: sla.Clocks) -> list[dict]:
    return [clock_view(ClockName.RESPONSE, clocks.response), clock_view(ClockName.RESOLUTION, clocks.resolution)]


def _effect(state: str) -> str:
    if state in FINAL_STATES:
        return STOPPED
    if state == State.WAITING_ON_CLIENT:
        return PAUSED_ON_CLIENT
    if state == State.WAITING_ON_THIRD_PARTY:
        return PAUSED_ON_THIRD_PARTY
    return COUNTS


def log_rows(policy: sla.Policy, log: list, now: datetime.datetime) -> list[dict]:
    """Each state change (``RequestStateChange``, in order) with the labels of its step and
    states, and the business time the request then spent in the state it entered, to the next
    change or ``now``, counted or paused: the sums of these are the resolution clock's figures."""
    states = {value: str(label) for value, label in CENTRE_STATE_LABELS.items()}
    ends = [change.created_at for change in log[1:]] + [now]
    rows = []
    for change, end in zip(log, ends, strict=True):
        effect = _effect(change.to_state)
        transition = TRANSITIONS.get(change.transition)
        rows.append(
            {
                "change": change,
                "step": transition.label if transition else change.transition,
                "from": states.get(change.from_state, ""),
                "to": states.get(change.to_state, change.to_state),
                "effect": effect,
                "effect_label": EFFECTS[effect],
                "business": None if effect == STOPPED else duration(sla.business_time(policy, change.created_at, end)),
            }
        )
    return rows


def step_rows(policy: sla.Policy, request, steps, now: datetime.datetime) -> list[dict]:
    """The fulfilment steps, each with its due moment (its target in business time from the
    request's creation), overdue while open past it, late if ticked after it."""
    rows = []
    for step in steps:
        due = sla.add_business_time(policy, request.created_at, datetime.timedelta(hours=float(step.target_hours)))
        rows.append(
            {
                "step": step,
                "target": duration(datetime.timedelta(hours=float(step.target_hours))),
                "due_at": due,
                "overdue": step.done_at is None and request.state in OPEN_STATES and now > due,
                "late": step.done_at is not None and step.done_at > due,
            }
        )
    return rows

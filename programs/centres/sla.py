"""The service centres' SLA clocks: the business time between two moments, and a service
request's two clocks (first response, resolution) read from its state log.

Business time is time inside a policy's open periods, counted day by day in the policy's
timezone (Asia/Hong_Kong on the Hong Kong calendar, Asia/Shanghai on the mainland's):

- A day's open periods are the policy's hours for its weekday. The gap between two periods (the
  lunch break) does not count, nor does a weekday without periods (Saturdays and Sundays, as a
  rule). A period opens at its first instant and is closed at its last: 12:30 is lunch.
- A public holiday on the policy's calendar has no open periods, on a weekday too.
- A mainland make-up working weekend day (a Saturday or Sunday the State Council has made a
  working day) has a Monday's hours: a centre on the mainland calendar opens on it as on any
  working day. Hong Kong has none.

A request's clocks count business time while it is requested, accepted or in progress; they
pause while it waits on the client or on a third party (each pause is totalled apart), and stop
when it is completed or cancelled. The response clock stops at the first response instead, or at
completion if there was none. A finished clock is met if it took no longer than its target and
breached if it took longer; a cancelled clock is stopped, unless it had already run past its
target (breached). Nothing is kept: the clocks are read from the log every time, so the log
explains every figure.
"""

import dataclasses
import datetime
import enum
from collections.abc import Iterator, Sequence
from decimal import ROUND_CEILING, Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

from hkhz_portal.core.calendars import ONE_DAY, Calendar, is_holiday, is_makeup_workday

from .workflow import FINAL_STATES, WAITING_STATES, WORKING_STATES, State

MONDAY = 0
ZERO = datetime.timedelta(0)
SECOND = datetime.timedelta(seconds=1)
MICROSECOND = datetime.timedelta(microseconds=1)

Period = tuple[datetime.time, datetime.time]

_ZONES = {Calendar.HK: ZoneInfo("Asia/Hong_Kong"), Calendar.CN: ZoneInfo("Asia/Shanghai")}

#: The clocks count in these states, pause in the waits and stop in the final states.
COUNTING = frozenset({State.REQUESTED, *WORKING_STATES})
WAITING_ON_CLIENT = State.WAITING_ON_CLIENT
WAITING_ON_THIRD_PARTY = State.WAITING_ON_THIRD_PARTY
COMPLETED = State.COMPLETED
CANCELLED = State.CANCELLED
WAITING = WAITING_STATES
STOPPING = FINAL_STATES


@dataclasses.dataclass(frozen=True)
class Policy:
    """A centre's business hours and SLA targets. ``hours`` maps a weekday (0 is Monday) to its
    open periods in local time, in order; a weekday left out has none. The targets are business
    time, in whole seconds."""

    calendar: str
    hours: dict[int, tuple[Period, ...]]
    first_response: datetime.timedelta
    resolution: datetime.timedelta
    at_risk_ratio: Decimal = Decimal("0.8")

    def __post_init__(self):
        Calendar(self.calendar)
        if not set(self.hours) <= set(range(7)):
            raise ValueError(f"Weekdays run from 0 (Monday) to 6 (Sunday), not {sorted(self.hours)}")
        for weekday, periods in self.hours.items():
            times = [time for period in periods for time in period]
            if any(time.tzinfo or time.second or time.microsecond for time in times):
                raise ValueError(f"Weekday {weekday}'s periods must be in local time, in whole minutes")
            if any(earlier >= later for earlier, later in pairwise(times)):
                raise ValueError(f"Weekday {weekday}'s periods must be in order, apart, and each end after it starts")
        if not any(self.hours.values()):
            raise ValueError("A policy must be open at some time of the week")
        for target in (self.first_response, self.resolution):
            if target <= ZERO or target % SECOND:
                raise ValueError(f"A target must be a positive whole number of seconds, not {target}")
        if not 0 < self.at_risk_ratio < 1:
            raise ValueError(f"The at-risk ratio must be between 0 and 1, not {self.at_risk_ratio}")

    @property
    def tz(self) -> ZoneInfo:
        return _ZONES[Calendar(self.calendar)]

    def to_json(self) -> dict:
        """The policy as a request keeps it: times "HH:MM", weekdays "0" to "6", targets in
        seconds, the ratio a decimal string."""
        return {
            "calendar": Calendar(self.calendar).value,
            "hours": {
                str(weekday): [[time.strftime("%H:%M") for time in period] for period in periods]
                for weekday, periods in sorted(self.hours.items())
            },
            "first_response": self.first_response // SECOND,
            "resolution": self.resolution // SECOND,
            "at_risk_ratio": str(self.at_risk_ratio),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Policy":
        return cls(
            calendar=data["calendar"],
            hours={
                int(weekday): tuple(
                    (datetime.time.fromisoformat(opens), datetime.time.fromisoformat(closes))
                    for opens, closes in periods
                )
                for weekday, periods in data["hours"].items()
            },
            first_response=datetime.timedelta(seconds=data["first_response"]),
            resolution=datetime.timedelta(seconds=data["resolution"]),
            at_risk_ratio=Decimal(data["at_risk_ratio"]),
        )


def hours_of(policy: Policy, day: datetime.date) -> tuple[Period, ...]:
    """The open periods of ``day`` (local times) under ``policy``."""
    if is_holiday(day, policy.calendar):
        return ()
    if is_makeup_workday(day, policy.calendar):
        return policy.hours.get(MONDAY, ())
    return policy.hours.get(day.weekday(), ())


def _utc(moment: datetime.datetime) -> datetime.datetime:
    if moment.utcoffset() is None:
        raise ValueError(f"A moment must carry its timezone: {moment}")
    return moment.astimezone(datetime.UTC)


def _open_periods(policy: Policy, moment: datetime.datetime) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """The open periods from ``moment`` on, in UTC, for ever; the first one starts at ``moment``
    if it falls inside it."""
    moment, tz = _utc(moment), policy.tz
    day = moment.astimezone(tz).date()
    while True:
        for opens, closes in hours_of(policy, day):
            end = datetime.datetime.combine(day, closes, tz).astimezone(datetime.UTC)
            if end > moment:
                yield max(datetime.datetime.combine(day, opens, tz).astimezone(datetime.UTC), moment), end
        day += ONE_DAY


def business_time(policy: Policy, start: datetime.datetime, end: datetime.datetime) -> datetime.timedelta:
    """The business time between two moments (none if ``end`` is not after ``start``)."""
    end = _utc(end)
    total = ZERO
    for opens, closes in _open_periods(policy, start):
        if opens >= end:
            return total
        total += min(closes, end) - opens


def add_business_time(policy: Policy, start: datetime.datetime, delta: datetime.timedelta) -> datetime.datetime:
    """The first moment (UTC) ``delta`` of business time after ``start``: ``start`` itself for no
    time, the end of a period rather than the next opening when ``delta`` runs out there."""
    if delta < ZERO:
        raise ValueError(f"Business time to add must not be negative, not {delta}")
    if not delta:
        return _utc(start)
    for opens, closes in _open_periods(policy, start):
        if delta <= closes - opens:
            return opens + delta
        delta -= closes - opens


def next_business_moment(policy: Policy, moment: datetime.datetime) -> datetime.datetime:
    """``moment`` (in UTC) if it is in business hours, else the next opening."""
    opens, _ = next(_open_periods(policy, moment))
    return opens


def in_business_hours(policy: Policy, moment: datetime.datetime) -> bool:
    return next_business_moment(policy, moment) == _utc(moment)


class ClockState(enum.StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    #: The request was cancelled before its target was met or breached.
    STOPPED = "stopped"


def _share(target: datetime.timedelta, ratio: Decimal) -> datetime.timedelta:
    """``ratio`` of ``target``, to the microsecond above."""
    return datetime.timedelta(microseconds=int((ratio * (target // MICROSECOND)).to_integral_value(ROUND_CEILING)))


@dataclasses.dataclass(frozen=True)
class Clock:
    """One SLA clock as of a moment. ``due_at`` and ``at_risk_at`` (UTC) are set only while it
    runs: when it reaches its target and its at-risk share if it runs on (either may have passed
    already; then it is when it did)."""

    target: datetime.timedelta
    elapsed: datetime.timedelta
    state: ClockState
    stopped_at: datetime.datetime | None
    due_at: datetime.datetime | None
    at_risk_at: datetime.datetime | None
    at_risk_ratio: Decimal = Decimal("0.8")

    @property
    def left(self) -> datetime.timedelta:
        return self.target - self.elapsed

    @property
    def fraction(self) -> float:
        return self.elapsed / self.target

    def is_at_risk(self) -> bool:
        """Still running or paused, past its at-risk share of the target but not past the target."""
        return (
            self.state in (ClockState.RUNNING, ClockState.PAUSED)
            and _share(self.target, self.at_risk_ratio) <= self.elapsed < self.target
        )

    def is_breached(self) -> bool:
        return self.elapsed > self.target


@dataclasses.dataclass(frozen=True)
class Clocks:
    response: Clock
    resolution: Clock
    paused_on_client: datetime.timedelta
    paused_on_third_party: datetime.timedelta


@dataclasses.dataclass(frozen=True)
class Entry:
    """One row of a request's state log: the state it entered at ``at``."""

    at: datetime.datetime
    state: str


#: A stretch of the log in one state: the state, its start (UTC), and its business time.
_Span = tuple[str, datetime.datetime, datetime.timedelta]


def clocks(
    policy: Policy, log: Sequence[Entry], *, first_response_at: datetime.datetime | None, now: datetime.datetime
) -> Clocks:
    """A request's clocks as of ``now``, read from its log (in order, from its creation); entries
    after ``now`` have not happened yet."""
    if not log or log[0].state != State.REQUESTED:
        raise ValueError("A request's log starts with its creation (requested)")
    if unknown := {entry.state for entry in log} - COUNTING - WAITING - STOPPING:
        raise ValueError(f"Unknown request states: {sorted(unknown)}")
    if any(later.at < earlier.at for earlier, later in pairwise(log)):
        raise ValueError("A request's log must be in the order of its entries' times")
    now = _utc(now)
    log = [entry for entry in log if _utc(entry.at) <= now] or log[:1]
    spans = _spans(policy, log, now)
    if first_response_at is None:
        response = _clock(policy, policy.first_response, spans, log[-1], now)
    else:
        # A first response ends the response clock as a completion ends the resolution clock.
        first_response_at = _utc(first_response_at)
        responded = _spans(policy, log, first_response_at)
        response = _clock(policy, policy.first_response, responded, Entry(first_response_at, COMPLETED), now)
    return Clocks(
        response=response,
        resolution=_clock(policy, policy.resolution, spans, log[-1], now),
        paused_on_client=sum((business for state, _, business in spans if state == WAITING_ON_CLIENT), ZERO),
        paused_on_third_party=sum((business for state, _, business in spans if state == WAITING_ON_THIRD_PARTY), ZERO),
    )


def _spans(policy: Policy, log: Sequence[Entry], until: datetime.datetime) -> list[_Span]:
    """Each entry's stretch, to the next entry or, for the last, to ``until``; cut at ``until``.
    A stretch after a stop is not measured: nothing counts there, and it may run for months."""
    spans = []
    ends = [entry.at for entry in log[1:]] + [until]
    for entry, end in zip(log, ends, strict=True):
        start = _utc(entry.at)
        if start >= until:
            break
        business = ZERO if entry.state in STOPPING else business_time(policy, start, min(_utc(end), until))
        spans.append((entry.state, start, business))
    return spans


def _clock(
    policy: Policy, target: datetime.timedelta, spans: list[_Span], last: Entry, now: datetime.datetime
) -> Clock:
    """The clock over ``spans`` (up to ``now``) in the state ``last`` entered."""
    counted = [(start, business) for state, start, business in spans if state in COUNTING]
    elapsed = sum((business for _, business in counted), ZERO)
    clock = {"target": target, "elapsed": elapsed, "at_risk_ratio": policy.at_risk_ratio}
    if last.state == COMPLETED:
        state = ClockState.MET if elapsed <= target else ClockState.BREACHED
        return Clock(state=state, stopped_at=_utc(last.at), due_at=None, at_risk_at=None, **clock)
    if last.state == CANCELLED:
        state = ClockState.BREACHED if elapsed > target else ClockState.STOPPED
        return Clock(state=state, stopped_at=_utc(last.at), due_at=None, at_risk_at=None, **clock)
    if last.state in WAITING:
        return Clock(state=ClockState.PAUSED, stopped_at=None, due_at=None, at_risk_at=None, **clock)
    return Clock(
        state=ClockState.RUNNING,
        stopped_at=None,
        due_at=_reached(policy, counted, target, now),
        at_risk_at=_reached(policy, counted, _share(target, policy.at_risk_ratio), now),
        **clock,
    )


def _reached(
    policy: Policy,
    counted: list[tuple[datetime.datetime, datetime.timedelta]],
    amount: datetime.timedelta,
    now: datetime.datetime,
) -> datetime.datetime:
    """When a running clock's counted stretches (up to ``now``) reach ``amount``: inside one of
    them if they hold that much, else projected from ``now``."""
    for start, business in counted:
        if amount <= business:
            return add_business_time(policy, start, amount)
        amount -= business
    return add_business_time(policy, now, amount)

"""The figures of a centre's dashboard: its open requests per staff member (on time, at risk,
breached), and per service the open ones, the median first response and resolution in business
hours, and the enterprises' ratings.

Each is one query whatever the number of requests (counts and means are grouped in the
database). A first response is measured here, on the business hours of the policy frozen on
its request, from its request to its first response (the response clock cannot pause before
it); a resolution is the business time its clock counted, pauses left out: the target less the
time left, both kept on the request when it was completed. Times and ratings are over the
requests made in the last ``WINDOW``: how the centre does lately, and a cost that does not
grow with its history (docs/benchmarks.md).
"""

import datetime
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, TextField
from django.db.models.functions import Cast

from ..models import ServiceRating, ServiceRequest
from . import sla
from .queue import at_risk_q, breached_q
from .workflow import OPEN_STATES, State

HOUR = datetime.timedelta(hours=1)
#: The times and ratings are those of the requests made this long before the dashboard is read.
WINDOW = datetime.timedelta(days=90)


@dataclass(frozen=True)
class Load:
    """One staff member's open requests (``assignee_id`` None: the unassigned ones)."""

    assignee_id: int | None
    name: str
    open: int
    at_risk: int
    breached: int

    @property
    def on_time(self) -> int:
        return self.open - self.at_risk - self.breached


def _open(unit_id: int, group: str, now: datetime.datetime, *names: str):
    """The centre's open requests counted per ``group`` column: open, at risk, breached."""
    return (
        ServiceRequest.objects.filter(unit_id=unit_id, state__in=OPEN_STATES)
        .values(group, *names)
        .annotate(
            open=Count("id"), at_risk=Count("id", filter=at_risk_q(now)), breached=Count("id", filter=breached_q(now))
        )
        .order_by()
    )


def loads(unit_id: int, staff, now: datetime.datetime) -> list[Load]:
    """Each member of ``staff`` (the centre's, idle ones too) and anyone else still holding open
    requests, the most loaded first; then the unassigned ones, if any."""
    rows = {
        row["assignee_id"]: row for row in _open(unit_id, "assignee_id", now, "assignee__full_name", "assignee__email")
    }
    result = [Load(member.pk, member.get_short_name(), *_counts(rows.pop(member.pk, None))) for member in staff] + [
        Load(pk, row["assignee__full_name"] or row["assignee__email"], *_counts(row))
        for pk, row in rows.items()
        if pk is not None
    ]
    result.sort(key=lambda load: (-load.open, load.name, load.assignee_id))
    if None in rows:
        result.append(Load(None, "", *_counts(rows[None])))
    return result


def _counts(row) -> tuple[int, int, int]:
    return (row["open"], row["at_risk"], row["breached"]) if row else (0, 0, 0)


@dataclass(frozen=True)
class OpenCounts:
    open: int = 0
    at_risk: int = 0
    breached: int = 0


def open_by_service(unit_id: int, now: datetime.datetime) -> dict[int, OpenCounts]:
    return {row["service_id"]: OpenCounts(*_counts(row)) for row in _open(unit_id, "service_id", now)}


def _median_hours(durations) -> float:
    return round(statistics.median(durations) / HOUR, 1)


def first_responses(unit_id: int, since: datetime.datetime) -> dict[int, float]:
    """``{service id: median business hours}`` from request to first response, over the
    centre's answered requests made ``since``."""
    rows = (
        ServiceRequest.objects.filter(unit_id=unit_id, created_at__gte=since, first_response_at__isnull=False)
        .order_by()
        # The policy as the database stores it: requests made under the same policy carry equal
        # copies of it, so each is parsed once.
        .annotate(policy=Cast("sla", TextField()))
        .values_list("service_id", "policy", "created_at", "first_response_at")
    )
    policies, durations = {}, defaultdict(list)
    for service_id, frozen, created_at, first_response_at in rows.iterator(chunk_size=2000):
        if frozen not in policies:
            policies[frozen] = sla.Policy.from_json(json.loads(frozen))
        durations[service_id].append(sla.business_time(policies[frozen], created_at, first_response_at))
    return {service_id: _median_hours(values) for service_id, values in durations.items()}


def resolutions(unit_id: int, since: datetime.datetime) -> dict[int, float]:
    """``{service id: median business hours}`` the resolution clock counted, over the centre's
    completed requests made ``since``."""
    rows = (
        ServiceRequest.objects.filter(unit_id=unit_id, created_at__gte=since, state=State.COMPLETED)
        .order_by()
        .values_list("service_id", "sla__resolution", "resolution_left")
    )
    durations = defaultdict(list)
    for service_id, target, left in rows.iterator(chunk_size=2000):
        durations[service_id].append(datetime.timedelta(seconds=target - left))
    return {service_id: _median_hours(values) for service_id, values in durations.items()}


@dataclass(frozen=True)
class Satisfaction:
    mean: float
    count: int


def satisfaction(unit_id: int, since: datetime.datetime) -> dict[int, Satisfaction]:
    """``{service id: mean score and number of ratings}`` of the centre's rated requests made ``since``."""
    rows = (
        ServiceRating.objects.filter(request__unit_id=unit_id, request__created_at__gte=since)
        .values("request__service_id")
        .annotate(mean=Avg("score"), count=Count("id"))
        .order_by()
    )
    return {row["request__service_id"]: Satisfaction(round(float(row["mean"]), 1), row["count"]) for row in rows}

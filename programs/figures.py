"""The figures of a unit's admission dashboard: its applications by status per call, the funnel
from submission to admission, the median time spent in each state, the reviewers' open reviews
and the overdue ones.

Each is one query whatever the number of applications (counts are grouped in the database;
the time in each state is read as one ordered list of status changes and measured here).
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .choices import OWED_ASSIGNMENTS
from .models import Application, ReviewAssignment, StatusChange
from .workflow import Status

#: The dashboard's groups of states (a chart has at most eight colours): every state a submitted
#: application can be in, each in one group.
STATUS_GROUPS = (
    (_("Being screened"), (Status.SUBMITTED, Status.SCREENING)),
    (_("Flagged or waiting for information"), (Status.NEEDS_ATTENTION, Status.MORE_INFO_REQUESTED)),
    (Status.IN_REVIEW.label, (Status.IN_REVIEW,)),
    (Status.REVIEWED.label, (Status.REVIEWED,)),
    (_("Approved or onboarding"), (Status.APPROVED, Status.ONBOARDING)),
    (Status.ADMITTED.label, (Status.ADMITTED,)),
    (Status.WAITLISTED.label, (Status.WAITLISTED,)),
    (_("Rejected or withdrawn"), (Status.REJECTED, Status.WITHDRAWN)),
)

#: The funnel's steps after submission: the state whose reaching counts an application in.
FUNNEL = (
    (_("Screened into review"), Status.IN_REVIEW),
    (Status.REVIEWED.label, Status.REVIEWED),
    (Status.APPROVED.label, Status.APPROVED),
    (Status.ADMITTED.label, Status.ADMITTED),
)

#: An assignment still owed a review, on an application still being reviewed.
OPEN_REVIEW = Q(
    status__in=OWED_ASSIGNMENTS,
    application__status__in=(Status.IN_REVIEW, Status.MORE_INFO_REQUESTED),
)


def submitted(unit_id: int):
    return Application.objects.filter(unit_id=unit_id, submitted_at__isnull=False)


def status_by_call(unit_id: int) -> dict[int, tuple[int, ...]]:
    """``{call id: counts}`` of the unit's submitted applications, one count per ``STATUS_GROUPS``
    group, for the calls that have any."""
    group_of = {status: index for index, (_label, states) in enumerate(STATUS_GROUPS) for status in states}
    counts = defaultdict(lambda: [0] * len(STATUS_GROUPS))
    rows = submitted(unit_id).order_by().values_list("call_id", "status").annotate(n=Count("id"))
    for call_id, status, n in rows:
        counts[call_id][group_of[status]] += n
    return {call_id: tuple(values) for call_id, values in counts.items()}


def funnel(unit_id: int, submitted_count: int) -> list[tuple[str, int]]:
    """How many of the unit's submitted applications reached each step, submission first."""
    reached = dict(
        StatusChange.objects.filter(application__unit_id=unit_id, to_status__in=[state for _l, state in FUNNEL])
        .order_by()
        .values_list("to_status")
        .annotate(n=Count("application_id", distinct=True))
    )
    return [(_("Submitted"), submitted_count)] + [(label, reached.get(state, 0)) for label, state in FUNNEL]


@dataclass(frozen=True)
class TimeInState:
    status: Status
    median_days: float


def time_in_states(unit_id: int) -> list[TimeInState]:
    """The median days the unit's applications spent in each state, from entering it to leaving
    it, in the workflow's order; states no application has left yet are left out."""
    changes = (
        StatusChange.objects.filter(application__unit_id=unit_id)
        .order_by("application_id", "created_at", "id")
        .values_list("application_id", "to_status", "created_at")
    )
    stays = defaultdict(list)
    previous = None
    for application_id, status, at in changes.iterator(chunk_size=5000):
        if previous is not None and previous[0] == application_id:
            stays[previous[1]].append((at - previous[2]) / datetime.timedelta(days=1))
        previous = (application_id, status, at)
    return [TimeInState(status, round(statistics.median(stays[status]), 1)) for status in Status if stays[status]]


@dataclass(frozen=True)
class ReviewerLoad:
    name: str
    open: int
    overdue: int


def reviewer_loads(unit_id: int, today: datetime.date) -> list[ReviewerLoad]:
    """Each reviewer's reviews still owed on the unit's applications, and how many of them are
    past due; the most loaded first."""
    rows = (
        ReviewAssignment.objects.filter(OPEN_REVIEW, application__unit_id=unit_id)
        .values("reviewer_id", "reviewer__full_name", "reviewer__email")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
        .order_by("-open", "reviewer__full_name", "reviewer_id")
    )
    return [ReviewerLoad(r["reviewer__full_name"] or r["reviewer__email"], r["open"], r["overdue"]) for r in rows]


def most_overdue(unit_id: int, today: datetime.date, *, limit: int = 10) -> list[ReviewAssignment]:
    """The unit's overdue reviews, longest overdue first, with their application and reviewer."""
    return list(
        ReviewAssignment.objects.filter(OPEN_REVIEW, application__unit_id=unit_id, due_on__lt=today)
        .select_related("reviewer", "application")
        .only(
            "due_on",
            "reviewer__full_name",
            "reviewer__email",
            "application__reference",
            "application__enterprise_name_en",
            "application__enterprise_name_zh",
        )
        .order_by("due_on", "id")[:limit]
    )

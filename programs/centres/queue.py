"""The centre's queue: which requests are breached or at risk, its search and filters as one GET
form (``programs.queue.ListForm``, as the admission queue), and the clock each row shows.

Everything here reads the clock columns a request keeps (``services.recompute_clocks``): each
clock's level at its last recomputation and, while it runs, the moments it reaches its at-risk
share and its target. A running clock whose moment has passed since is at risk or breached now,
though no recomputation has said so yet, so each question compares those moments with ``now``.
The pages, the dashboard and the API ask them alike (``at_risk``, ``breached``).
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.search import normalise_text

from ..models import ClockLevel, ClockName, ServiceRequest
from ..queue import ListForm, compact_reference
from .display import duration
from .workflow import CENTRE_STATE_LABELS, FINAL_STATES, OPEN_STATES, WAITING_STATES, State

CLOCKS = (ClockName.RESPONSE, ClockName.RESOLUTION)


def breached_q(now: datetime.datetime) -> Q:
    """A clock over its target: recorded so, or running and due at or before ``now``."""
    match = Q()
    for clock in CLOCKS:
        match |= Q(**{f"{clock}_level": ClockLevel.BREACHED}) | Q(**{f"{clock}_due_at__lte": now})
    return match


def at_risk_q(now: datetime.datetime) -> Q:
    """A clock past its at-risk share (recorded so, or running and reaching it at or before
    ``now``), with no clock breached."""
    match = Q()
    for clock in CLOCKS:
        match |= Q(**{f"{clock}_level": ClockLevel.AT_RISK}) | Q(**{f"{clock}_risk_at__lte": now})
    return match & ~breached_q(now)


def breached(requests: QuerySet, now: datetime.datetime) -> QuerySet:
    return requests.filter(breached_q(now))


def at_risk(requests: QuerySet, now: datetime.datetime) -> QuerySet:
    return requests.filter(at_risk_q(now))


#: The sort orders offered, each ending on a unique column so that pages never overlap. "Due"
#: sorts by the moment of the clock a row shows (the first response's until answered, then the
#: resolution's); paused and closed requests come after, the least business time left first.
SORTS = {
    "due": (
        _("Due soonest first"),
        (Coalesce("response_due_at", "resolution_due_at").asc(nulls_last=True), "resolution_left", "id"),
    ),
    "newest": (_("Requested, newest first"), ("-created_at", "-id")),
    "oldest": (_("Requested, oldest first"), ("created_at", "id")),
    "changed": (_("State changed, latest first"), ("-state_changed_at", "-id")),
    "reference": (_("Reference"), ("reference",)),
}
DEFAULT_SORT = "due"

#: The columns a queue row shows: nothing else is read.
ROW_FIELDS = (
    "reference",
    "service_id",
    "state",
    "created_at",
    "first_response_at",
    *ServiceRequest.CLOCK_FIELDS,
    "enterprise",
    "enterprise__legal_name_en",
    "enterprise__legal_name_zh",
    "assignee",
    "assignee__full_name",
    "assignee__email",
)

#: The state filter's value for every state; its empty value (the default) is the open ones.
ANY_STATE = "all"
ME, NOBODY = "me", "nobody"
REFERENCE_PREFIX = "SRV"


class CentreQueueForm(ListForm):
    """The centre's requests: search, service, state (the open ones unless chosen), assignee,
    at risk or breached (both ticked: either), sort and page size."""

    sorts = SORTS
    default_sort = DEFAULT_SORT
    filters = ("q", "service", "state", "assignee", "at_risk", "breached")

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("A reference (SRV-2026-00042), or part of the enterprise's name in English or Chinese."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    service = forms.ChoiceField(label=_("Service"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", pgettext_lazy("service requests", "Open")),
            (ANY_STATE, _("Any state")),
            *CENTRE_STATE_LABELS.items(),
        ],
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    at_risk = forms.BooleanField(label=_("At risk"), required=False)
    breached = forms.BooleanField(label=_("Breached"), required=False)

    def __init__(self, *args, services=(), staff=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {service.slug: service for service in services}
        self.user = user
        self.fields["service"].choices = [("", _("Any")), *((s.slug, s.name) for s in services)]
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            (ME, _("Me")),
            (NOBODY, _("Nobody yet")),
            *((str(member.pk), member.get_short_name()) for member in staff),
        ]

    def apply(self, requests: QuerySet, *, now: datetime.datetime) -> QuerySet:
        """The centre's requests as this form filters and sorts them, with the row columns only."""
        data = self._data()
        state = data.get("state")
        if not state:
            requests = requests.filter(state__in=OPEN_STATES)
        elif state != ANY_STATE:
            requests = requests.filter(state=state)
        if data.get("service"):
            requests = requests.filter(service_id=self.services[data["service"]].pk)
        assignee = data.get("assignee")
        if assignee == ME:
            requests = requests.filter(assignee_id=self.user.pk)
        elif assignee == NOBODY:
            requests = requests.filter(assignee__isnull=True)
        elif assignee:
            requests = requests.filter(assignee_id=int(assignee))
        if data.get("at_risk") and data.get("breached"):
            requests = requests.filter(at_risk_q(now) | breached_q(now))
        elif data.get("at_risk"):
            requests = at_risk(requests, now)
        elif data.get("breached"):
            requests = breached(requests, now)
        if text := data.get("q", "").strip():
            reference = compact_reference(text, REFERENCE_PREFIX)
            requests = requests.filter(
                Q(reference=reference) if reference else Q(enterprise__search_names__contains=normalise_text(text))
            )
        return requests.select_related("enterprise", "assignee").only(*ROW_FIELDS).order_by(*self.order())


# --- The clock a row shows -------------------------------------------------------------------------


@dataclass(frozen=True)
class RowClock:
    """One row's clock as the queue shows it: which clock, its badge (``level``: ok, at_risk,
    breached; or met, stopped once closed), whether it is paused, and a line of text: when it is
    due (``due_iso`` for the ``<time>`` element) or the business time it has left."""

    name: str
    level: str
    level_label: str
    paused: bool
    text: str
    due_iso: str


def clock_labels() -> dict:
    """The badges' and clocks' names in the active language, translated once per page."""
    return {
        ClockLevel.OK: gettext("On time"),
        ClockLevel.AT_RISK: gettext("At risk"),
        ClockLevel.BREACHED: gettext("Breached"),
        "met": gettext("Met"),
        "stopped": gettext("Stopped"),
        ClockName.RESPONSE: gettext("First response"),
        ClockName.RESOLUTION: gettext("Resolution"),
    }


def when(local: datetime.datetime, today: datetime.date) -> str:
    """A local moment as short as still clear: "Thu 14:00" within a week of ``today``, else with
    its date."""
    if abs((local.date() - today).days) < 7:
        return f"{WEEKDAYS_ABBR[local.weekday()]} {local:%H:%M}"
    day = formats.date_format(local, "MONTH_DAY_FORMAT" if local.year == today.year else "DATE_FORMAT")
    return f"{day} {local:%H:%M}"


def business_left(seconds: int) -> str:
    """Business time left (or, negative, past the target) in hours and minutes, as the request's
    page writes it (``display.duration``)."""
    amount = duration(datetime.timedelta(seconds=seconds))
    if seconds >= 0:
        return gettext("%(time)s of business time left") % {"time": amount}
    return gettext("%(time)s past the target") % {"time": amount}


def row_clock(request: ServiceRequest, now: datetime.datetime, labels: dict) -> RowClock:
    """The clock the row shows: the first response's until the request is answered, then the
    resolution's; its level as of ``now`` (a moment passed since the last recomputation counts)."""
    answered = request.first_response_at is not None or request.state in FINAL_STATES
    name = ClockName.RESOLUTION if answered else ClockName.RESPONSE
    level = getattr(request, f"{name}_level")
    due_at, risk_at = getattr(request, f"{name}_due_at"), getattr(request, f"{name}_risk_at")
    if due_at is not None and due_at <= now:
        level = ClockLevel.BREACHED
    elif level == ClockLevel.OK and risk_at is not None and risk_at <= now:
        level = ClockLevel.AT_RISK
    paused, text, due_iso = request.state in WAITING_STATES, "", ""
    if request.state in FINAL_STATES and level != ClockLevel.BREACHED:
        level = "met" if request.state == State.COMPLETED else "stopped"
    elif due_at is not None:
        local = timezone.localtime(due_at)
        due_iso, moment = local.isoformat(), when(local, timezone.localtime(now).date())
        text = (gettext("was due %(when)s") if due_at <= now else gettext("due %(when)s")) % {"when": moment}
    elif paused:
        text = business_left(request.resolution_left)
    return RowClock(
        name=labels[name],
        level=str(level),
        level_label=labels[level],
        paused=paused,
        text=text,
        due_iso=due_iso,
    )

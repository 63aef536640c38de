"""How a service's terms read on a page: its fee, its SLA in words and its working hours, the
same wherever the catalogue shows them."""

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from enterprises.choices import DocumentType
from enterprises.templatetags.enterprise_format import money
from hkhz_portal.core.calendars import Calendar

from ..answers import list_separator
from ..models import Service, SLAPolicy, Weekday


def fee(service: Service) -> str:
    """``HKD 8,000.00``, or "Free" when the service has no fee."""
    return money(service.fee) if service.fee is not None else _("Free")


def business_hours(hours: Decimal) -> str:
    """``4 business hours``, ``1 business hour``, ``1.5 business hours``."""
    shown = format(Decimal(hours).normalize(), "f")
    return ngettext("%(hours)s business hour", "%(hours)s business hours", 1 if hours == 1 else 2) % {"hours": shown}


def sla_in_words(policy: SLAPolicy) -> str:
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


def working_hours(policy: SLAPolicy) -> list[HoursRow]:
    """The policy's week, consecutive weekdays with the same hours on one row ("Monday to
    Friday"), each with its open periods and the breaks between them (the lunch break). Reads
    ``policy.periods.all()``: prefetch them."""
    by_day: dict[int, list] = {}
    for period in policy.periods.all():
        by_day.setdefault(period.weekday, []).append((period.starts, period.ends))
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


def closed_days_note(policy: SLAPolicy) -> str:
    if policy.calendar == Calendar.CN:
        return _(
            "Closed on other days and on mainland public holidays; a make-up working weekend day keeps Monday's hours."
        )
    return _("Closed on other days and on Hong Kong public holidays.")

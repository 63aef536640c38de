"""The regulators' rules that need no database: which steps are equivalent across regulators,
the statutory clocks, and how far one track leads the other.

Everything here works on milestones already loaded (anything with ``jurisdiction``, ``pathway``,
``status``, ``planned_on``, ``actual_on``, ``priority_review`` and ``pk``), so the pages and the
API that show it cost no query more than loading them.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hkhz_portal.core.calendars import Calendar, working_days_after

from .choices import Jurisdiction, MilestoneStatus, Pathway


class Step(models.TextChoices):
    """The steps every regulator has under its own name: the rows of the side-by-side view."""

    TRIAL = "trial", _("Clinical-trial authorisation")
    DRUG = "drug", _("Marketing authorisation: drug or biologic")
    DEVICE = "device", _("Marketing authorisation: device")
    OTHER = "other", _("Other")


#: The equivalence, declared once: which (regulator, pathway) is which step. FDA and NMPA are the
#: dual track; EMA, Hong Kong and other regulators name their trial and drug filings the same way.
#: A pair not listed is ``Step.OTHER``.
STEPS = {
    (Jurisdiction.FDA, Pathway.IND): Step.TRIAL,
    (Jurisdiction.NMPA, Pathway.IND): Step.TRIAL,
    (Jurisdiction.FDA, Pathway.NDA): Step.DRUG,
    (Jurisdiction.FDA, Pathway.BLA): Step.DRUG,
    (Jurisdiction.NMPA, Pathway.NDA): Step.DRUG,
    (Jurisdiction.NMPA, Pathway.BLA): Step.DRUG,
    (Jurisdiction.FDA, Pathway.K510): Step.DEVICE,
    (Jurisdiction.FDA, Pathway.DE_NOVO): Step.DEVICE,
    (Jurisdiction.FDA, Pathway.PMA): Step.DEVICE,
    (Jurisdiction.NMPA, Pathway.NMPA_CLASS_I): Step.DEVICE,
    (Jurisdiction.NMPA, Pathway.NMPA_CLASS_II): Step.DEVICE,
    (Jurisdiction.NMPA, Pathway.NMPA_CLASS_III): Step.DEVICE,
    **{
        (jurisdiction, pathway): step
        for jurisdiction in (Jurisdiction.EMA, Jurisdiction.HK_DOH, Jurisdiction.OTHER)
        for pathway, step in ((Pathway.IND, Step.TRIAL), (Pathway.NDA, Step.DRUG), (Pathway.BLA, Step.DRUG))
    },
}

#: The two tracks compared; other regulators get a column only where the product has milestones.
DUAL_TRACK = (Jurisdiction.NMPA, Jurisdiction.FDA)
SHORT_NAMES = {
    Jurisdiction.NMPA: _("NMPA"),
    Jurisdiction.FDA: _("FDA"),
    Jurisdiction.EMA: _("EMA"),
    Jurisdiction.HK_DOH: _("HK DoH"),
    Jurisdiction.OTHER: _("Other"),
}

STATUS_ORDER = {status: i for i, status in enumerate(MilestoneStatus.values)}
#: Filing: the regulator received it (accepted, where the filing itself went unrecorded).
FILED = (MilestoneStatus.SUBMITTED, MilestoneStatus.ACCEPTED)


def step_of(milestone) -> Step:
    return STEPS.get((milestone.jurisdiction, milestone.pathway), Step.OTHER)


def _happened(milestone) -> bool:
    return milestone.status != MilestoneStatus.PLANNED


def _date(milestone) -> datetime.date | None:
    return milestone.actual_on if _happened(milestone) else milestone.planned_on


def chronological(milestones) -> list:
    """Oldest first, by the day each happened (or is planned); on one day, in status order."""
    return sorted(milestones, key=lambda m: (_date(m) or datetime.date.max, STATUS_ORDER[m.status], m.pk or 0))


def current(milestones):
    """Where a track stands: the latest of what has happened (by date, then status order: an
    approval outranks the acceptance recorded the same day); if nothing has, the next plan."""
    happened = [m for m in milestones if _happened(m)]
    if happened:
        return max(happened, key=lambda m: (m.actual_on or datetime.date.min, STATUS_ORDER[m.status], m.pk or 0))
    return chronological(milestones)[0] if milestones else None


def filed_on(milestones) -> datetime.date | None:
    """The day the first of these filings reached the regulator, if it has."""
    for status in FILED:
        days = [m.actual_on for m in milestones if m.status == status and m.actual_on]
        if days:
            return min(days)
    return None


# --- Clocks ---------------------------------------------------------------------------------

DAYS, WORKING_DAYS, MONTHS = "days", "working_days", "months"


def _length(n: int, unit: str) -> str:
    if unit == WORKING_DAYS:
        return ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n}
    if unit == MONTHS:
        return ngettext("%(n)d month", "%(n)d months", n) % {"n": n}
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


@dataclass(frozen=True)
class ClockRule:
    length: int
    unit: str
    #: What the regulator owes when the time is up.
    outcome: str
    #: The shorter length that applies under priority review, where the regulator has one.
    priority_length: int | None = None
    #: Statuses whose date starts the clock, by preference (NMPA counts from acceptance).
    starts: tuple = FILED
    #: The outcome follows by itself when the time is up (an IND's silence is consent), so a past
    #: day is reached, not overdue.
    by_default: bool = False


#: The regulators' clocks of fixed length, by (regulator, pathway). NMPA working days follow the
#: mainland's calendar: public holidays are not counted, make-up working weekends are.
CLOCKS = {
    (Jurisdiction.FDA, Pathway.IND): ClockRule(
        30, DAYS, _("The trial may proceed unless on clinical hold"), by_default=True
    ),
    (Jurisdiction.NMPA, Pathway.IND): ClockRule(
        60,
        WORKING_DAYS,
        _("Implied approval unless the CDE objects"),
        starts=(MilestoneStatus.ACCEPTED, MilestoneStatus.SUBMITTED),
        by_default=True,
    ),
    **{
        (Jurisdiction.FDA, pathway): ClockRule(10, MONTHS, _("PDUFA goal date"), priority_length=6)
        for pathway in (Pathway.NDA, Pathway.BLA)
    },
    **{
        (Jurisdiction.NMPA, pathway): ClockRule(
            200,
            WORKING_DAYS,
            _("Review time limit"),
            priority_length=130,
            starts=(MilestoneStatus.ACCEPTED, MilestoneStatus.SUBMITTED),
        )
        for pathway in (Pathway.NDA, Pathway.BLA)
    },
    # FDA days stop while the FDA waits for the applicant's answers, so the day can move later.
    (Jurisdiction.FDA, Pathway.K510): ClockRule(90, DAYS, _("510(k) decision goal (FDA days)")),
    (Jurisdiction.FDA, Pathway.DE_NOVO): ClockRule(150, DAYS, _("De Novo decision goal (FDA days)")),
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month ``months`` later, or the month's last day if it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Clock:
    rule: ClockRule
    started_on: datetime.date
    due_on: datetime.date
    priority: bool
    days_left: int

    @property
    def length(self) -> str:
        n = self.rule.priority_length if self.priority else self.rule.length
        return _length(n, self.rule.unit)

    @property
    def overdue(self) -> bool:
        return self.days_left < 0 and not self.rule.by_default

    @property
    def remaining(self) -> str:
        if self.days_left > 0:
            return ngettext("%(n)d day left", "%(n)d days left", self.days_left) % {"n": self.days_left}
        if self.days_left < 0:
            n = -self.days_left
            if self.rule.by_default:
                return ngettext("reached %(n)d day ago", "reached %(n)d days ago", n) % {"n": n}
            return ngettext("%(n)d day overdue", "%(n)d days overdue", n) % {"n": n}
        return str(_("due today"))


def clock(milestones, *, today: datetime.date) -> Clock | None:
    """The statutory clock running on one regulator's filing, if any: the track's current milestone
    is filed and undecided, and its pathway has a clock of fixed length."""
    now = current(milestones)
    if now is None or now.status not in FILED:
        return None
    rule = CLOCKS.get((now.jurisdiction, now.pathway))
    if rule is None:
        return None
    same_filing = [m for m in milestones if m.pathway == now.pathway]
    started = next(
        (
            min(m.actual_on for m in same_filing if m.status == status and m.actual_on)
            for status in rule.starts
            if any(m.status == status and m.actual_on for m in same_filing)
        ),
        None,
    )
    if started is None:
        return None
    priority = rule.priority_length is not None and any(m.priority_review for m in same_filing)
    length = rule.priority_length if priority else rule.length
    if rule.unit == WORKING_DAYS:
        due = working_days_after(started, length, Calendar.CN)
    elif rule.unit == MONTHS:
        due = add_months(started, length)
    else:
        due = started + datetime.timedelta(days=length)
    return Clock(rule=rule, started_on=started, due_on=due, priority=priority, days_left=(due - today).days)


# --- Lead and lag ---------------------------------------------------------------------------


def _span_days(days: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def _span(days: int) -> str:
    """A gap a reader takes in at a glance: days under two months, whole months under two years,
    then years and months."""
    if days < 60:
        return _span_days(days)
    months = round(days / (365.25 / 12))
    if months < 24:
        return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    years, months = divmod(months, 12)
    text = ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    if months:
        text += " " + ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    return text


@dataclass(frozen=True)
class LeadLag:
    #: How many days the first track filed before the second (negative: after); None when one has not.
    days: int | None
    text: str

    @property
    def exact(self) -> str:
        """The gap in days, where the text rounded it to months."""
        if self.days is None or abs(self.days) < 60:
            return ""
        return _span_days(abs(self.days))


def lead_lag(first: tuple, second: tuple) -> LeadLag | None:
    """How far one track's filing of a step leads the other's. Each side is (name, filing date or
    None); nothing to say when neither has filed."""
    (first_name, first_on), (second_name, second_on) = first, second
    if first_on and second_on:
        days = (second_on - first_on).days
        if days == 0:
            text = _("%(first)s and %(second)s filed on the same day")
        else:
            text = _("%(leader)s filed %(span)s before %(follower)s")
        leader, follower = (first_name, second_name) if days > 0 else (second_name, first_name)
        values = {"first": first_name, "second": second_name, "leader": leader, "follower": follower}
        return LeadLag(days, str(text) % {**values, "span": _span(abs(days))})
    if first_on or second_on:
        name, other = (first_name, second_name) if first_on else (second_name, first_name)
        return LeadLag(None, str(_("Only %(name)s has filed; %(other)s not yet")) % {"name": name, "other": other})
    return None


# --- The side-by-side view --------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One regulator's side of one step."""

    jurisdiction: str
    label: str
    #: Every milestone of the step at this regulator, oldest first: the history.
    history: list
    current: object  # a Milestone, or None when nothing is recorded
    clock: Clock | None


@dataclass(frozen=True)
class StepRow:
    step: str
    label: str
    cells: list
    lead_lag: LeadLag | None


@dataclass(frozen=True)
class Comparison:
    columns: list  # the jurisdictions, in column order
    header: list  # their labels
    rows: list


def columns_for(milestones) -> list:
    used = {m.jurisdiction for m in milestones}
    return [*DUAL_TRACK, *(j for j in Jurisdiction.values if j in used and j not in DUAL_TRACK)]


def compare(milestones, *, today: datetime.date) -> Comparison:
    """A row per equivalent step, a column per regulator (NMPA and FDA, then any other the product
    has milestones at): in each cell where that regulator stands, its history and running clock;
    for each step, how far the NMPA and FDA filings lie apart."""
    milestones = list(milestones)
    columns = columns_for(milestones)
    rows = []
    for step in Step:
        in_step = [m for m in milestones if step_of(m) == step]
        if not in_step:
            continue
        cells = []
        for jurisdiction in columns:
            history = chronological([m for m in in_step if m.jurisdiction == jurisdiction])
            cells.append(
                Cell(
                    jurisdiction=jurisdiction,
                    label=Jurisdiction(jurisdiction).label,
                    history=history,
                    current=current(history),
                    clock=clock(history, today=today),
                )
            )
        nmpa, fda = ([m for m in in_step if m.jurisdiction == j] for j in DUAL_TRACK)
        gap = lead_lag(
            (SHORT_NAMES[Jurisdiction.NMPA], filed_on(nmpa)),
            (SHORT_NAMES[Jurisdiction.FDA], filed_on(fda)),
        )
        rows.append(StepRow(step=step.value, label=step.label, cells=cells, lead_lag=gap))
    return Comparison(columns=columns, header=[Jurisdiction(j).label for j in columns], rows=rows)


@dataclass(frozen=True)
class TrackSummary:
    jurisdiction: str
    label: str
    milestone: object  # a Milestone, or None when nothing is recorded on this track


def track_summary(milestones, jurisdictions=DUAL_TRACK) -> list[TrackSummary]:
    """Where a product stands on each track, for lists of products."""
    milestones = list(milestones)
    return [
        TrackSummary(j, Jurisdiction(j).label, current([m for m in milestones if m.jurisdiction == j]))
        for j in jurisdictions
    ]

"""The admission's statistics tables (``hkhz_portal.core.stats``): applications by call, status,
sector and month of submission, and admissions by year. Each is one GROUP BY query.

An application counts once it was submitted: a draft is not yet an application anyone sent.
Months and years are Hong Kong's (the portal's time zone).
"""

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.choices import Sector
from hkhz_portal.core import stats

from .models import Application, Call
from .workflow import Status


def _submitted() -> QuerySet[Application]:
    return Application.objects.filter(submitted_at__isnull=False).order_by()


def applications_by_call() -> list[tuple[str, str, int]]:
    counts = dict(_submitted().values_list("call_id").annotate(n=Count("id")))
    calls = Call.objects.filter(pk__in=counts).order_by("-opens_at", "slug")
    return [(call.slug, call.title, counts[call.pk]) for call in calls]


def applications_by_status() -> list[tuple[str, str, int]]:
    counts = dict(_submitted().values_list("status").annotate(n=Count("id")))
    return [(status.value, status.label, counts[status]) for status in Status if status in counts]


def applications_by_sector() -> list[tuple[str, str, int]]:
    """By the sector the enterprise had when it submitted (copied on the application)."""
    counts = dict(_submitted().values_list("sector").annotate(n=Count("id")))
    return [(sector.value, sector.label, counts[sector]) for sector in Sector if sector in counts]


def applications_by_month() -> list[tuple[str, str, int]]:
    month = TruncMonth("submitted_at", tzinfo=timezone.get_default_timezone())
    rows = _submitted().annotate(month=month).values_list("month").annotate(n=Count("id")).order_by("month")
    return [(f"{m:%Y-%m}", f"{m:%Y-%m}", n) for m, n in rows]


def admissions_by_year() -> list[tuple[str, str, int]]:
    """Admitted is a final state, so the application's last change of status is its admission."""
    year = ExtractYear("status_changed_at", tzinfo=timezone.get_default_timezone())
    admitted = Application.objects.filter(status=Status.ADMITTED).order_by()
    rows = admitted.annotate(year=year).values_list("year").annotate(n=Count("id")).order_by("year")
    return [(str(y), str(y), n) for y, n in rows]


def register() -> None:
    """Called from ``ProgramsConfig.ready()``. Each example shows what suppression does: a small
    cell withheld, and the next smallest with it, so the total does not give it away."""
    stats.register_table(
        "applications",
        "call",
        title=_("Applications by call"),
        rows=applications_by_call,
        example=[
            ("hksp-2026-spring", "Biomedical incubation, spring 2026", 42),
            ("tech-2026-spring", "Technology incubation, spring 2026", 17),
            ("established-2025-autumn", "Established firms, autumn 2025", 3),
        ],
    )
    stats.register_table(
        "applications",
        "status",
        title=_("Applications by status"),
        rows=applications_by_status,
        example=[
            (status.value, status.label, count)
            for status, count in (
                (Status.IN_REVIEW, 12),
                (Status.APPROVED, 6),
                (Status.ADMITTED, 4),
                (Status.REJECTED, 9),
            )
        ],
        disclosed={Status.ADMITTED},  # the total of admissions by year
    )
    stats.register_table(
        "applications",
        "sector",
        title=_("Applications by sector"),
        rows=applications_by_sector,
        example=[
            (sector.value, sector.label, count)
            for sector, count in ((Sector.BIOPHARMA, 31), (Sector.MEDICAL_DEVICES, 14), (Sector.AI_DATA, 2))
        ],
    )
    stats.register_table(
        "applications",
        "month",
        title=_("Applications by month of submission"),
        rows=applications_by_month,
        example=[("2026-03", "2026-03", 18), ("2026-04", "2026-04", 27), ("2026-05", "2026-05", 9)],
    )
    stats.register_table(
        "admissions",
        "year",
        title=_("Admissions to the Park by year"),
        rows=admissions_by_year,
        example=[("2025", "2025", 7), ("2026", "2026", 3)],
    )

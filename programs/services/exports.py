"""Exports of a call's applications with their scores, as CSV or an Excel workbook.

An officer of the call's unit asks for one (``request_export``); a worker builds the file
(``build_export``, the task ``programs.build_export`` on the ``exports`` queue), writing its
progress on the export's row for the exports page to show; an officer of the unit downloads it
(``record_download``). The file holds personal data, so the request and each download are
written in the export log.

A build is safe to run twice: a finished or failed export is left alone, and one being built
is left to its worker while that worker shows life (``Export.heartbeat_at``). A worker silent
for ``SCREENING_STALE_AFTER`` is taken for dead: the beat's sweep (``requeue_stale_exports``)
sends the export again and it is built from scratch.
"""

import csv
import datetime
import io
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from enterprises.choices import BOTH_RESIDENCIES, ExportKind, HangzhouDistrict, Sector
from enterprises.services.consent import log_export
from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.queueing import enqueue_after_commit

from .. import selectors
from ..audit_actions import AuditAction
from ..choices import ExportFormat, ExportStatus
from ..models import Application, Call, Decision, Export
from ..workflow import TRANSITIONS, Status
from .applications import require_officer_of

logger = logging.getLogger(__name__)

#: The worker writes its progress on the export's row once every this many rows.
PROGRESS_EVERY = 250
#: What a decision made of the application, in the words of the state it led to.
#: A text cell starting with one of these is a formula to a spreadsheet opening a CSV file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def submitted_applications(call: Call):
    """The applications of an export: the call's that were ever submitted (drafts never were)."""
    return Application.objects.filter(call=call, submitted_at__isnull=False)


def _residency(call: Call, *, until=None) -> str | None:
    """Where the records of the call's submitted applications (those submitted by ``until``)
    reside: the one residency they share, both, or None when there are none."""
    applications = submitted_applications(call)
    if until is not None:
        applications = applications.filter(submitted_at__lte=until)
    found = set(applications.order_by().values_list("enterprise__data_residency", flat=True).distinct())
    if len(found) > 1:
        return BOTH_RESIDENCIES
    return next(iter(found), None)


@transaction.atomic(durable=True)
def request_export(*, actor, call: Call, format: str) -> Export:
    """Ask a worker to build a file of ``call``'s submitted applications with their scores,
    ranking and decision. Only an officer of the call's unit may; a call with no submitted
    application has nothing to export."""
    unit_id = call.programme.unit_id
    require_officer_of(actor, unit_id, _("Only an officer of the call's unit can export its applications."))
    if format not in ExportFormat.values:
        raise DomainError(_("Choose CSV or an Excel workbook."), code="invalid_format", field="format")
    residency = _residency(call)
    if residency is None:
        raise DomainError(
            _("No application to this call has been submitted yet: there is nothing to export."),
            code="nothing_to_export",
        )
    export = Export.objects.create(call=call, unit_id=unit_id, requested_by=actor, format=format)
    log_export(
        kind=ExportKind.CALL_EXPORT,
        actor=actor,
        enterprise=None,
        data_residency=residency,
        description=f"Export {export.pk} of call {call.slug} requested as {format.upper()}",
    )
    audit.record(
        AuditAction.EXPORT_REQUESTED, actor=actor, target=call, changes={"export": export.pk, "format": format}
    )
    from ..tasks import build_export as task

    enqueue_after_commit(task, export.pk)
    return export


@transaction.atomic(durable=True)
def record_download(*, actor, export: Export) -> None:
    """Write the download of a finished export in the export log: the file leaves the portal."""
    require_officer_of(actor, export.unit_id, _("Only an officer of the call's unit can download its exports."))
    log_export(
        kind=ExportKind.CALL_EXPORT,
        actor=actor,
        enterprise=None,
        # Those the file holds: submitted before it was finished (never none: a call without any is not exported).
        data_residency=_residency(export.call, until=export.finished_at) or BOTH_RESIDENCIES,
        description=(
            f"Export {export.pk} of call {export.call.slug} downloaded: "
            f"{export.rows} applications as {export.format.upper()}"
        ),
    )


# --- The worker's build ----------------------------------------------------------------------


def _stale_before():
    return timezone.now() - datetime.timedelta(seconds=settings.SCREENING_STALE_AFTER)


@transaction.atomic(durable=True)
def _claim(export_id: int) -> Export | None:
    """Take the export to build: one waiting, or one whose worker went silent (dead). None when it
    is finished, failed, gone, or being built by a worker that shows life."""
    export = (
        Export.objects.select_for_update(of=("self",))
        .select_related("call", "requested_by")
        .filter(pk=export_id)
        .first()
    )
    if export is None or export.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return None
    if export.status == ExportStatus.RUNNING and export.heartbeat_at >= _stale_before():
        return None
    export.status, export.progress, export.rows, export.heartbeat_at = ExportStatus.RUNNING, 0, 0, timezone.now()
    export.save(update_fields=["status", "progress", "rows", "heartbeat_at"])
    return export


def build_export(export_id: int) -> Export | None:
    """The worker's step: build the export's file, in the language of the officer who asked,
    save it to the default storage under ``exports/`` and mark the export done; on any error
    mark it failed (and raise, for the worker's log). Returns the export, or None when there
    was nothing to do (see ``_claim``)."""
    export = _claim(export_id)
    if export is None:
        return None
    running = Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING)
    try:
        language = export.requested_by.preferred_language if export.requested_by else settings.LANGUAGE_CODE
        with translation.override(language), tempfile.TemporaryFile() as out:
            headings, rows = export_rows(export.call)

            def tick(done: int) -> None:
                if done % PROGRESS_EVERY == 0:
                    running.update(progress=min(99, done * 100 // len(rows)), heartbeat_at=timezone.now())

            WRITERS[export.format](out, headings, rows, tick)
            out.seek(0)
            export.file.save(f"{export.call.slug}-{export.pk}.{export.format}", File(out), save=False)
    except Exception:
        logger.exception("Export %s failed", export.pk)
        running.update(status=ExportStatus.FAILED, finished_at=timezone.now())
        raise
    now = timezone.now()
    finished = running.update(
        status=ExportStatus.DONE, progress=100, rows=len(rows), file=export.file.name, finished_at=now, heartbeat_at=now
    )
    if not finished:
        # Sent again meanwhile and built by another worker: that build stands, this file goes.
        export.file.delete(save=False)
    export.refresh_from_db()
    return export


def _latest_decisions(call: Call) -> dict[int, tuple[str, int | None]]:
    """``{application id: (outcome, waiting-list place)}`` of each decided application's latest decision."""
    latest = {}
    decisions = Decision.objects.filter(application__call=call).order_by("application_id", "-decided_at", "-id")
    for application_id, outcome, place in decisions.values_list("application_id", "outcome", "waitlist_position"):
        latest.setdefault(application_id, (outcome, place))
    return latest


def export_rows(call: Call) -> tuple[list[str], list[tuple]]:
    """The headings and rows of an export of ``call``, in the active language: the submitted
    applications, ranked ones first (best first), then those without a review by reference.
    A fixed number of queries, whatever the number of applications."""
    ranked = {row.application_id: row for row in selectors.call_ranking(call, applications=False).rows}
    decisions = _latest_decisions(call)
    statuses, sectors, districts = (dict(choices.choices) for choices in (Status, Sector, HangzhouDistrict))
    columns = ("pk", "reference", "enterprise_name_en", "enterprise_name_zh", "uscc", "hk_br", "sector", "district")
    applications = submitted_applications(call).order_by("reference").values_list(*columns, "status", "submitted_at")
    rows = []
    for pk, reference, name_en, name_zh, uscc, hk_br, sector, district, status, submitted_at in applications:
        score = ranked.get(pk)
        outcome, place = decisions.get(pk, ("", None))
        rows.append(
            (
                (score.rank if score else float("inf"), reference),
                (
                    reference,
                    name_en,
                    name_zh,
                    uscc,
                    hk_br,
                    str(sectors.get(sector, sector)),
                    str(districts.get(district, district)),
                    str(statuses.get(status, status)),
                    timezone.localtime(submitted_at).date(),
                    score.reviews if score else 0,
                    round(score.raw, 3) if score else None,
                    round(score.normalised, 3) if score else None,
                    score.rank if score else None,
                    str(TRANSITIONS[outcome].target.label) if outcome else "",
                    place,
                ),
            )
        )
    rows.sort(key=lambda row: row[0])
    return [str(heading) for heading, _width in COLUMNS], [values for _key, values in rows]


#: The columns of an export: heading, and width in an Excel workbook (in characters).
COLUMNS = (
    (_("Reference"), 18),
    (_("Enterprise"), 40),
    (_("Enterprise (Chinese)"), 30),
    (_("USCC"), 20),
    (_("BR number"), 11),
    (_("Sector"), 24),
    (_("District"), 18),
    (_("Status"), 26),
    (_("Submitted on"), 13),
    (_("Reviews"), 9),
    (_("Raw score"), 11),
    (_("Normalised score"), 13),
    (_("Rank"), 7),
    (_("Decision"), 14),
    (_("Waiting-list place"), 11),
)


def _csv_text(value):
    """A value as a CSV cell: text that a spreadsheet would run as a formula is quoted with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(out, headings: list[str], rows: list[tuple], tick) -> None:
    """CSV in UTF-8 with a byte-order mark, so that Excel reads the Chinese names right."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(headings)
    for done, row in enumerate(rows, start=1):
        writer.writerow([_csv_text(value) for value in row])
        tick(done)
    text.flush()
    text.detach()


def write_xlsx(out, headings: list[str], rows: list[tuple], tick) -> None:
    """An Excel workbook written as it goes (openpyxl's write-only mode): a bold header row frozen
    above the rows, columns wide enough for their contents, dates as dates."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Applications"))[:31])
    for index, (_heading, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, heading, font=bold) for heading in headings])
    for done, row in enumerate(rows, start=1):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        tick(done)
    book.save(out)


def _xlsx_cell(sheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    if isinstance(value, str):
        # Text stays text: openpyxl would store "=..." as a formula.
        cell.data_type = "s"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


WRITERS = {ExportFormat.CSV: write_csv, ExportFormat.XLSX: write_xlsx}


# --- The beat's sweep ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def requeue_stale_exports(*, limit: int = 100) -> list[int]:
    """Send again each export waiting or being built whose worker has been silent for
    ``SCREENING_STALE_AFTER`` seconds: the broker was down when it was asked for, or its worker
    died. It goes back to waiting, so it is built from scratch. Called by the beat with the
    screening sweep; returns the ids sent."""
    stale = (
        Export.objects.filter(status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING), heartbeat_at__lt=_stale_before())
        .order_by("heartbeat_at")
        .select_for_update(skip_locked=True)
    )
    ids = list(stale.values_list("pk", flat=True)[:limit])
    Export.objects.filter(pk__in=ids).update(
        status=ExportStatus.QUEUED, progress=0, rows=0, heartbeat_at=timezone.now()
    )
    from ..tasks import build_export as task

    for export_id in ids:
        enqueue_after_commit(task, export_id)
    return ids

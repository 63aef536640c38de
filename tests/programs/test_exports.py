"""Exports of a call's applications: asked for by an officer of the call's unit, built by a worker
(called directly here; tests/integration runs a real one), downloaded by the unit's officers
only, every request and download in the export log."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import ExportLog
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import AuditEvent
from programs.models import Export
from programs.services import exports
from tests.factories import EnterpriseFactory, UnitFactory, member_of, user_with_role

from .factories import (
    CRITERIA,
    CallFactory,
    ProgrammeFactory,
    applicant_of_new_enterprise,
    complete_draft,
    in_review,
    officer_of,
    panel_of,
    reviewed,
    rubric_for,
)

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


def scored(call, score, **enterprise_fields):
    """A reviewed application of a new enterprise, every criterion scored ``score`` by each reviewer."""
    enterprise = EnterpriseFactory(founded_on=timezone.localdate() - datetime.timedelta(days=300), **enterprise_fields)
    return reviewed(call, {key: score for key, _weight in CRITERIA}, applicant=member_of(enterprise, role="owner"))


@pytest.fixture
def call(call):
    """The rolling call, with a rubric and a panel of three."""
    rubric_for(call)
    panel_of(call, 3)
    return call


@pytest.fixture
def applications(call):
    """Two reviewed applications (the better one first), one still in review and a draft."""
    best = scored(call, 5, legal_name_zh="杭州一流生物医药有限公司")
    second = scored(call, 3)
    waiting = in_review(call)
    draft = complete_draft(call, applicant_of_new_enterprise())
    return {"best": best, "second": second, "waiting": waiting, "draft": draft}


@pytest.fixture
def officer(call):
    return officer_of(call, full_name="Officer Chan", preferred_language="en")


def built(officer, call, format):
    export = exports.request_export(actor=officer, call=call, format=format)
    exports.build_export(export.pk)
    export.refresh_from_db()
    return export


def sheet_rows(export) -> list[tuple]:
    with export.file.open("rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    return list(book.active.iter_rows(values_only=True))


def csv_bytes(export) -> bytes:
    with export.file.open("rb") as handle:
        return handle.read()


# --- Building ----------------------------------------------------------------------------------


def test_the_xlsx_holds_the_calls_submitted_applications_ranked_and_nothing_else(call, applications, officer):
    other_call = CallFactory(programme=call.programme)
    rubric_for(other_call)
    panel_of(other_call, 3)
    elsewhere = reviewed(other_call)

    export = built(officer, call, "xlsx")

    assert (export.status, export.progress, export.rows) == ("done", 100, 3)
    assert export.finished_at is not None
    assert export.file.name.startswith(f"exports/{call.programme.unit_id}/")
    header, *rows = sheet_rows(export)
    assert header[:3] == ("Reference", "Enterprise", "Enterprise (Chinese)")
    references = [row[0] for row in rows]
    best, second, waiting = applications["best"], applications["second"], applications["waiting"]
    assert references == [best.reference, second.reference, waiting.reference]
    assert applications["draft"].reference not in references and elsewhere.reference not in references
    by_column = dict(zip(header, rows[0], strict=True))
    assert by_column["Enterprise (Chinese)"] == "杭州一流生物医药有限公司"
    assert by_column["USCC"] == best.uscc
    assert by_column["Status"] == "Reviewed"
    assert by_column["Submitted on"].date() == timezone.localtime(best.submitted_at).date()
    assert (by_column["Reviews"], by_column["Raw score"], by_column["Normalised score"], by_column["Rank"]) == (
        3,
        5,
        5,
        1,
    )
    unscored = dict(zip(header, rows[2], strict=True))
    assert (unscored["Status"], unscored["Reviews"], unscored["Raw score"], unscored["Rank"]) == (
        "In review",
        0,
        None,
        None,
    )


def test_the_xlsx_has_a_bold_frozen_header_and_wide_columns(call, applications, officer):
    export = built(officer, call, "xlsx")
    with export.file.open("rb") as handle:
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read())).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["B"].width >= 30


def test_the_decision_is_in_the_export(call, applications, officer):
    from programs.services.decisions import decide

    decide(actor=officer, application=applications["second"], outcome="waitlist")
    export = built(officer, call, "xlsx")
    header, *rows = sheet_rows(export)
    second = dict(zip(header, rows[1], strict=True))
    assert (second["Decision"], second["Waiting-list place"]) == ("Waitlisted", 1)


def test_the_csv_has_a_byte_order_mark_for_excel_and_parses_with_the_chinese_names(call, applications, officer):
    export = built(officer, call, "csv")
    raw = csv_bytes(export)
    assert raw.startswith(BOM)
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert rows[0][header.index("Enterprise (Chinese)")] == "杭州一流生物医药有限公司"
    assert rows[0][header.index("Rank")] == "1"


def test_text_that_a_spreadsheet_would_run_as_a_formula_stays_text(call, officer):
    scored(call, 4, legal_name_en='=HYPERLINK("http://evil.example","Click")')
    header, row = list(csv.reader(io.StringIO(csv_bytes(built(officer, call, "csv")).decode("utf-8-sig"))))
    assert row[header.index("Enterprise")] == '\'=HYPERLINK("http://evil.example","Click")'
    export = built(officer, call, "xlsx")
    with export.file.open("rb") as handle:
        cell = openpyxl.load_workbook(io.BytesIO(handle.read())).active["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil.example","Click")', "s")


def test_the_export_is_in_the_language_of_the_officer_who_asked(call, applications):
    officer = officer_of(call, preferred_language="zh-hant")
    header, *rows = sheet_rows(built(officer, call, "xlsx"))
    assert header[0] != "Reference"
    assert "Reviewed" not in {row[7] for row in rows}


def test_progress_is_written_every_few_rows_and_reaches_100(call, applications, officer, monkeypatch):
    export = exports.request_export(actor=officer, call=call, format="csv")
    seen = []
    write = exports.WRITERS["csv"]

    def watched(out, headings, rows, tick):
        def watching(done):
            tick(done)
            seen.append(Export.objects.get(pk=export.pk).progress)

        write(out, headings, rows, watching)

    monkeypatch.setitem(exports.WRITERS, "csv", watched)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    exports.build_export(export.pk)
    assert seen == [0, 66, 66]
    export.refresh_from_db()
    assert export.progress == 100


def test_a_second_run_of_a_done_export_does_nothing(call, applications, officer):
    export = built(officer, call, "xlsx")
    before = (export.file.name, export.finished_at, ExportLog.objects.count())
    assert exports.build_export(export.pk) is None
    export.refresh_from_db()
    assert (export.file.name, export.finished_at, ExportLog.objects.count()) == before


def test_an_export_whose_worker_died_is_built_again_from_scratch(call, applications, officer, settings):
    export = exports.request_export(actor=officer, call=call, format="xlsx")
    silent_since = timezone.now() - datetime.timedelta(seconds=settings.SCREENING_STALE_AFTER + 1)
    Export.objects.filter(pk=export.pk).update(status="running", progress=40, heartbeat_at=silent_since)
    exports.build_export(export.pk)
    export.refresh_from_db()
    assert (export.status, export.progress, export.rows) == ("done", 100, 3)


def test_an_export_being_built_by_a_live_worker_is_left_to_it(call, applications, officer):
    export = exports.request_export(actor=officer, call=call, format="xlsx")
    Export.objects.filter(pk=export.pk).update(status="running", progress=40, heartbeat_at=timezone.now())
    assert exports.build_export(export.pk) is None
    export.refresh_from_db()
    assert (export.status, export.progress, export.file.name) == ("running", 40, "")


def test_a_failed_build_is_marked_failed(call, applications, officer, monkeypatch):
    export = exports.request_export(actor=officer, call=call, format="xlsx")

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setitem(exports.WRITERS, "xlsx", broken)
    with pytest.raises(OSError, match="disk full"):
        exports.build_export(export.pk)
    export.refresh_from_db()
    assert export.status == "failed" and export.finished_at is not None and not export.file
    assert exports.build_export(export.pk) is None


def test_the_sweep_sends_again_exports_whose_worker_is_silent(
    call, applications, officer, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from programs import tasks

    sent = []
    monkeypatch.setattr(tasks.build_export, "delay", sent.append)
    silent, waiting, done = (exports.request_export(actor=officer, call=call, format="csv") for _ in range(3))
    exports.build_export(done.pk)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.SCREENING_STALE_AFTER + 1)
    Export.objects.filter(pk__in=[silent.pk, done.pk]).update(heartbeat_at=long_ago)
    Export.objects.filter(pk=silent.pk).update(status="running", progress=60)
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.requeue_stale_exports() == [silent.pk]
    assert sent == [silent.pk]
    silent.refresh_from_db()
    assert (silent.status, silent.progress) == ("queued", 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.requeue_stale_exports() == []
    assert waiting.pk not in sent


# --- Who may ask, and the log ---------------------------------------------------------------------


def test_asking_writes_the_export_log_and_the_audit_trail_and_sends_the_build(
    call, applications, officer, django_capture_on_commit_callbacks, monkeypatch
):
    from programs import tasks

    sent = []
    monkeypatch.setattr(tasks.build_export, "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(actor=officer, call=call, format="xlsx")
    assert (export.status, export.unit_id, export.requested_by) == ("queued", call.programme.unit_id, officer)
    assert sent == [export.pk]
    log = ExportLog.objects.get()
    assert (log.kind, log.actor, log.enterprise, log.data_residency) == ("call_export", officer, None, "mainland")
    assert call.slug in log.description and "XLSX" in log.description
    event = AuditEvent.objects.get(action="export.requested")
    assert event.changes == {"export": export.pk, "format": "xlsx"}


def test_an_export_of_mainland_and_hong_kong_firms_is_logged_as_residing_on_both_sides(call, officer):
    scored(call, 4)
    scored(call, 3, kind="hong_kong", uscc=None, hk_br="61234567", district="", data_residency="hong_kong")
    exports.request_export(actor=officer, call=call, format="csv")
    assert ExportLog.objects.get().data_residency == "both"


def test_a_call_without_a_submitted_application_has_nothing_to_export(call, officer):
    complete_draft(call, applicant_of_new_enterprise())
    with pytest.raises(DomainError) as refused:
        exports.request_export(actor=officer, call=call, format="csv")
    assert refused.value.code == "nothing_to_export"
    assert not Export.objects.exists() and not ExportLog.objects.exists()


def without_unit(user):
    user.unit = None
    user.save(update_fields=["unit"])
    return user


@pytest.mark.parametrize("who", ["other_unit_officer", "reviewer", "applicant", "officer_without_unit"])
def test_only_an_officer_of_the_calls_unit_may_ask(call, applications, who):
    other_unit = UnitFactory(code="centre-hk", kind="centre")
    actor = {
        "other_unit_officer": lambda: officer_of(CallFactory(programme=ProgrammeFactory(unit=other_unit))),
        "reviewer": lambda: user_with_role(Role.REVIEWER),
        "applicant": lambda: applications["best"].enterprise.memberships.get().user,
        "officer_without_unit": lambda: without_unit(user_with_role(Role.PROGRAM_OFFICER)),
    }[who]()
    with pytest.raises(DomainError) as refused:
        exports.request_export(actor=actor, call=call, format="csv")
    assert refused.value.status == 403
    assert not Export.objects.exists() and not ExportLog.objects.exists()


def test_an_unknown_format_is_refused(call, applications, officer):
    with pytest.raises(DomainError) as refused:
        exports.request_export(actor=officer, call=call, format="pdf")
    assert refused.value.field == "format"


# --- Pages -----------------------------------------------------------------------------------------


def page(call):
    return reverse("programs:staff_exports", args=[call.slug])


def download(export):
    return reverse("programs:staff_export_download", args=[export.call.slug, export.pk])


def test_the_officer_asks_on_the_page_and_sees_the_progress_until_the_download(client, call, applications, officer):
    client.force_login(officer)
    html = client.get(page(call)).content.decode()
    assert 'name="format"' in html and "No export of this call yet." in html

    response = client.post(page(call), {"format": "csv"}, follow=True)
    assert "Export requested" in response.content.decode()
    export = Export.objects.get()
    html = response.content.decode()
    assert "<progress" in html and 'hx-trigger="every 1s"' in html and "Waiting for a worker" in html

    Export.objects.filter(pk=export.pk).update(status="running", progress=40)
    fragment = client.get(page(call), headers={"HX-Request": "true"}).content.decode()
    assert "<h1" not in fragment and 'value="40"' in fragment and "40% complete" in fragment

    Export.objects.filter(pk=export.pk).update(status="queued", progress=0)  # back from pretending to build it
    exports.build_export(export.pk)
    fragment = client.get(page(call), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and "<progress" not in fragment
    assert download(export) in fragment


def test_a_bad_format_is_shown_on_the_form(client, call, applications, officer):
    client.force_login(officer)
    response = client.post(page(call), {"format": "pdf"})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not Export.objects.exists()


def test_a_refusal_of_the_service_is_shown_on_the_page(client, call, officer):
    client.force_login(officer)
    response = client.post(page(call), {"format": "csv"})
    assert response.status_code == 400
    assert "nothing to export" in response.content.decode()


def test_the_download_is_an_attachment_named_after_the_call_and_day_and_is_logged(client, call, applications, officer):
    export = built(officer, call, "xlsx")
    colleague = officer_of(call)
    client.force_login(colleague)
    response = client.get(download(export))
    assert response.status_code == 200
    day = timezone.localtime(export.finished_at)
    assert response["Content-Disposition"] == f'attachment; filename="{call.slug}-{day:%Y%m%d}.xlsx"'
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active.max_row == 4
    log = ExportLog.objects.latest("created_at")
    assert (log.kind, log.actor, log.data_residency) == ("call_export", colleague, "mainland")
    assert "downloaded: 3 applications as XLSX" in log.description
    assert ExportLog.objects.count() == 2


def test_an_export_not_yet_built_cannot_be_downloaded(client, call, applications, officer):
    export = exports.request_export(actor=officer, call=call, format="csv")
    client.force_login(officer)
    assert client.get(download(export)).status_code == 404
    assert ExportLog.objects.count() == 1


def test_another_units_officer_gets_404_for_the_page_the_request_and_the_download(client, call, applications, officer):
    export = built(officer, call, "csv")
    other_unit = UnitFactory(code="centre-hk", kind="centre")
    client.force_login(officer_of(CallFactory(programme=ProgrammeFactory(unit=other_unit))))
    assert client.get(page(call)).status_code == 404
    assert client.post(page(call), {"format": "csv"}).status_code == 404
    assert client.get(download(export)).status_code == 404
    assert Export.objects.count() == 1 and ExportLog.objects.count() == 1


def test_the_download_of_one_call_is_not_reached_through_another(client, call, applications, officer):
    export = built(officer, call, "csv")
    sibling = CallFactory(programme=call.programme)
    client.force_login(officer)
    assert client.get(reverse("programs:staff_export_download", args=[sibling.slug, export.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.APPLICANT])
def test_reviewers_and_applicants_are_refused(client, call, applications, officer, role):
    export = built(officer, call, "csv")
    client.force_login(user_with_role(role))
    assert client.get(page(call)).status_code == 403
    assert client.post(page(call), {"format": "csv"}).status_code == 403
    assert client.get(download(export)).status_code == 403
    assert ExportLog.objects.count() == 1


def test_the_queue_filtered_to_a_call_links_to_its_exports(client, call, applications, officer):
    client.force_login(officer)
    assert page(call) not in client.get(reverse("programs:staff_queue")).content.decode()
    filtered = client.get(reverse("programs:staff_queue"), {"call": call.slug}).content.decode()
    assert page(call) in filtered

"""An export of a call through a real Celery worker on real Redis (and PostgreSQL on CI): the
officer asks on the exports page, a worker builds the file on the ``exports`` queue, the page
shows it ready, and the download opens in openpyxl with the call's application."""

import io

import openpyxl
import pytest
from django.urls import reverse

from programs.models import Export
from programs.services import applications as svc
from tests.programs.factories import CallFactory, applicant_of_new_enterprise, complete_draft, officer_of

from .conftest import celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_worker_builds_the_export_the_officer_asked_for_and_the_officer_downloads_it(broker, client):
    call = CallFactory()
    applicant = applicant_of_new_enterprise()
    application = complete_draft(call, applicant)
    svc.submit(actor=applicant, application=application, declaration=True)
    client.force_login(officer_of(call))
    page = reverse("programs:staff_exports", args=[call.slug])
    with celery_worker(redis_url=broker) as worker:
        assert client.post(page, {"format": "xlsx"}).status_code == 302
        export = Export.objects.get()
        if not wait_for(lambda: Export.objects.get(pk=export.pk).status == "done", timeout=60):
            worker.terminate()
            pytest.fail(f"the export was not built. Worker output:\n{worker.communicate(timeout=10)[0][-3000:]}")
    fragment = client.get(page, headers={"HX-Request": "true"}).content.decode()
    download = reverse("programs:staff_export_download", args=[call.slug, export.pk])
    assert download in fragment and "hx-trigger" not in fragment
    response = client.get(download)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [application.reference]

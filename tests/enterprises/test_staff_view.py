"""The staff view of an enterprise shows its documents (downloads checked and logged) and its
members by name and role, in the same formats as the member view, in a fixed number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djmoney.money import Money

from enterprises.models import ExportLog
from enterprises.services import documents
from hkhz_portal.accounts.roles import Role
from tests import files
from tests.factories import EnterpriseFactory, member_of, user_with_role

pytestmark = pytest.mark.django_db

PDF = files.pdf()


@pytest.fixture
def officer():
    return user_with_role(Role.PROGRAM_OFFICER)


@pytest.fixture
def firm():
    return EnterpriseFactory(
        annual_revenue=Money(Decimal("12500000"), "CNY"),
        rd_spend=Money(Decimal("4200000"), "USD"),
        founded_on=datetime.date(2019, 5, 1),
    )


@pytest.fixture
def owner(firm):
    return member_of(firm, "owner", full_name="Zhou Min", email="zhou.min@xihu.example")


def upload(firm, actor, name, doc_type="business_licence", title=""):
    return documents.upload_document(firm, SimpleUploadedFile(name, PDF), actor=actor, doc_type=doc_type, title=title)


def staff_page(client, firm):
    return client.get(reverse("staff_enterprise_detail", args=[firm.reference])).content.decode()


def test_staff_see_current_documents_and_download_them_through_a_logged_staff_url(client, officer, firm, owner):
    version = upload(firm, owner, "licence-2026.pdf")
    withdrawn = upload(firm, owner, "old-articles.pdf", doc_type="articles").document
    documents.withdraw_document(withdrawn, actor=owner)
    client.force_login(officer)

    html = staff_page(client, firm)
    assert "Business licence" in html and "licence-2026.pdf" in html
    assert "old-articles.pdf" not in html
    staff_url = reverse("staff_document_download", args=[firm.reference, version.document_id, 1])
    assert staff_url in html
    assert f'"{reverse("document_download", args=[firm.reference, version.document_id, 1])}"' not in html

    ExportLog.objects.all().delete()
    response = client.get(staff_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    log = ExportLog.objects.get()
    assert log.kind == "document_download" and log.actor == officer and log.enterprise == firm
    assert "licence-2026.pdf" in log.description


def test_the_staff_download_is_for_directory_staff_and_current_documents_only(client, firm, owner):
    version = upload(firm, owner, "licence.pdf")
    staff_url = reverse("staff_document_download", args=[firm.reference, version.document_id, 1])
    client.force_login(owner)  # a member, but not staff
    assert client.get(staff_url).status_code == 403
    client.force_login(user_with_role(Role.PROGRAM_OFFICER))
    assert (
        client.get(reverse("staff_document_download", args=[firm.reference, version.document_id, 2])).status_code == 404
    )
    other = EnterpriseFactory()
    assert (
        client.get(reverse("staff_document_download", args=[other.reference, version.document_id, 1])).status_code
        == 404
    )
    documents.withdraw_document(version.document, actor=owner)
    assert client.get(staff_url).status_code == 404
    assert not ExportLog.objects.filter(kind="document_download").exists()


def test_staff_see_members_by_name_and_role_but_not_their_email(client, officer, firm, owner):
    member_of(firm, "member", full_name="Li Lei", email="li.lei@xihu.example")
    client.force_login(officer)
    html = staff_page(client, firm)
    members = html[html.index('id="members-title"') : html.index('id="documents-title"')]
    assert members.index("Zhou Min") < members.index("Li Lei")  # owners first
    assert "Owner" in members and "Member" in members
    assert "zhou.min@xihu.example" not in html and "li.lei@xihu.example" not in html
    assert "2 member name(s)" in ExportLog.objects.get(kind="staff_view").description


def test_staff_see_the_same_money_and_date_formats_as_members(client, officer, firm, owner):
    client.force_login(owner)
    member_view = client.get(reverse("enterprise_detail", args=[firm.reference])).content.decode()
    client.force_login(officer)
    html = staff_page(client, firm)
    for shown in ("CNY 12,500,000.00", "USD 4,200,000.00"):
        assert shown in member_view and shown in html
    founded = re.search(r"Founding date</dt><dd>([^<]+)</dd>", member_view).group(1)
    assert f"Founding date</dt><dd>{founded}</dd>" in html


def test_the_query_count_does_not_grow_with_documents_and_members(client, officer, firm, owner):
    client.force_login(officer)
    upload(firm, owner, "v1.pdf")
    with CaptureQueriesContext(connection) as one:
        staff_page(client, firm)
    for n in range(5):
        member = member_of(firm, "member", full_name=f"Member {n}")
        version = upload(firm, member, f"doc-{n}.pdf", doc_type="other", title=f"Doc {n}")
        documents.upload_document(firm, SimpleUploadedFile("v2.pdf", PDF), actor=member, document=version.document)
    with CaptureQueriesContext(connection) as many:
        html = staff_page(client, firm)
    assert "Member 4" in html and "Doc 4" in html
    assert len(many) == len(one)

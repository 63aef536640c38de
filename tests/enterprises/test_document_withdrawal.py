"""Withdrawing a document: gone from the list, completeness, downloads and the API; kept, with who
withdrew it and when, in the database and the audit trail."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises.completeness import completeness
from enterprises.models import Document
from enterprises.selectors import enterprise_summaries
from enterprises.services import documents as services
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import AuditEvent
from tests import files
from tests.factories import EnterpriseFactory, member_of

pytestmark = pytest.mark.django_db

PDF = files.pdf()


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def member(enterprise):
    return member_of(enterprise, "member", full_name="Member Li")


@pytest.fixture
def licence(enterprise, member):
    return services.upload_document(
        enterprise, SimpleUploadedFile("licence.pdf", PDF), actor=member, doc_type="business_licence", title=""
    ).document


def withdraw(client, enterprise, document):
    return client.post(reverse("document_withdraw", args=[enterprise.reference, document.pk]))


def test_a_member_withdraws_a_document_and_it_leaves_the_list_but_not_the_records(
    client, enterprise, member, licence, media
):
    client.force_login(member)
    listed = client.get(reverse("document_list", args=[enterprise.reference])).content.decode()
    assert reverse("document_withdraw", args=[enterprise.reference, licence.pk]) in listed

    response = withdraw(client, enterprise, licence)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "“Business licence” was withdrawn." in page
    assert "licence.pdf" not in page
    assert "No documents yet." in page

    licence.refresh_from_db()
    assert licence.withdrawn_at is not None and licence.withdrawn_by == member
    assert licence.versions.count() == 1
    assert len([p for p in media.rglob("*") if p.is_file()]) == 1  # the file stays with the record
    event = AuditEvent.objects.get(action="document.withdrawn")
    assert event.actor == member and event.target_id == str(licence.pk)


def test_a_withdrawn_document_no_longer_counts_for_completeness(enterprise, member, licence):
    assert "Business licence document" not in completeness(enterprise).missing
    services.withdraw_document(licence, actor=member)
    enterprise = type(enterprise).objects.get(pk=enterprise.pk)
    assert "Business licence document" in completeness(enterprise).missing
    (summary,) = enterprise_summaries(member)
    assert "Business licence document" in summary.completeness.missing


def test_a_withdrawn_document_cannot_be_downloaded_given_a_version_or_withdrawn_again(
    client, enterprise, member, licence
):
    services.withdraw_document(licence, actor=member)
    client.force_login(member)
    download = reverse("document_download", args=[enterprise.reference, licence.pk, 1])
    assert client.get(download).status_code == 404
    path = reverse("document_version_upload", args=[enterprise.reference, licence.pk])
    assert client.post(path, {"file": SimpleUploadedFile("new.pdf", PDF)}).status_code == 404
    assert withdraw(client, enterprise, licence).status_code == 404
    assert licence.versions.count() == 1


def test_the_service_refuses_a_new_version_of_a_document_withdrawn_meanwhile(enterprise, member, licence):
    services.withdraw_document(licence, actor=member)
    with pytest.raises(DomainError) as refused:
        services.upload_document(enterprise, SimpleUploadedFile("new.pdf", PDF), actor=member, document=licence)
    assert refused.value.field == "file"
    assert licence.versions.count() == 1


def test_withdrawing_twice_records_it_once(enterprise, member, licence):
    first = services.withdraw_document(licence, actor=member)
    again = services.withdraw_document(licence, actor=member_of(enterprise, "owner"))
    assert again.withdrawn_at == first.withdrawn_at and again.withdrawn_by == member
    assert AuditEvent.objects.filter(action="document.withdrawn").count() == 1


def test_the_api_lists_only_documents_not_withdrawn(client, enterprise, member, licence):
    kept = services.upload_document(
        enterprise, SimpleUploadedFile("a.pdf", PDF), actor=member, doc_type="articles", title="Articles 2026"
    ).document
    services.withdraw_document(licence, actor=member)
    client.force_login(member)
    data = client.get(reverse("api-document-list", args=[enterprise.reference])).json()
    assert [row["id"] for row in data["results"]] == [kept.pk]
    assert client.get(reverse("api-document-detail", args=[enterprise.reference, licence.pk])).status_code == 404


def test_another_enterprises_document_cannot_be_withdrawn_through_mine(client, enterprise, member):
    other = EnterpriseFactory()
    theirs = services.upload_document(
        other, SimpleUploadedFile("x.pdf", PDF), actor=member_of(other, "owner"), doc_type="other", title="X"
    ).document
    client.force_login(member)
    assert withdraw(client, enterprise, theirs).status_code == 404
    assert Document.objects.get(pk=theirs.pk).withdrawn_at is None


def test_withdrawing_needs_a_post(client, enterprise, member, licence):
    client.force_login(member)
    assert client.get(reverse("document_withdraw", args=[enterprise.reference, licence.pk])).status_code == 405

"""Documents: uploads checked by content, versions, downloads through a logged, permission-checked view."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from enterprises.choices import DocumentType
from enterprises.models import Document, DocumentVersion, ExportLog
from enterprises.services import documents as services
from tests import files
from tests.factories import EnterpriseFactory, member_of
from tests.files import stored_files

pytestmark = pytest.mark.django_db

PDF = files.pdf()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 512 + b"This program cannot be run"
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def member(enterprise):
    return member_of(enterprise, "member", full_name="Member Li")


def upload(client, enterprise, name, content, **data):
    data = {"doc_type": "business_licence", "title": "", **data, "file": SimpleUploadedFile(name, content)}
    return client.post(reverse("document_upload", args=[enterprise.reference]), data)


def upload_version(client, enterprise, document_pk, name, content):
    path = reverse("document_version_upload", args=[enterprise.reference, document_pk])
    return client.post(path, {"file": SimpleUploadedFile(name, content)})


def list_page(client, enterprise):
    response = client.get(reverse("document_list", args=[enterprise.reference]))
    assert response.status_code == 200
    return response.content.decode()


# --- Accepted files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("licence.pdf", PDF, "application/pdf"),
        ("licence-scan.png", files.png(), "image/png"),
        ("licence-photo.jpg", files.jpeg(), "image/jpeg"),
        ("articles.docx", files.docx(), DOCX_TYPE),
        ("accounts.xlsx", files.xlsx(), XLSX_TYPE),
    ],
)
def test_real_files_are_accepted_and_listed(client, enterprise, member, media, name, content, content_type):
    client.force_login(member)
    response = upload(client, enterprise, name, content, title="Business licence 2026")
    version = DocumentVersion.objects.select_related("document").get()
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("document_list", args=[enterprise.reference]) + f"#document-{version.document.pk}"
    )
    assert version.number == 1
    assert version.original_name == name
    assert version.size == len(content)
    assert version.uploaded_by == member
    assert version.content_type == content_type
    assert version.document.title == "Business licence 2026"
    assert [p.read_bytes() for p in stored_files(media)] == [content]

    html = list_page(client, enterprise)
    assert "Business licence" in html and "Business licence 2026" in html and name in html
    assert reverse("document_download", args=[enterprise.reference, version.document.pk, 1]) in html


def test_a_document_without_a_title_is_called_by_its_type_in_the_readers_language(client, enterprise, member):
    client.force_login(member)
    response = upload(client, enterprise, "scan_0001.pdf", PDF, doc_type="pitch_deck")
    document = Document.objects.get()
    assert document.title == ""
    assert "“Pitch deck” version 1 was uploaded." in client.get(response["Location"]).content.decode()
    html = list_page(client, enterprise)
    assert f'<h3 id="document-{document.pk}-title">Pitch deck</h3>' in html
    assert "scan_0001.pdf" in html  # the file keeps its name
    with translation.override("zh-hant"):
        assert document.display_title == str(DocumentType.PITCH_DECK.label)
    api = client.get(reverse("api-document-list", args=[enterprise.reference])).json()
    assert api["results"][0]["title"] == "Pitch deck"


def test_a_document_needs_its_type_chosen(client, enterprise, member):
    client.force_login(member)
    html = list_page(client, enterprise)
    assert '<option value="" selected>Choose a type</option>' in html
    response = upload(client, enterprise, "licence.pdf", PDF, doc_type="")
    assert 'id="id_doc_type_error">Choose the type of document.' in response.content.decode()
    assert not Document.objects.exists()


# --- Refused files leave nothing behind -----------------------------------------------------------


TYPE_MESSAGE = (
    "This file's content is not one of the accepted types (PDF, PNG, JPEG, XLSX, DOCX), whatever its name says."
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("licence.pdf", EXE, TYPE_MESSAGE),
        ("licence.pdf", HTML, TYPE_MESSAGE),
        ("licence.docx", files.ooxml("content.xml"), TYPE_MESSAGE),
        ("licence.pdf", b"", "The submitted file is empty."),
    ],
)
def test_disguised_and_empty_files_are_refused_on_the_file_field(
    client, enterprise, member, media, name, content, message
):
    client.force_login(member)
    response = upload(client, enterprise, name, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<p class="error" id="id_file_error">{message}'.replace("'", "&#x27;") in html
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert stored_files(media) == []


def test_oversize_file_is_refused_with_the_limit(client, enterprise, member, media, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024
    client.force_login(member)
    response = upload(client, enterprise, "big.pdf", PDF + b"0" * 2048)
    html = response.content.decode()
    assert 'id="id_file_error">The file is larger than the limit of 1.0\xa0KB.' in html
    assert "up to 1.0\xa0KB" in html  # the help text follows the setting
    assert not DocumentVersion.objects.exists() and not Document.objects.exists()
    assert stored_files(media) == []


def test_the_service_checks_the_file_again(enterprise, member, media):
    with pytest.raises(ValidationError):
        services.upload_document(
            enterprise, SimpleUploadedFile("x.pdf", HTML), actor=member, doc_type="other", title="Sneaky"
        )
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_upload_without_consent_goes_to_the_consent_page_and_writes_nothing(client, enterprise, media):
    member = member_of(enterprise, "member", consent=False)
    client.force_login(member)
    assert "Give your consent to cross-border transfer" in list_page(client, enterprise)
    response = upload(client, enterprise, "licence.pdf", PDF)
    assert response.status_code == 302
    upload_path = reverse("document_upload", args=[enterprise.reference])
    assert response["Location"].startswith(reverse("consent") + "?next=")
    assert upload_path.replace("/", "%2F") in response["Location"]
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert stored_files(media) == []
    # Coming back from the consent page lands on the documents page.
    back = client.get(upload_path)
    assert back["Location"] == reverse("document_list", args=[enterprise.reference])


# --- Versions ---------------------------------------------------------------------------------


def test_a_new_version_becomes_current_and_the_old_one_stays_downloadable(client, enterprise, member, media):
    client.force_login(member)
    upload(client, enterprise, "articles-2024.pdf", PDF, doc_type="articles", title="Articles")
    document = Document.objects.get()
    newer = files.pdf(pages=2)
    html = list_page(client, enterprise)
    assert f'action="{reverse("document_version_upload", args=[enterprise.reference, document.pk])}' in html
    response = upload_version(client, enterprise, document.pk, "articles-2026.pdf", newer)
    assert response.status_code == 302
    assert Document.objects.count() == 1
    assert list(document.versions.values_list("number", "original_name")) == [
        (2, "articles-2026.pdf"),
        (1, "articles-2024.pdf"),
    ]

    html = list_page(client, enterprise)
    current = html.index('class="current-version"')
    assert html.index("articles-2026.pdf") > current and html.index("articles-2026.pdf") < html.index(
        "articles-2024.pdf"
    )
    for number, content in ((1, PDF), (2, newer)):
        response = client.get(reverse("document_download", args=[enterprise.reference, document.pk, number]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
    assert len(stored_files(media)) == 2


def test_a_refused_new_version_shows_its_error_on_that_documents_form(client, enterprise, member, media):
    client.force_login(member)
    upload(client, enterprise, "articles.pdf", PDF, doc_type="articles", title="Articles")
    document = Document.objects.get()
    response = upload_version(client, enterprise, document.pk, "articles-v2.pdf", HTML)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_doc{document.pk}_file_error"' in html
    assert '<details class="new-version" open>' in html
    assert document.versions.count() == 1
    assert len(stored_files(media)) == 1


def test_a_new_version_of_another_enterprises_document_is_404(client, enterprise, member, media):
    other = EnterpriseFactory()
    other_member = member_of(other, "owner")
    foreign = services.upload_document(
        other, SimpleUploadedFile("x.pdf", PDF), actor=other_member, doc_type="other", title="X"
    )
    client.force_login(member)
    response = upload_version(client, enterprise, foreign.document.pk, "y.pdf", PDF)
    assert response.status_code == 404
    assert DocumentVersion.objects.count() == 1


# --- Downloads --------------------------------------------------------------------------------


def test_download_returns_the_exact_bytes_as_an_attachment_and_logs_the_export(client, enterprise, member):
    version = services.upload_document(
        enterprise,
        SimpleUploadedFile("营业执照 licence.pdf", PDF),
        actor=member,
        doc_type="business_licence",
        title="Licence",
    )
    client.force_login(member)
    response = client.get(reverse("document_download", args=[enterprise.reference, version.document.pk, 1]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20licence.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    log = ExportLog.objects.get()
    assert log.kind == "document_download"
    assert log.actor == member and log.enterprise == enterprise
    assert log.data_residency == "mainland"
    assert "Licence v1" in log.description


def test_non_member_gets_404_on_the_documents_page_upload_and_download(client, enterprise, member, media):
    version = services.upload_document(
        enterprise, SimpleUploadedFile("l.pdf", PDF), actor=member, doc_type="business_licence", title="Licence"
    )
    stranger = member_of(EnterpriseFactory(), "owner")
    client.force_login(stranger)
    assert client.get(reverse("document_list", args=[enterprise.reference])).status_code == 404
    assert (
        client.get(reverse("document_download", args=[enterprise.reference, version.document.pk, 1])).status_code == 404
    )
    assert upload(client, enterprise, "x.pdf", PDF).status_code == 404
    # Through their own enterprise's address, another enterprise's document is 404 too.
    own = stranger.memberships.get().enterprise
    assert client.get(reverse("document_download", args=[own.reference, version.document.pk, 1])).status_code == 404
    assert not ExportLog.objects.exists()
    assert DocumentVersion.objects.count() == 1


def test_anonymous_download_is_sent_to_sign_in(client, enterprise, member):
    version = services.upload_document(
        enterprise, SimpleUploadedFile("l.pdf", PDF), actor=member, doc_type="other", title="L"
    )
    response = client.get(reverse("document_download", args=[enterprise.reference, version.document.pk, 1]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not ExportLog.objects.exists()


def test_missing_version_is_404(client, enterprise, member):
    version = services.upload_document(
        enterprise, SimpleUploadedFile("l.pdf", PDF), actor=member, doc_type="other", title="L"
    )
    client.force_login(member)
    assert (
        client.get(reverse("document_download", args=[enterprise.reference, version.document.pk, 2])).status_code == 404
    )
    assert not ExportLog.objects.exists()


def test_documents_are_grouped_by_type_in_the_declared_order(client, enterprise, member):
    for doc_type, title in (("other", "Misc"), ("business_licence", "Licence"), ("pitch_deck", "Deck")):
        services.upload_document(
            enterprise, SimpleUploadedFile("f.pdf", PDF), actor=member, doc_type=doc_type, title=title
        )
    client.force_login(member)
    html = list_page(client, enterprise)
    positions = [html.index(f">{label}</h2>") for label in ("Business licence", "Pitch deck", "Other")]
    assert positions == sorted(positions)


def test_media_is_not_served_publicly(client, enterprise, member):
    version = services.upload_document(
        enterprise, SimpleUploadedFile("l.pdf", PDF), actor=member, doc_type="other", title="L"
    )
    assert client.get("/media/" + version.file.name).status_code == 404


def test_a_file_is_stored_under_the_extension_of_its_content_not_its_name(client, enterprise, member):
    client.force_login(member)
    upload(client, enterprise, "slides.html", PDF, doc_type="pitch_deck", title="Deck")
    version = DocumentVersion.objects.get()
    assert version.file.name.endswith(".pdf")
    assert version.original_name == "slides.html"
    assert version.content_type == "application/pdf"


def test_an_oversize_upload_is_stopped_while_it_arrives(client, enterprise, member, media, settings):
    """The upload handler stops receiving past the limit (nothing spooled to disk) and the page says why."""
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 64 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # would keep a whole 200 KB file in memory otherwise
    client.force_login(member)
    response = upload(client, enterprise, "huge.pdf", PDF + b"0" * (200 * 1024))
    html = response.content.decode()
    assert response.wsgi_request.upload_refused.code == "file_too_large"
    assert 'id="id_file_error">The file is larger than the limit of 64.0\xa0KB.' in html
    assert "This field is required" not in html
    assert not DocumentVersion.objects.exists()
    assert stored_files(media) == []


def test_a_title_with_a_control_character_is_refused_and_nothing_is_stored(enterprise, member, media):
    with pytest.raises(ValidationError) as refused:
        services.upload_document(
            enterprise, SimpleUploadedFile("f.pdf", PDF), actor=member, doc_type="pitch_deck", title="Deck\x1b[31m"
        )
    assert "title" in refused.value.message_dict
    assert not enterprise.documents.exists()
    assert stored_files(media) == []

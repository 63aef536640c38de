"""Upload hardening: a file must open as what its content claims, must not be a decompression
bomb, and one request cannot carry more than one document's worth of bytes or a few files."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises.models import Document, DocumentVersion
from enterprises.uploads import validate_upload
from tests import files
from tests.factories import EnterpriseFactory, member_of
from tests.files import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def member(client, enterprise):
    user = member_of(enterprise, "member")
    client.force_login(user)
    return user


def post(client, enterprise, *uploads):
    data = {"doc_type": "business_licence", "title": "", "file": list(uploads)}
    return client.post(reverse("document_upload", args=[enterprise.reference]), data)


def file_error(response) -> str:
    html = response.content.decode()
    start = html.index('id="id_file_error">') + len('id="id_file_error">')
    return html[start : html.index("<", start)].replace("&#x27;", "'")


def assert_nothing_stored(media):
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert stored_files(media) == []


# --- Content beyond the magic bytes ------------------------------------------------------------

PDF = files.pdf()
UNREADABLE = "This file could not be opened as a {}: it is damaged or incomplete. Save it again and upload it."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", PDF[: len(PDF) // 2], UNREADABLE.format("PDF")),
        ("report.pdf", b"%PDF-1.7\n" + b"garbage " * 200, UNREADABLE.format("PDF")),
        (
            "report.pdf",
            files.pdf(password="secret"),
            "This PDF is protected by a password. Save it without the password and upload it again.",
        ),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x13\x37 not an image " * 64, UNREADABLE.format("PNG")),
        ("scan.png", files.png()[:-20], UNREADABLE.format("PNG")),
        ("photo.jpg", files.jpeg(size=(64, 64))[:-300], UNREADABLE.format("JPG")),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9", UNREADABLE.format("JPG")),
    ],
    ids=[
        "truncated-pdf",
        "pdf-garbage",
        "encrypted-pdf",
        "png-garbage",
        "truncated-png",
        "truncated-jpeg",
        "jpeg-shell",
    ],
)
def test_a_file_that_does_not_open_as_its_type_is_refused_on_the_file_field(
    client, enterprise, member, media, name, content, message
):
    response = post(client, enterprise, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert file_error(response) == message
    assert_nothing_stored(media)


def test_a_decompression_bomb_image_is_refused_by_its_declared_size(client, enterprise, member, media, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 50_000_000
    message = "This image has more than 50,000,000 pixels in all. Reduce its size and upload it again."
    for canvas in (files.png_canvas(8_000, 8_000), files.png_canvas(100_000, 100_000)):
        assert len(canvas) < 100
        response = post(client, enterprise, SimpleUploadedFile("scan.png", canvas))
        assert file_error(response) == message
    assert_nothing_stored(media)


def test_a_zip_bomb_docx_is_refused_before_anything_unpacks_it(client, enterprise, member, media):
    bomb = files.zip_bomb_docx()  # a 1 GiB part in about 1 MB
    assert len(bomb) < 2 * 1024 * 1024
    response = post(client, enterprise, SimpleUploadedFile("articles.docx", bomb))
    assert file_error(response) == "This DOCX file would unpack to 1.0\xa0GB; the limit is 200.0\xa0MB."
    assert_nothing_stored(media)


def test_a_part_compressed_beyond_any_real_document_is_refused_even_under_the_size_limit(enterprise, member):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("articles.docx", files.zip_bomb_docx(mib=16)))
    assert refused.value.messages == [
        "This DOCX file is compressed far more than a real document can be, so it was refused."
    ]


def test_the_unpacked_size_limit_follows_the_setting(settings):
    settings.UPLOAD_MAX_UNZIPPED_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("accounts.xlsx", files.xlsx()))
    assert refused.value.code == "file_unpacks_too_large"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", files.pdf(pages=3)),
        ("scan.png", files.png(size=(1200, 900))),
        ("photo.jpg", files.jpeg(size=(2000, 1500))),
        ("thumbnail.jpg", files.jpeg(size=(4, 3))),
        ("articles.docx", files.docx()),
        ("accounts.xlsx", files.xlsx()),
    ],
)
def test_real_files_still_pass_every_check(name, content):
    validate_upload(SimpleUploadedFile(name, content))


# --- Per request: bytes and number of files ----------------------------------------------------


def test_files_over_the_request_limit_together_are_refused_and_nothing_is_stored(
    client, enterprise, member, media, settings
):
    """Each file is under the document limit; together they pass the request's, which stops receiving."""
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 64 * 1024
    settings.UPLOAD_MAX_REQUEST_BYTES = 100 * 1024
    parts = [SimpleUploadedFile(f"part-{n}.pdf", files.pdf(padding=50 * 1024)) for n in range(3)]
    assert all(60 * 1024 > part.size > 50 * 1024 for part in parts)
    response = post(client, enterprise, *parts)
    assert response.status_code == 200
    assert response.wsgi_request.upload_refused.code == "request_too_large"
    assert file_error(response) == "The files sent are larger than the limit of 100.0\xa0KB for one upload."
    assert_nothing_stored(media)


def test_more_files_than_allowed_in_one_request_is_a_bad_request(client, enterprise, member, media, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 5
    parts = [SimpleUploadedFile(f"part-{n}.pdf", PDF) for n in range(6)]
    response = post(client, enterprise, *parts)
    assert response.status_code == 400
    assert "too many files" in response.content.decode()
    assert_nothing_stored(media)


def test_the_default_limits_allow_one_document_and_refuse_a_pile(settings):
    assert settings.UPLOAD_MAX_REQUEST_BYTES == settings.DOCUMENT_MAX_UPLOAD_BYTES + 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 5

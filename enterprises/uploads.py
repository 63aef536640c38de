"""Upload checks: a file's type is read from its content (magic bytes), never from its name."""

import zipfile
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


PDF = FileKind(".pdf", "application/pdf")
PNG = FileKind(".png", "image/png")
JPEG = FileKind(".jpg", "image/jpeg")
XLSX = FileKind(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DOCX = FileKind(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")

#: What puremagic calls each plain format we accept.
MAGIC = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG}
#: Office files are ZIP archives; their main part says which kind they are.
OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}

ALLOWED_LABEL = "PDF, PNG, JPEG, XLSX, DOCX"


def _ooxml_kind(upload) -> FileKind | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in OOXML_PARTS.items() if part in names), None)


def detect_kind(upload) -> FileKind | None:
    """The accepted kind the content really is, or None."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(upload)
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    return next((MAGIC[m.extension] for m in matches if m.extension in MAGIC), None)


def too_large(size: int | None = None) -> ValidationError:
    """The refusal of a file over the limit; ``size`` is unknown when receiving stopped early."""
    limit = filesizeformat(settings.DOCUMENT_MAX_UPLOAD_BYTES)
    if size is None:
        return ValidationError(
            _("The file is larger than the limit of %(limit)s."), code="file_too_large", params={"limit": limit}
        )
    return ValidationError(
        _("The file is %(size)s; the limit is %(limit)s."),
        code="file_too_large",
        params={"size": filesizeformat(size), "limit": limit},
    )


class SizeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes chunks on, and stops receiving a file once it is
    past the document limit, so an oversize upload never fills the disk before it is refused.
    The request is marked (``upload_too_large``) for the page to say why."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.DOCUMENT_MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def validate_upload(upload) -> FileKind:
    """Refuse empty, oversize and disallowed files with a message the user can act on."""
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")
    if upload.size > limit:
        raise too_large(upload.size)
    kind = detect_kind(upload)
    if kind is None:
        raise ValidationError(
            _("This file's content is not one of the accepted types (%(types)s), whatever its name says."),
            code="file_type",
            params={"types": ALLOWED_LABEL},
        )
    return kind

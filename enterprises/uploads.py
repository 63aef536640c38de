"""Upload checks: a file's type is read from its content (magic bytes), never from its name,
and the content must open as that type: images decode, PDFs parse, and office files do not
unpack to more than a limit (a zip bomb)."""

import zipfile
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader


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

#: What Pillow calls each image kind.
PILLOW_FORMATS = {PNG: "PNG", JPEG: "JPEG"}
#: Office XML compresses 5-20 times, rarely 100; deflate's ceiling is about 1,030.
MAX_COMPRESSION_RATIO = 200
#: A part smaller than this is never a bomb, whatever its ratio.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024


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


def _unreadable(kind: FileKind) -> ValidationError:
    return ValidationError(
        _("This file could not be opened as a %(type)s: it is damaged or incomplete. Save it again and upload it."),
        code="file_unreadable",
        params={"type": kind.extension[1:].upper()},
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("This image has more than %(limit)s pixels in all. Reduce its size and upload it again."),
        code="image_too_large",
        params={"limit": number_format(settings.UPLOAD_MAX_IMAGE_PIXELS, force_grouping=True)},
    )


def _check_image(upload, kind: FileKind) -> None:
    """The image's header must parse, its pixel count stay under the limit (a small file can
    declare a huge canvas that takes gigabytes to decode), and its data verify (PNG) or decode
    at an eighth of its size (JPEG)."""
    try:
        with Image.open(upload) as image:
            if image.format != PILLOW_FORMATS[kind]:
                raise _unreadable(kind)
            width, height = image.size
            if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
                raise _too_many_pixels()
            image.verify()
        if kind is JPEG:
            upload.seek(0)
            with Image.open(upload) as image:
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                image.load()
    except Image.DecompressionBombError as exc:  # Pillow's own, higher limit
        raise _too_many_pixels() from exc
    except ValidationError:
        raise
    except Exception as exc:  # a damaged image fails inside Pillow in many ways
        raise _unreadable(kind) from exc
    finally:
        upload.seek(0)


def _check_pdf(upload) -> None:
    """The PDF must parse down to its pages, and not be encrypted (nobody could read it)."""
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF is protected by a password. Save it without the password and upload it again."),
                code="file_encrypted",
            )
        if len(reader.pages) == 0:
            raise _unreadable(PDF)
    except ValidationError:
        raise
    except Exception as exc:  # a damaged PDF fails inside pypdf in many ways
        raise _unreadable(PDF) from exc
    finally:
        upload.seek(0)


def _check_archive(upload, kind: FileKind) -> None:
    """An office file is a ZIP archive: what its directory says its parts unpack to must stay
    under the limit, in total and in ratio part by part, so that opening it later cannot fill
    memory or disk. (Readers stop at the declared size, so a smaller lie unpacks no further.)"""
    limit = settings.UPLOAD_MAX_UNZIPPED_BYTES
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable(kind) from exc
    finally:
        upload.seek(0)
    total = sum(part.file_size for part in parts)
    if total > limit:
        raise ValidationError(
            _("This %(type)s file would unpack to %(size)s; the limit is %(limit)s."),
            code="file_unpacks_too_large",
            params={"type": kind.extension[1:].upper(), "size": filesizeformat(total), "limit": filesizeformat(limit)},
        )
    if any(
        part.file_size >= RATIO_CHECKED_FROM_BYTES
        and part.file_size > MAX_COMPRESSION_RATIO * max(part.compress_size, 1)
        for part in parts
    ):
        raise ValidationError(
            _("This %(type)s file is compressed far more than a real document can be, so it was refused."),
            code="file_unpacks_too_large",
            params={"type": kind.extension[1:].upper()},
        )


def check_content(upload, kind: FileKind) -> None:
    """Refuse a file whose content does not open as ``kind``, or opens to something too large."""
    if kind is PDF:
        _check_pdf(upload)
    elif kind in PILLOW_FORMATS:
        _check_image(upload, kind)
    else:
        _check_archive(upload, kind)


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


def request_too_large() -> ValidationError:
    """The refusal of a request whose files together are over the per-request limit."""
    return ValidationError(
        _("The files sent are larger than the limit of %(limit)s for one upload."),
        code="request_too_large",
        params={"limit": filesizeformat(settings.UPLOAD_MAX_REQUEST_BYTES)},
    )


class SizeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes chunks on, and stops receiving once a file is past
    the document limit or the request's files together are past UPLOAD_MAX_REQUEST_BYTES, so
    an oversize upload never fills memory or disk before it is refused. (Other fields are
    bounded by DATA_UPLOAD_MAX_MEMORY_SIZE, the number of files by DATA_UPLOAD_MAX_NUMBER_FILES.)
    The request keeps the refusal (``upload_refused``) for the page to say why."""

    def __init__(self, request=None):
        super().__init__(request)
        self.request_received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        self.request_received += len(raw_data)
        if self.received > settings.DOCUMENT_MAX_UPLOAD_BYTES:
            self._refuse(too_large())
        if self.request_received > settings.UPLOAD_MAX_REQUEST_BYTES:
            self._refuse(request_too_large())
        return raw_data

    def _refuse(self, error: ValidationError):
        self.request.upload_refused = error
        raise StopUpload(connection_reset=False)

    def file_complete(self, file_size):
        return None


def refused_upload(request) -> ValidationError | None:
    """The upload handler's refusal of an oversize request (``SizeLimitUploadHandler``), found
    while it parses the body: a form with uploads shows it (``RefusedUploadMixin``)."""
    request.FILES  # noqa: B018 - parse the body first: the upload handler marks an oversize upload while it does
    return getattr(request, "upload_refused", None)


def validate_upload(upload) -> FileKind:
    """Refuse empty, oversize, disallowed and unreadable files with a message the user can act on."""
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
    check_content(upload, kind)
    return kind

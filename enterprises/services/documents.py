"""Typed, versioned enterprise documents."""

import hashlib

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..choices import ExportKind
from ..models import Document, DocumentVersion, Enterprise
from ..uploads import validate_upload
from .consent import log_export, require_consent

WITHDRAWN = _("This document was withdrawn, so it takes no new version: upload the file as a new document.")


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def upload_document(
    enterprise: Enterprise, upload, *, actor, doc_type=None, title=None, document=None
) -> DocumentVersion:
    """A member uploads a new document, or a new version of ``document`` (not a withdrawn one).

    Requires consent; the content is checked before anything is written, and if the database
    write fails the stored file is deleted, so a refused upload leaves nothing behind. A new
    document without a title is shown under its type's name (``Document.display_title``).
    """
    require_consent(actor)
    kind = validate_upload(upload)
    sha256 = _sha256(upload)
    version = None
    stored = False
    try:
        with transaction.atomic(durable=True):
            if document is None:
                document = Document(enterprise=enterprise, doc_type=doc_type, title=title or "")
                document.full_clean()  # the type is one of ours, the title plain text
                document.save()
            document = Document.objects.select_for_update().get(pk=document.pk, enterprise=enterprise)
            if document.withdrawn_at is not None:
                raise DomainError(WITHDRAWN, code="document_withdrawn", status=409, field="file")
            number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = DocumentVersion(
                document=document,
                number=number,
                original_name=upload.name[:255],
                content_type=kind.content_type,
                size=upload.size,
                sha256=sha256,
                uploaded_by=actor,
            )
            # Stored under the extension of what the content is, whatever the name says.
            version.file.save(f"upload{kind.extension}", upload, save=False)
            version.save()
            changes = {"version": number, "file": version.original_name}
            audit.record(AuditAction.DOCUMENT_UPLOADED, actor=actor, target=document, changes=changes)
        stored = True
    finally:
        if not stored and version is not None and version.file.name:
            version.file.storage.delete(version.file.name)
    return version


@transaction.atomic(durable=True)
def withdraw_document(document: Document, *, actor) -> Document:
    """A member withdraws a document that no longer holds (expired, replaced, uploaded by mistake).

    It leaves the documents page, the profile's completeness and the API, and can no longer be
    downloaded; the row and its files stay, for the audit trail, stamped with who withdrew it and
    when. Withdrawing it twice changes nothing.
    """
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.withdrawn_at is None:
        document.withdrawn_at = timezone.now()
        document.withdrawn_by = actor
        document.save(update_fields=["withdrawn_at", "withdrawn_by"])
        changes = {"title": document.display_title, "type": document.doc_type}
        audit.record(AuditAction.DOCUMENT_WITHDRAWN, actor=actor, target=document, changes=changes)
    return document


def record_download(version: DocumentVersion, *, actor) -> None:
    """Every download (by a member or by staff) is an export of the enterprise's data: log it."""
    document = version.document
    log_export(
        kind=ExportKind.DOCUMENT_DOWNLOAD,
        actor=actor,
        enterprise=document.enterprise,
        description=f"{document.display_title} v{version.number} ({version.original_name})",
    )


@transaction.atomic(durable=True)
def delete_document_version(version: DocumentVersion, *, actor) -> None:
    """An administrator deletes one uploaded version, and its stored file once the deletion commits.

    A document left with no version goes too: an empty document would still count as present
    (profile completeness, screening) with no file behind it. Audited on the document.
    """
    document = Document.objects.select_for_update().get(pk=version.document_id)
    version = DocumentVersion.objects.filter(pk=version.pk).first()
    if version is None:
        return  # deleted meanwhile: nothing left to do
    stored = version.file.name
    version.delete()
    emptied = not document.versions.exists()
    changes = {"version": version.number, "file": version.original_name, "document_deleted": emptied}
    audit.record(AuditAction.DOCUMENT_VERSION_DELETED, actor=actor, target=document, changes=changes)
    if emptied:
        document.delete()
    # Only after commit: a rolled-back deletion must still find its file.
    transaction.on_commit(lambda: version.file.storage.delete(stored))

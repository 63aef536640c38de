"""A thread attachment's file, for whoever may read the thread (the caller checks who that is)."""

from django.http import FileResponse
from django.utils.translation import gettext as _

from enterprises.choices import ExportKind
from enterprises.services.consent import log_export
from enterprises.views.documents import file_response
from hkhz_portal.core.downloads import download_response


def attachment_response(request, attachment) -> FileResponse:
    """The attachment as a download under its original name. A library document's version goes
    the way of every library download; an uploaded file, the enterprise's data too, is logged as
    an export of it in the same way."""
    if attachment.version_id:
        return file_response(request, attachment.version)
    response = download_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        missing=_("The file of this attachment is missing."),
    )
    service_request = attachment.message.request
    log_export(
        kind=ExportKind.DOCUMENT_DOWNLOAD,
        actor=request.user,
        enterprise=service_request.enterprise,
        description=f"{service_request.reference} attachment {attachment.pk} ({attachment.original_name})",
    )
    return response

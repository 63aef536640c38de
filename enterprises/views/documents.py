"""An enterprise's typed, versioned documents. Files are served only through the download
views, to members (here) and directory staff (``directory.py``), and every download is written
to the export log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hkhz_portal.core.downloads import download_response
from hkhz_portal.core.forms import call_service

from .. import selectors
from ..choices import DocumentType
from ..forms.documents import DocumentUploadForm, VersionUploadForm
from ..services import documents as services
from ..uploads import refused_upload
from .consent import needs_consent


def _version_form(document, data=None, files=None, **kwargs):
    # Each document's form gets its own ids, so labels stay tied to the right input.
    return VersionUploadForm(data, files, auto_id=f"id_doc{document.pk}_%s", **kwargs)


def _render_documents(request, enterprise, upload_form, failed=None):
    """``failed`` maps a document's pk to its bound new-version form, whose errors show on that document."""
    failed = failed or {}
    by_type = {}
    for document in selectors.documents(enterprise):
        versions = list(document.versions.all())
        form = failed[document.pk] if document.pk in failed else _version_form(document)
        by_type.setdefault(document.doc_type, []).append({"document": document, "versions": versions, "form": form})
    groups = [{"label": label, "items": by_type[value]} for value, label in DocumentType.choices if value in by_type]
    context = {
        "enterprise": enterprise,
        "groups": groups,
        "upload_form": upload_form,
        "needs_consent": needs_consent(request.user),
    }
    return render(request, "enterprises/documents.html", context)


def _uploaded(request, reference, version):
    messages.success(
        request,
        _("“%(title)s” version %(number)s was uploaded.")
        % {"title": version.document.display_title, "number": version.number},
    )
    # Land on the document just uploaded (the form's own #fragment would otherwise carry over).
    return redirect(reverse("document_list", args=[reference]) + f"#document-{version.document_id}")


@login_required
def document_list(request, reference):
    enterprise = selectors.enterprise_of(request.user, reference)
    return _render_documents(request, enterprise, DocumentUploadForm())


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request, reference):
    """A member uploads a new document.

    GET only leads back to the list: it is where the consent page returns to after a refused upload.
    """
    enterprise = selectors.enterprise_of(request.user, reference)
    if request.method == "GET":
        return redirect("document_list", reference=reference)
    form = DocumentUploadForm(request.POST, request.FILES, upload_refused=refused_upload(request))
    if form.is_valid():
        data = form.cleaned_data
        version = call_service(
            form,
            lambda: services.upload_document(
                enterprise, data["file"], actor=request.user, doc_type=data["doc_type"], title=data["title"]
            ),
            default_field="file",
        )
        if version is not None:
            return _uploaded(request, reference, version)
    return _render_documents(request, enterprise, form)


@login_required
@require_http_methods(["GET", "POST"])
def document_version_upload(request, reference, pk):
    """A member uploads a new version of a document, from the document's own form on the list.

    GET leads back to the list, at the document (where the consent page returns to).
    """
    enterprise = selectors.enterprise_of(request.user, reference)
    document = selectors.document(enterprise, pk)
    if request.method == "GET":
        return redirect(reverse("document_list", args=[reference]) + f"#document-{document.pk}")
    form = _version_form(document, request.POST, request.FILES, upload_refused=refused_upload(request))
    if form.is_valid():
        version = call_service(
            form,
            lambda: services.upload_document(
                enterprise, form.cleaned_data["file"], actor=request.user, document=document
            ),
            default_field="file",
        )
        if version is not None:
            return _uploaded(request, reference, version)
    return _render_documents(request, enterprise, DocumentUploadForm(), failed={document.pk: form})


@login_required
@require_POST
def document_withdraw(request, reference, pk):
    """A member withdraws a document: gone from the list, kept in the audit trail."""
    enterprise = selectors.enterprise_of(request.user, reference)
    document = selectors.document(enterprise, pk)
    services.withdraw_document(document, actor=request.user)
    messages.success(
        request,
        _("“%(title)s” was withdrawn. It no longer counts for the profile; the portal keeps a record of it.")
        % {"title": document.display_title},
    )
    return redirect("document_list", reference=reference)


def file_response(request, version) -> FileResponse:
    """A version's file as an attachment under its original name, its download logged as an export."""
    response = download_response(
        version.file,
        filename=version.original_name,
        content_type=version.content_type,
        missing=_("The file of this document is missing."),
    )
    services.record_download(version, actor=request.user)
    return response


@never_cache
@login_required
@require_GET
def document_download(request, reference, pk, number):
    """Members download any version of a document not withdrawn; logged as an export."""
    enterprise = selectors.enterprise_of(request.user, reference)
    return file_response(request, selectors.document_version(enterprise, pk, number))

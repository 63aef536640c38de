"""An enterprise's typed, versioned documents. Files are served only through the download
view, to members, and every download is written to the export log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hkhz_portal.core.forms import call_service

from .. import selectors
from ..choices import DocumentType
from ..forms.documents import DocumentUploadForm, VersionUploadForm
from ..services import documents as services
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


@login_required
def document_list(request, reference):
    enterprise = selectors.enterprise_of(request.user, reference)
    return _render_documents(request, enterprise, DocumentUploadForm())


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request, reference):
    """A member uploads a new document, or (with ``document``) a new version of one.

    GET only leads back to the list: it is where the consent page returns to after a refused upload.
    """
    enterprise = selectors.enterprise_of(request.user, reference)
    if request.method == "GET":
        return redirect("document_list", reference=reference)
    document = None
    request.FILES  # noqa: B018 - parse the body first: the upload handler marks an oversize upload while it does
    refused = getattr(request, "upload_refused", None)
    if request.POST.get("document"):
        try:
            document = selectors.document(enterprise, int(request.POST["document"]))
        except ValueError as exc:
            raise Http404 from exc
        form = _version_form(document, request.POST, request.FILES, upload_refused=refused)
    else:
        form = DocumentUploadForm(request.POST, request.FILES, upload_refused=refused)
    if form.is_valid():
        data = form.cleaned_data
        details = {"document": document} if document else {"doc_type": data["doc_type"], "title": data["title"]}
        version = call_service(
            form,
            lambda: services.upload_document(enterprise, data["file"], actor=request.user, **details),
            default_field="file",
        )
        if version is not None:
            messages.success(
                request,
                _("“%(title)s” version %(number)s was uploaded.")
                % {"title": version.document.title, "number": version.number},
            )
            # Land on the document just uploaded (the form's own #fragment would otherwise carry over).
            return redirect(reverse("document_list", args=[reference]) + f"#document-{version.document_id}")
    if document is None:
        return _render_documents(request, enterprise, form)
    return _render_documents(request, enterprise, DocumentUploadForm(), failed={document.pk: form})


@never_cache
@login_required
@require_GET
def document_download(request, reference, pk, number):
    """Members download any version, as an attachment under its original name; logged as an export."""
    enterprise = selectors.enterprise_of(request.user, reference)
    version = selectors.document_version(enterprise, pk, number)
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file of this document is missing.")) from exc
    services.record_download(version, actor=request.user)
    response = FileResponse(
        handle, as_attachment=True, filename=version.original_name, content_type=version.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""The officer's exports of a call: ask for one, watch it being built, download it.

Officers of another unit get 404 for the call and its exports (``selectors.unit_call``,
``selectors.unit_export``); anyone who is not a program officer gets 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hkhz_portal.core.forms import call_service

from .. import selectors
from ..choices import ExportStatus
from ..forms.exports import ExportForm
from ..services import exports as services
from .staff import _require_officer

#: Exports in these states are still being built: the list asks for itself again every second.
PENDING = (ExportStatus.QUEUED, ExportStatus.RUNNING)
#: Each state's badge, in the colours the portal's other statuses use.
STATUS_CLASSES = {
    ExportStatus.QUEUED: "status-planned",
    ExportStatus.RUNNING: "status-submitted",
    ExportStatus.DONE: "status-approved",
    ExportStatus.FAILED: "status-rejected",
}


def _exports(call) -> list:
    exports = list(selectors.call_exports(call))
    for export in exports:
        export.status_class = STATUS_CLASSES[export.status]
        # The badge names the progress bar beside it.
        export.status_id = f"export-{export.pk}-status"
        export.pending = export.status in PENDING
    return exports


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def call_exports(request, slug):
    """The call's exports with a form to ask for another; htmx's polling gets the list alone."""
    _require_officer(request.user)
    call = selectors.unit_call(request.user, slug)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        requested = call_service(
            form,
            lambda: services.request_export(actor=request.user, call=call, format=form.cleaned_data["format"]),
        )
        if requested is not None:
            messages.success(request, _("Export requested: it is being prepared, and this page shows its progress."))
            return redirect("programs:staff_exports", slug=slug)
    exports = _exports(call)
    context = {"call": call, "form": form, "exports": exports, "polling": any(e.pending for e in exports)}
    if request.htmx:
        return render(request, "programs/staff/_exports.html", context)
    return render(request, "programs/staff/exports.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_GET
def download_export(request, slug, pk):
    """A finished export as an attachment named after its call and day; each download is logged."""
    _require_officer(request.user)
    export = selectors.unit_export(request.user, slug, pk)
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file of this export is missing.")) from exc
    services.record_download(actor=request.user, export=export)
    day = timezone.localtime(export.finished_at)
    response = FileResponse(handle, as_attachment=True, filename=f"{export.call.slug}-{day:%Y%m%d}.{export.format}")
    response["X-Content-Type-Options"] = "nosniff"
    return response

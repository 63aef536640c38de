"""Staff pages: the enterprise directory and a read-only view of one enterprise."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hkhz_portal.core.pagination import page_query

from .. import selectors
from ..choices import ExportKind, HangzhouDistrict, Kind, Residency, Sector, Stage
from ..forms.directory import DirectorySearchForm
from ..regulatory import track_summary
from ..services import consent
from .documents import file_response

LABELLED = {"kind": Kind, "sector": Sector, "district": HangzhouDistrict, "stage": Stage, "data_residency": Residency}


def _with_labels(enterprises) -> list:
    """Attach each choice field's label as ``<field>_label``, translating every choice once per
    request: ``get_<field>_display`` per row rebuilds and translates the whole choice list."""
    labels = {field: {value: str(label) for value, label in choices.choices} for field, choices in LABELLED.items()}
    rows = list(enterprises)
    for enterprise in rows:
        for field, names in labels.items():
            setattr(enterprise, f"{field}_label", names.get(getattr(enterprise, field), ""))
    return rows


def _require_directory_staff(user):
    if not user.has_perm("enterprises.view_directory"):
        raise PermissionDenied


@login_required
def directory(request):
    """Search and filter every enterprise. Its query count does not depend on the page size: the
    row template reads only the selected columns and labels from choices."""
    _require_directory_staff(request.user)
    form = DirectorySearchForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # invalid parts fall back to defaults; their errors are shown on the form
    filters = form.filters()
    page = Paginator(selectors.directory(**filters), form.page_size()).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/directory.html",
        {
            "form": form,
            "page": page,
            "rows": _with_labels(page.object_list),
            "query": page_query(request),
            "searching": any(filters.values()),
        },
    )


@login_required
def staff_enterprise_detail(request, reference):
    """Read-only profile for directory staff, with its members and documents. Showing contact
    persons and members is an export of personal data, so it is logged; details of a contact
    without a current cross-border consent are withheld, and members are shown by name and role
    only (contact persons, who consented, are whom staff write to)."""
    _require_directory_staff(request.user)
    enterprise = selectors.staff_enterprise(reference)
    contacts = list(enterprise.contacts.all())
    if contacts or enterprise.member_list:
        shown = sum(1 for contact in contacts if contact.has_consent)
        consent.log_export(
            kind=ExportKind.STAFF_VIEW,
            actor=request.user,
            enterprise=enterprise,
            description=(
                f"Staff view of {enterprise.reference}: {len(contacts)} contact person(s), "
                f"{shown} with contact details shown; {len(enterprise.member_list)} member name(s)"
            ),
        )
    products = [(product, track_summary(product.milestones.all())) for product in enterprise.products.all()]
    documents = [
        {"document": document, "current": versions[0], "count": len(versions)}
        for document in enterprise.current_documents
        if (versions := list(document.versions.all()))
    ]
    return render(
        request,
        "enterprises/staff_detail.html",
        {
            "enterprise": enterprise,
            "contacts": contacts,
            "products": products,
            "members": enterprise.member_list,
            "documents": documents,
        },
    )


@never_cache
@login_required
@require_GET
def staff_document_download(request, reference, pk, number):
    """Directory staff download a document's version; logged as an export, as members' downloads are."""
    _require_directory_staff(request.user)
    return file_response(request, selectors.staff_document_version(reference, pk, number))

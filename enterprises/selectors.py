"""Reads shared by pages and the API, shaped so their query count does not grow with size."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from .choices import DocumentType, Jurisdiction, Kind, MemberRole, Pathway
from .models import Document, DocumentVersion, Enterprise, Membership, Product


def enterprises_of(user) -> QuerySet[Enterprise]:
    """The enterprises the user is a member of."""
    return Enterprise.objects.filter(memberships__user=user)


def enterprise_of(user, reference: str) -> Enterprise:
    """One of the user's enterprises; anyone else's is 404, so its existence does not leak."""
    return get_object_or_404(enterprises_of(user), reference=reference)


def membership_of(user, enterprise: Enterprise) -> Membership | None:
    return enterprise.memberships.filter(user=user).first()


def members(enterprise: Enterprise) -> QuerySet[Membership]:
    return enterprise.memberships.select_related("user").order_by("role", "user__full_name")


def owners_count(enterprise: Enterprise) -> int:
    return enterprise.memberships.filter(role=MemberRole.OWNER).count()


def documents(enterprise: Enterprise) -> QuerySet[Document]:
    """Documents with all their versions (newest first) in two queries."""
    return enterprise.documents.prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"))
    )


def products(enterprise: Enterprise) -> QuerySet[Product]:
    return enterprise.products.prefetch_related("milestones")


DIRECTORY_FIELDS = (
    "reference",
    "legal_name_en",
    "legal_name_zh",
    "short_name",
    "kind",
    "uscc",
    "hk_br",
    "district",
    "sector",
    "stage",
    "data_residency",
)


def directory(*, q: str = "", sector="", district="", stage="", kind="") -> QuerySet[Enterprise]:
    """Staff's enterprise directory: search names in either language, USCC or BR; filter by facets."""
    qs = Enterprise.objects.only(*DIRECTORY_FIELDS).order_by("legal_name_en", "pk")
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(legal_name_en__icontains=q)
            | Q(legal_name_zh__icontains=q)
            | Q(short_name__icontains=q)
            | Q(uscc=q.upper())
            | Q(hk_br=q)
        )
    for field, value in (("sector", sector), ("district", district), ("stage", stage), ("kind", kind)):
        if value:
            qs = qs.filter(**{field: value})
    return qs


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list


def completeness(enterprise: Enterprise) -> Completeness:
    """What share of what an application needs is filled in, and what is missing.

    Needs the enterprise's documents prefetched or costs one query for them.
    """
    identifier = {Kind.MAINLAND: ("uscc", _("Unified Social Credit Code")), Kind.HONG_KONG: ("hk_br", _("BR number"))}
    checks = [
        (_("Legal name (English)"), bool(enterprise.legal_name_en)),
        (_("Legal name (Chinese)"), bool(enterprise.legal_name_zh)),
        (_("Registered address"), bool(enterprise.registered_address)),
        (_("Founding date"), enterprise.founded_on is not None),
        (_("Stage"), bool(enterprise.stage)),
        (_("Headcount"), bool(enterprise.headcount)),
        (_("Annual revenue"), enterprise.annual_revenue is not None),
        (_("Annual R&D spend"), enterprise.rd_spend is not None),
        (_("Website"), bool(enterprise.website)),
        (_("Description (English)"), bool(enterprise.description_en)),
        (_("Description (Chinese)"), bool(enterprise.description_zh)),
    ]
    if enterprise.kind in identifier:
        field, label = identifier[enterprise.kind]
        checks.append((label, bool(getattr(enterprise, field))))
    if enterprise.kind == Kind.MAINLAND:
        checks.append((_("District"), bool(enterprise.district)))
    doc_types = {d.doc_type for d in enterprise.documents.all()}
    checks.append((_("Business licence document"), DocumentType.BUSINESS_LICENCE in doc_types))
    checks.append((_("Articles of association document"), DocumentType.ARTICLES in doc_types))
    filled = sum(1 for _label, ok in checks if ok)
    return Completeness(percent=round(100 * filled / len(checks)), missing=[label for label, ok in checks if not ok])


@dataclass(frozen=True)
class TrackRow:
    pathway: str
    label: str
    cells: list  # one list of milestones per jurisdiction column


def side_by_side(product: Product, columns=(Jurisdiction.NMPA, Jurisdiction.FDA)) -> tuple[list, list[TrackRow]]:
    """Rows per pathway stage, a column per jurisdiction: NMPA and FDA first, then any other
    jurisdiction the product has milestones in. Uses the product's prefetched milestones."""
    milestones = list(product.milestones.all())
    used = {m.jurisdiction for m in milestones}
    jurisdictions = list(columns) + [j for j in Jurisdiction if j in used and j not in columns]
    rows = []
    for pathway in Pathway:
        cells = [[m for m in milestones if m.pathway == pathway and m.jurisdiction == j] for j in jurisdictions]
        if any(cells):
            rows.append(TrackRow(pathway=pathway.value, label=pathway.label, cells=cells))
    header = [Jurisdiction(j).label for j in jurisdictions]
    return header, rows

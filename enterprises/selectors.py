"""Reads shared by pages and the API, shaped so their query count does not grow with size."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Jurisdiction, MilestoneStatus, Pathway
from .completeness import Completeness, completeness
from .identifiers import normalize_hk_br
from .models import (
    Consent,
    ConsentNotice,
    ContactPerson,
    Document,
    DocumentVersion,
    Enterprise,
    Invitation,
    Membership,
    Milestone,
    Product,
    WizardSubmission,
)


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
            | Q(hk_br=normalize_hk_br(q))
        )
    for field, value in (("sector", sector), ("district", district), ("stage", stage), ("kind", kind)):
        if value:
            qs = qs.filter(**{field: value})
    return qs


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


# --- Members and documents pages ----------------------------------------------------------


def member(enterprise: Enterprise, pk: int) -> Membership:
    """One membership of the enterprise; another enterprise's is 404."""
    return get_object_or_404(enterprise.memberships.select_related("user"), pk=pk)


def open_invitations(enterprise: Enterprise) -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked (expired ones included: an owner may revoke them)."""
    return enterprise.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related("invited_by")


def invitation(enterprise: Enterprise, pk: int) -> Invitation:
    return get_object_or_404(enterprise.invitations.select_related("enterprise"), pk=pk)


def document(enterprise: Enterprise, pk: int) -> Document:
    return get_object_or_404(enterprise.documents, pk=pk)


def document_version(enterprise: Enterprise, pk: int, number: int) -> DocumentVersion:
    """Version ``number`` of one of the enterprise's documents; anything else is 404."""
    return get_object_or_404(
        DocumentVersion.objects.select_related("document__enterprise"),
        document__enterprise=enterprise,
        document_id=pk,
        number=number,
    )


# --- Profile, contacts and consent pages ----------------------------------------------------


@dataclass(frozen=True)
class EnterpriseSummary:
    enterprise: Enterprise
    role: str
    completeness: Completeness


def enterprise_summaries(user) -> list[EnterpriseSummary]:
    """The user's enterprises with their role in each and profile completeness, in two queries
    (enterprises with the user's membership role, then their documents' types)."""
    qs = (
        Enterprise.objects.filter(memberships__user=user)
        .annotate(my_role=F("memberships__role"))
        .prefetch_related(Prefetch("documents", queryset=Document.objects.only("id", "enterprise_id", "doc_type")))
        .order_by("legal_name_en", "pk")
    )
    return [EnterpriseSummary(enterprise=e, role=e.my_role, completeness=completeness(e)) for e in qs]


def contact_persons(enterprise: Enterprise) -> QuerySet[ContactPerson]:
    """The profile's contact persons with their consents (newest first) in two queries."""
    return enterprise.contacts.prefetch_related(
        Prefetch("consents", queryset=Consent.objects.select_related("notice").order_by("-given_at"))
    )


def contact_person(enterprise: Enterprise, pk: int) -> ContactPerson:
    """One contact person of the enterprise; another enterprise's is 404."""
    return get_object_or_404(enterprise.contacts.select_related("enterprise"), pk=pk)


def published_notices() -> QuerySet[ConsentNotice]:
    """Notices already published, newest first: one dated in the future does not count yet.

    The first is the current notice, for a page (``current_notice``) and inside a query alike
    (``staff_enterprise``), so a notice scheduled ahead changes nothing anywhere until its day.
    """
    return ConsentNotice.objects.filter(published_at__lte=timezone.now()).order_by("-published_at", "-pk")


def current_notice() -> ConsentNotice:
    """The notice in force: the newest one already published."""
    return published_notices()[:1].get()


def active_consent(user) -> Consent | None:
    """The user's consent to the current notice, unless withdrawn."""
    return (
        Consent.objects.filter(user=user, notice=current_notice(), withdrawn_at__isnull=True)
        .select_related("notice")
        .first()
    )


def submitted_enterprise(user, token: str) -> Enterprise | None:
    """The enterprise the user created with this run of the create wizard, if it is done."""
    if not token:
        return None
    submission = (
        WizardSubmission.objects.filter(token=token, actor=user, enterprise__isnull=False)
        .select_related("enterprise")
        .first()
    )
    return submission.enterprise if submission else None


def consent_history(user) -> QuerySet[Consent]:
    """Every consent the user gave, newest first, with the notice version."""
    return Consent.objects.filter(user=user).select_related("notice").order_by("-given_at")


# --- Products, milestones and the staff directory -----------------------------------------


def product(enterprise: Enterprise, pk: int) -> Product:
    """One of the enterprise's products with its milestones prefetched; another enterprise's is 404."""
    return get_object_or_404(products(enterprise), pk=pk)


def milestones(enterprise: Enterprise) -> QuerySet:
    """Every milestone of the enterprise's products, each with its product, in one query."""
    return Milestone.objects.filter(product__enterprise=enterprise).select_related("product")


def milestone(product: Product, pk: int):
    """One milestone of the product; any other is 404."""
    return get_object_or_404(product.milestones, pk=pk)


@dataclass(frozen=True)
class TrackSummary:
    jurisdiction: str
    label: str
    milestone: object  # a Milestone, or None when nothing is recorded on this track


def track_summary(product: Product, jurisdictions=(Jurisdiction.NMPA, Jurisdiction.FDA)) -> list[TrackSummary]:
    """Where the product stands on each track: its latest milestone that has happened, else the
    next one planned. Uses the product's prefetched milestones (no query)."""
    order = {p.value: i for i, p in enumerate(Pathway)}
    summary = []
    for jurisdiction in jurisdictions:
        track = [m for m in product.milestones.all() if m.jurisdiction == jurisdiction]
        happened = [m for m in track if m.status != MilestoneStatus.PLANNED]
        if happened:
            pick = max(happened, key=lambda m: (m.actual_on or m.planned_on or datetime.date.min, order[m.pathway]))
        elif track:
            pick = min(track, key=lambda m: (m.planned_on or datetime.date.max, order[m.pathway]))
        else:
            pick = None
        summary.append(TrackSummary(jurisdiction, Jurisdiction(jurisdiction).label, pick))
    return summary


@dataclass(frozen=True)
class Clock:
    due_on: object  # datetime.date
    note: str


#: Regulators' clocks of fixed length that start when the filing is made: (days, working days only?, note).
CLOCKS = {
    (Jurisdiction.FDA, Pathway.IND): (30, False, _("may proceed from this day unless on clinical hold")),
    (Jurisdiction.NMPA, Pathway.IND): (
        60,
        True,
        _("implied approval expected about this day (60 working days; public holidays not counted)"),
    ),
}


def regulatory_clock(milestone) -> Clock | None:
    """When a running regulator's clock on a filed milestone runs out, where the clock has a fixed length."""
    rule = CLOCKS.get((milestone.jurisdiction, milestone.pathway))
    if rule is None or not milestone.actual_on:
        return None
    if milestone.status not in (MilestoneStatus.SUBMITTED, MilestoneStatus.ACCEPTED):
        return None
    days, working_days_only, note = rule
    if not working_days_only:
        return Clock(milestone.actual_on + datetime.timedelta(days=days), note)
    day, counted = milestone.actual_on, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return Clock(day, note)


def staff_enterprise(reference: str) -> Enterprise:
    """An enterprise as directory staff see it, in a fixed number of queries: contact persons (each
    with ``has_consent``: a current, unwithdrawn cross-border consent) and products with milestones.

    Callers check ``enterprises.view_directory`` first. A reference that does not exist is 404.
    """
    in_force = published_notices().values("pk")[:1]
    consented = Consent.objects.filter(contact=OuterRef("pk"), withdrawn_at__isnull=True, notice=in_force)
    return get_object_or_404(
        Enterprise.objects.prefetch_related(
            Prefetch("contacts", queryset=ContactPerson.objects.annotate(has_consent=Exists(consented))),
            Prefetch("products", queryset=Product.objects.prefetch_related("milestones")),
        ),
        reference=reference,
    )

"""Reads shared by pages and the API, shaped so their query count does not grow with size."""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.search import normalise_text

from .completeness import Completeness, completeness
from .identifiers import normalize_hk_br, normalize_uscc
from .invitations import invitation_from_token, refuse_unusable
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


def is_member(user, enterprise_id) -> bool:
    """Whether ``user`` is a member (or owner) of the enterprise ``enterprise_id``."""
    return user.is_authenticated and Membership.objects.filter(enterprise_id=enterprise_id, user=user).exists()


def membership_of(user, enterprise: Enterprise) -> Membership | None:
    return enterprise.memberships.filter(user=user).first()


def members(enterprise: Enterprise) -> QuerySet[Membership]:
    return enterprise.memberships.select_related("user").order_by("role", "user__full_name")


def _with_versions(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"))
    )


def documents(enterprise: Enterprise) -> QuerySet[Document]:
    """Documents not withdrawn, with all their versions (newest first), in two queries."""
    return _with_versions(enterprise.documents.current())


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


#: A portal reference once whitespace and hyphens are gone: ENT-2026-00041 typed as "ent 2026 00041".
_COMPACT_REFERENCE = re.compile(r"ENT([0-9]{4})([0-9]{5,})")


def directory(*, q: str = "", sector="", district="", stage="", kind="") -> QuerySet[Enterprise]:
    """Staff's enterprise directory: search names in either language and either Chinese script,
    the portal reference, USCC or BR, however spaced, hyphenated or cased; filter by facets."""
    qs = Enterprise.objects.only(*DIRECTORY_FIELDS).order_by("legal_name_en", "pk")
    q = q.strip()
    if q:
        # Without whitespace or hyphens, upper-cased: how identifiers and references are stored.
        compact = normalize_uscc(q)
        match = (
            Q(search_names__contains=normalise_text(q)) | Q(uscc=compact) | Q(hk_br__in={compact, normalize_hk_br(q)})
        )
        if reference := _COMPACT_REFERENCE.fullmatch(compact):
            match |= Q(reference=f"ENT-{reference[1]}-{reference[2]}")
        qs = qs.filter(match)
    for field, value in (("sector", sector), ("district", district), ("stage", stage), ("kind", kind)):
        if value:
            qs = qs.filter(**{field: value})
    return qs


# --- Members and documents pages ----------------------------------------------------------


def member(enterprise: Enterprise, pk: int) -> Membership:
    """One membership of the enterprise; another enterprise's is 404."""
    return get_object_or_404(enterprise.memberships.select_related("user"), pk=pk)


def open_invitations(enterprise: Enterprise) -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked (expired ones included: an owner may revoke them)."""
    return enterprise.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related("invited_by")


def invitation(enterprise: Enterprise, pk: int) -> Invitation:
    return get_object_or_404(enterprise.invitations.select_related("enterprise"), pk=pk)


def usable_invitation(token: str, user=None) -> Invitation:
    """The invitation a link points to, if it can still be accepted (by ``user``, when given).

    For the page that shows an invitation before it is accepted; raises the same DomainError
    ``accept_invitation`` would (tampered links with status 404).
    """
    invitation = invitation_from_token(token)
    refuse_unusable(invitation, user)
    return invitation


def document(enterprise: Enterprise, pk: int) -> Document:
    """One of the enterprise's documents; a withdrawn one, or another enterprise's, is 404."""
    return get_object_or_404(enterprise.documents.current(), pk=pk)


def document_version(enterprise: Enterprise, pk: int, number: int) -> DocumentVersion:
    """Version ``number`` of one of the enterprise's documents not withdrawn; anything else is 404."""
    return get_object_or_404(
        DocumentVersion.objects.select_related("document__enterprise"),
        document__enterprise=enterprise,
        document__withdrawn_at__isnull=True,
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
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.only("id", "enterprise_id", "doc_type", "withdrawn_at"))
        )
        .order_by("legal_name_en", "pk")
    )
    return [EnterpriseSummary(enterprise=e, role=e.my_role, completeness=completeness(e)) for e in qs]


def dashboard_panel(user) -> dict | None:
    """The dashboard's "Your enterprises" panel (registered in ``EnterprisesConfig.ready``):
    an applicant's enterprises in two queries however many they have; no panel for anyone else."""
    if not user.has_role(Role.APPLICANT):
        return None
    return {"summaries": enterprise_summaries(user)}


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


def with_consent_flag(contacts: QuerySet[ContactPerson]) -> QuerySet[ContactPerson]:
    """Each contact person with ``has_consent``: a current, unwithdrawn consent to the notice in
    force (the newest already published). Staff see a contact's details only when it is true."""
    in_force = published_notices().values("pk")[:1]
    consented = Consent.objects.filter(contact=OuterRef("pk"), withdrawn_at__isnull=True, notice=in_force)
    return contacts.annotate(has_consent=Exists(consented))


def staff_enterprise(reference: str) -> Enterprise:
    """An enterprise as directory staff see it, in a fixed number of queries: contact persons (each
    with ``has_consent``: a current, unwithdrawn cross-border consent), products with milestones,
    members with their user (``member_list``, owners first: "owner" sorts after "member") and
    documents not withdrawn with their versions (``current_documents``, newest version first).

    Callers check ``enterprises.view_directory`` first. A reference that does not exist is 404.
    """
    return get_object_or_404(
        Enterprise.objects.prefetch_related(
            Prefetch("contacts", queryset=with_consent_flag(ContactPerson.objects.all())),
            Prefetch("products", queryset=Product.objects.prefetch_related("milestones")),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user").order_by("-role", "user__full_name", "pk"),
                to_attr="member_list",
            ),
            Prefetch("documents", queryset=_with_versions(Document.objects.current()), to_attr="current_documents"),
        ),
        reference=reference,
    )


def staff_document_version(reference: str, pk: int, number: int) -> DocumentVersion:
    """A version of any enterprise's document not withdrawn, for directory staff (callers check
    ``enterprises.view_directory``); anything else is 404."""
    return get_object_or_404(
        DocumentVersion.objects.select_related("document__enterprise"),
        document__enterprise__reference=reference,
        document__withdrawn_at__isnull=True,
        document_id=pk,
        number=number,
    )


# --- Invitation mail ----------------------------------------------------------------------

#: An unsent invitation younger than this may still have its first task waiting in the queue.
STRANDED_AFTER = datetime.timedelta(minutes=5)


def sendable_invitations(now: datetime.datetime) -> Q:
    """Open, neither sent nor given up, and no live worker sending it (a claim older than
    ``INVITATION_CLAIM_TIMEOUT`` was left by a worker that died)."""
    abandoned = now - datetime.timedelta(seconds=settings.INVITATION_CLAIM_TIMEOUT)
    return Q(accepted_at__isnull=True, revoked_at__isnull=True, sent_at__isnull=True, failed_at__isnull=True) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=abandoned)
    )


def stranded_invitation_ids(limit: int = 500) -> list[int]:
    """Invitations whose mail should have gone out and that no task is sending: never
    enqueued (the broker was down), or claimed by a worker that died. For the sweep."""
    now = timezone.now()
    stranded = Invitation.objects.filter(sendable_invitations(now), created_at__lt=now - STRANDED_AFTER)
    return list(stranded.order_by("created_at").values_list("pk", flat=True)[:limit])

"""Choosing reviewers for an application: who may review it, and who should.

``conflicts`` finds who may not (a conflict of interest, declared or detected);
``choose`` picks, from those who may, the least loaded first and, between equally loaded
reviewers, those whose expertise matches the application's sector. Picking the least loaded
each time keeps the panel's open loads within one of each other wherever conflicts allow.
The service (``services.reviews.assign_reviewers``) reads the panel and its loads, and writes
the assignments.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.search import NAME_SEPARATOR, normalise_names

#: Domains of public mail services: sharing one says nothing about who someone works for.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "126.com",
        "163.com",
        "139.com",
        "aliyun.com",
        "foxmail.com",
        "gmail.com",
        "hotmail.com",
        "icloud.com",
        "live.com",
        "msn.com",
        "netvigator.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "sina.com",
        "sohu.com",
        "yahoo.com",
        "yahoo.com.hk",
        "yeah.net",
    }
)

#: Why a reviewer may not review an enterprise's application, by code.
CONFLICT_REASONS = {
    "member": _("is a member of the enterprise"),
    "mail_domain": _("shares the enterprise's e-mail domain"),
    "declared_enterprise": _("declared a conflict with the enterprise before"),
    "declared_organisation": _("named an organisation tied to the enterprise"),
}


@dataclass(frozen=True)
class Candidate:
    reviewer_id: int
    #: Open assignments (not yet submitted) across every call.
    load: int
    sectors: frozenset


def choose(candidates, *, sector: str, needed: int) -> list[Candidate]:
    """Up to ``needed`` candidates: the least loaded, then matching expertise, then the longest
    on the panel (the lowest id), so the choice is the same every time it is made."""
    ranked = sorted(candidates, key=lambda c: (c.load, sector not in c.sectors, c.reviewer_id))
    return ranked[: max(needed, 0)]


def mail_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def conflicts(reviewers, enterprise) -> dict[int, str]:
    """``{reviewer id: reason code}`` for the ``reviewers`` (users) who may not review
    ``enterprise``: its members, those sharing a non-public e-mail domain with its members or its
    website, those who declared a conflict with it, and those who named an organisation whose
    name is within one of its names (as searched: across scripts, case and spacing)."""
    from enterprises.models import HongKongEntity, Membership

    from .models import ConflictDeclaration

    by_id = {r.pk: r for r in reviewers}
    found: dict[int, str] = {}
    members = set(Membership.objects.filter(enterprise=enterprise, user_id__in=by_id).values_list("user_id", flat=True))
    found.update(dict.fromkeys(members, "member"))
    domains = {mail_domain(e) for e in enterprise.memberships.values_list("user__email", flat=True)}
    if enterprise.website:
        host = enterprise.website.split("//", 1)[-1].split("/", 1)[0].lower().removeprefix("www.")
        domains.add(host)
    domains -= PUBLIC_MAIL_DOMAINS | {""}
    for pk, reviewer in by_id.items():
        if pk not in found and mail_domain(reviewer.email) in domains:
            found[pk] = "mail_domain"
    hk_names = HongKongEntity.objects.filter(enterprise=enterprise).values_list("name", flat=True)
    names = NAME_SEPARATOR.join([enterprise.search_names, normalise_names(*hk_names)])
    declared = ConflictDeclaration.objects.filter(
        Q(enterprise=enterprise) | ~Q(organisation_key=""), reviewer_id__in=set(by_id) - set(found)
    ).values_list("reviewer_id", "enterprise_id", "organisation_key")
    for reviewer_id, enterprise_id, key in declared:
        if enterprise_id == enterprise.pk:
            found[reviewer_id] = "declared_enterprise"
        elif key in names and reviewer_id not in found:
            found[reviewer_id] = "declared_organisation"
    return found


def loads(reviewer_ids) -> dict[int, int]:
    """Each reviewer's open assignments (waiting for a declaration or being reviewed), in one query."""
    from django.db.models import Count

    from .choices import OWED_ASSIGNMENTS
    from .models import ReviewAssignment

    counts = defaultdict(int)
    rows = (
        ReviewAssignment.objects.filter(reviewer_id__in=reviewer_ids, status__in=OWED_ASSIGNMENTS)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )
    counts.update(dict(rows))
    return counts

"""Reads for partner organisations: the enterprise directory and the grants of data sharing.

Whether an enterprise was admitted to the Park is the programs app's to know, and this app does
not import it: programs registers the expression that says so (``register_admission`` in
``ProgramsConfig.ready()``), as apps register into the project package.
"""

from collections.abc import Callable

from django.db.models import BooleanField, Expression, QuerySet, Value
from django.shortcuts import get_object_or_404

from hkhz_portal.accounts.models import PartnerOrganisation

from .models import DataSharing, Enterprise

#: The directory's public columns, read with ``values()``: nothing else of a profile leaves.
DIRECTORY_COLUMNS = (
    "reference",
    "legal_name_en",
    "legal_name_zh",
    "short_name",
    "sector",
    "district",
    "stage",
    "description_en",
    "description_zh",
    "founded_on",
)

_admitted: Callable[[], Expression] | None = None


def register_admission(expression: Callable[[], Expression]) -> None:
    """``expression()`` is a boolean expression over an enterprise (``OuterRef("pk")``) that is
    true once it was admitted to the Park; without one, no enterprise counts as admitted."""
    global _admitted
    _admitted = expression


def admitted_expression() -> Expression:
    return _admitted() if _admitted is not None else Value(False, output_field=BooleanField())


def directory() -> QuerySet:
    """The enterprises listed in the directory, as rows of their public columns and ``admitted``,
    in one query whatever the page size."""
    return (
        Enterprise.objects.filter(listed_in_directory=True)
        .annotate(admitted=admitted_expression())
        .values(*DIRECTORY_COLUMNS, "admitted")
    )


def shared_enterprise_ids(organisation) -> QuerySet:
    """Ids of the enterprises that currently share their applications with ``organisation``,
    as a subquery."""
    return DataSharing.objects.filter(organisation=organisation, revoked_at__isnull=True).values("enterprise_id")


def sharing_organisation_ids(enterprise_id: int) -> QuerySet:
    """Ids of the organisations ``enterprise_id`` currently shares its applications with (who may
    hear of them by webhook)."""
    return DataSharing.objects.filter(enterprise_id=enterprise_id, revoked_at__isnull=True).values_list(
        "organisation_id", flat=True
    )


def sharing_choices(enterprise: Enterprise) -> list[dict]:
    """Every partner organisation with the enterprise's active grant to it (or None), for the
    profile's sharing section, in two queries."""
    active = {
        s.organisation_id: s
        for s in enterprise.data_sharings.filter(revoked_at__isnull=True).select_related("granted_by")
    }
    return [
        {"organisation": organisation, "sharing": active.get(organisation.pk)}
        for organisation in PartnerOrganisation.objects.order_by("name_en", "pk")
    ]


def partner_organisation(code: str) -> PartnerOrganisation:
    return get_object_or_404(PartnerOrganisation, code=code)

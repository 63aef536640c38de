"""Reads of accounts that pages share: a partner organisation's keys and its dashboard panel."""

from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import APIKey
from .roles import Role

#: An active key expiring sooner than this is pointed out on the partner's dashboard.
EXPIRY_WARNING = timedelta(days=30)


def organisation_keys(organisation):
    """Every key of ``organisation``, newest first, with who made and who revoked it."""
    return APIKey.objects.filter(organisation=organisation).select_related("created_by", "revoked_by")


def partner_dashboard_panel(user) -> dict | None:
    """The partner's "API access" panel: the organisation, its active keys and the soonest
    expiry among them, in two queries; none for anyone who is not a partner of an organisation."""
    if not user.has_role(Role.PARTNER) or user.partner_organisation_id is None:
        return None
    now = timezone.now()
    active = Q(revoked_at__isnull=True, expires_at__gt=now)
    counts = APIKey.objects.filter(organisation_id=user.partner_organisation_id).aggregate(
        active=Count("id", filter=active), next_expiry=Min("expires_at", filter=active)
    )
    expiring = counts["next_expiry"] is not None and counts["next_expiry"] < now + EXPIRY_WARNING
    return {
        "organisation": user.partner_organisation,
        "active": counts["active"],
        "next_expiry": counts["next_expiry"],
        "expiring_soon": expiring,
    }

"""Sharing an enterprise's applications with partner organisations (the partner API's
``applications:read``): an owner grants it to one organisation at a time and may revoke it."""

from django.db import transaction
from django.utils import timezone

from hkhz_portal.core import audit

from ..audit_actions import AuditAction
from ..models import DataSharing, Enterprise
from .consent import require_consent
from .members import _require_owner


def _active(enterprise: Enterprise, organisation) -> DataSharing | None:
    return DataSharing.objects.filter(enterprise=enterprise, organisation=organisation, revoked_at__isnull=True).first()


@transaction.atomic(durable=True)
def grant_sharing(enterprise: Enterprise, *, actor, organisation) -> DataSharing:
    """An owner lets ``organisation`` read the enterprise's submitted applications.

    The applications carry personal data (the team, the contact persons) to an outside
    organisation, which may sit across the border: like every submission of such data, it
    needs the owner's current cross-border consent. Granting again while active changes
    nothing: parallel grants wait for the enterprise's lock and find the first one's row
    (``sharing_one_active_per_pair`` backs this for any other path)."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    _require_owner(enterprise, actor)
    require_consent(actor)
    existing = _active(enterprise, organisation)
    if existing is not None:
        return existing
    sharing = DataSharing.objects.create(enterprise=enterprise, organisation=organisation, granted_by=actor)
    audit.record(
        AuditAction.SHARING_GRANTED, actor=actor, target=enterprise, changes={"organisation": organisation.code}
    )
    return sharing


@transaction.atomic(durable=True)
def revoke_sharing(enterprise: Enterprise, *, actor, organisation) -> bool:
    """An owner stops ``organisation`` reading the enterprise's applications, from its next
    request on. Needs no consent (stopping a transfer is never refused); revoking what is not
    shared changes nothing. Returns whether a grant was revoked."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    _require_owner(enterprise, actor)
    sharing = _active(enterprise, organisation)
    if sharing is None:
        return False
    sharing.revoked_at = timezone.now()
    sharing.revoked_by = actor
    sharing.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        AuditAction.SHARING_REVOKED, actor=actor, target=enterprise, changes={"organisation": organisation.code}
    )
    return True

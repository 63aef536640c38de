"""The investment committee's use cases."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..models import Condition
from ..selectors import is_fund_manager
from .deals import forbidden


@transaction.atomic(durable=True)
def mark_condition_met(*, actor, condition: Condition, note: str) -> Condition:
    """A manager marks a condition precedent met, saying how; once met, it stays met."""
    condition = Condition.objects.select_for_update().select_related("deal__fund").get(pk=condition.pk)
    if not is_fund_manager(actor, condition.deal.fund):
        raise forbidden()
    if condition.met_at is not None:
        raise DomainError(_("This condition is already met."), code="already_met", status=409)
    note = note.strip()
    if not note:
        raise DomainError(_("Say how the condition was met."), code="note_required", field="note")
    condition.met_at = timezone.now()
    condition.met_by = actor
    condition.met_note = note
    condition.save(update_fields=["met_at", "met_by", "met_note"])
    audit.record(AuditAction.CONDITION_MET, actor=actor, target=condition.deal, changes={"condition": condition.pk})
    return condition

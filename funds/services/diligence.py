"""Due diligence on a deal: its checklist items' owner, status and finding, a reviewer's
sign-off, and the documents of the deal's file (evidence of an item, when given one).

An item is signed off by a fund manager who is not its owner, and only once it is settled: done,
not applicable, or a red flag with its finding written. What was signed off is the item's status
and finding: changing either clears the sign-off, and so does giving the item to its reviewer
(nobody signs off their own work). Each change runs on the item's row locked with
``select_for_update``, so two managers acting at once are serialised; the second acts on what the
first left.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.uploads import validate_upload
from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..models import Deal, DealDocument, DiligenceItem, ItemStatus
from ..selectors import is_fund_manager
from .deals import forbidden, require_open

#: The statuses an item may be signed off in (a red flag only with its finding).
SETTLED = frozenset({ItemStatus.DONE, ItemStatus.NOT_APPLICABLE, ItemStatus.FLAGGED})


def _lock(item: DiligenceItem) -> DiligenceItem:
    return DiligenceItem.objects.select_for_update(of=("self",)).select_related("deal__fund").get(pk=item.pk)


def _check(actor, item: DiligenceItem) -> None:
    if not is_fund_manager(actor, item.deal.fund):
        raise forbidden()
    require_open(item.deal)


def _clear_sign_off(item: DiligenceItem) -> None:
    item.signed_off_by = None
    item.signed_off_at = None


@transaction.atomic(durable=True)
def update_item(*, actor, item: DiligenceItem, owner, status: str, finding: str) -> DiligenceItem:
    """A manager sets who owns the item (one of the fund's managers, or nobody), where it stands
    and what was found."""
    item = _lock(item)
    _check(actor, item)
    if owner is not None and not is_fund_manager(owner, item.deal.fund):
        raise DomainError(_("Choose one of the fund's managers."), code="not_a_manager", field="owner")
    if status not in ItemStatus.values:
        raise DomainError(_("Choose a status."), code="invalid_status", field="status")
    finding = finding.strip()
    if item.signed_off_at and (
        status != item.status or finding != item.finding or (owner is not None and owner.pk == item.signed_off_by_id)
    ):
        _clear_sign_off(item)
    changes = {"item": item.pk, "owner": owner.pk if owner else None, "status": status, "finding": bool(finding)}
    item.owner, item.status, item.finding = owner, status, finding
    item.save(update_fields=["owner", "status", "finding", "signed_off_by", "signed_off_at", "updated_at"])
    audit.record(AuditAction.CHECKLIST_ITEM, actor=actor, target=item.deal, changes=changes)
    return item


def sign_off_refusal(item: DiligenceItem, reviewer) -> str | None:
    """Why ``reviewer`` cannot sign ``item`` off now, or ``None``: the page hides the button for
    the same reasons the service refuses it."""
    if item.signed_off_at:
        return _("This item is signed off already.")
    if item.owner_id is not None and item.owner_id == reviewer.pk:
        return _("Someone other than the item's owner signs it off.")
    if item.status not in SETTLED:
        return _("Only an item that is done, not applicable or flagged can be signed off.")
    if item.status == ItemStatus.FLAGGED and not item.finding:
        return _("Write the finding of a red flag before it is signed off.")
    return None


@transaction.atomic(durable=True)
def sign_off(*, actor, item: DiligenceItem) -> DiligenceItem:
    """A manager other than the owner signs the settled item off."""
    item = _lock(item)
    _check(actor, item)
    reason = sign_off_refusal(item, actor)
    if reason:
        own = item.owner_id == actor.pk and not item.signed_off_at
        raise DomainError(reason, code="own_item" if own else "not_settled", status=403 if own else 409)
    item.signed_off_by = actor
    item.signed_off_at = timezone.now()
    item.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
    audit.record(AuditAction.CHECKLIST_SIGNED_OFF, actor=actor, target=item.deal, changes={"item": item.pk})
    return item


@transaction.atomic(durable=True)
def upload_documents(*, actor, deal: Deal, uploads, item: DiligenceItem | None = None) -> list[DealDocument]:
    """A manager adds documents to the deal's file, as evidence of ``item`` (one of the deal's
    checklist items) when given. Every file is checked before any is stored."""
    if not is_fund_manager(actor, deal.fund):
        raise forbidden()
    if item is not None and item.deal_id != deal.pk:
        raise DomainError(_("Choose an item of this deal's checklist."), code="not_this_deal", field="item")
    uploads = list(uploads)
    if not uploads:
        raise DomainError(_("Choose at least one file."), code="files_required", field="files")
    kinds = [validate_upload(upload) for upload in uploads]
    stored = []
    try:
        for upload, kind in zip(uploads, kinds, strict=True):
            document = DealDocument(
                deal=deal,
                item=item,
                original_name=upload.name[:255],
                content_type=kind.content_type,
                size=upload.size,
                uploaded_by=actor,
            )
            document.file.save(f"upload{kind.extension}", upload, save=False)
            stored.append(document)
        DealDocument.objects.bulk_create(stored)
    except Exception:
        for document in stored:
            document.file.storage.delete(document.file.name)
        raise
    audit.record(
        AuditAction.DEAL_DOCUMENT,
        actor=actor,
        target=deal,
        changes={"documents": [document.original_name for document in stored], "item": item.pk if item else None},
    )
    return stored

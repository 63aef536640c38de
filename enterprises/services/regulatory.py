"""Products and their regulatory milestones on every track (NMPA, FDA, EMA, ...)."""

from django.db import transaction

from hkhz_portal.core import audit

from ..audit_actions import AuditAction
from ..models import MILESTONE_FIELDS, Enterprise, Milestone, Product
from .consent import require_consent

PRODUCT_FIELDS = ("name", "modality")


@transaction.atomic(durable=True)
def save_product(enterprise: Enterprise, *, actor, product: Product | None = None, **data) -> Product:
    """A member adds a product, or renames/reclassifies one."""
    require_consent(actor)
    product = product or Product(enterprise=enterprise)
    for field in PRODUCT_FIELDS:
        if field in data:
            setattr(product, field, data[field])
    product.full_clean()
    product.save()
    audit.record(AuditAction.PRODUCT_SAVED, actor=actor, target=product, changes={f: str(data[f]) for f in data})
    return product


@transaction.atomic(durable=True)
def delete_product(product: Product, *, actor) -> None:
    """A member deletes a product and its milestones. Erasing data needs no transfer consent."""
    audit.record(AuditAction.PRODUCT_DELETED, actor=actor, target=product.enterprise, changes={"product": product.name})
    product.delete()


@transaction.atomic(durable=True)
def save_milestone(product: Product, *, actor, milestone: Milestone | None = None, **data) -> Milestone:
    """A member records or updates a milestone of one product."""
    require_consent(actor)
    milestone = milestone or Milestone(product=product)
    for field in MILESTONE_FIELDS:
        if field in data:
            setattr(milestone, field, data[field])
    milestone.full_clean()
    milestone.save()
    audit.record(
        AuditAction.MILESTONE_SAVED,
        actor=actor,
        target=product,
        changes={f: str(data[f]) for f in data if f in MILESTONE_FIELDS},
    )
    return milestone


@transaction.atomic(durable=True)
def delete_milestone(milestone: Milestone, *, actor) -> None:
    """A member deletes a milestone. Erasing data needs no transfer consent."""
    audit.record(
        AuditAction.MILESTONE_DELETED, actor=actor, target=milestone.product, changes={"milestone": str(milestone)}
    )
    milestone.delete()

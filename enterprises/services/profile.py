"""Creating and editing an enterprise profile."""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..choices import Kind, MemberRole, Residency
from ..identifiers import IDENTIFIERS
from ..models import DUPLICATE_MESSAGES, PROFILE_FIELDS, Enterprise, Membership, WizardSubmission
from .consent import require_consent


def residency_for(kind: str) -> str:
    """Mainland firms' data stays labelled mainland; Hong Kong and overseas firms' Hong Kong."""
    return Residency.MAINLAND if kind == Kind.MAINLAND else Residency.HONG_KONG


def normalise(data: dict) -> dict:
    """Only the profile's own fields, identifiers normalised; anything else is refused, so no
    caller can set the reference, the data residency or an attribute that is not a field."""
    unknown = set(data) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    data = dict(data)
    for field, (normalize, _validate) in IDENTIFIERS.items():
        if field in data:  # unique when present, so stored as NULL when absent
            data[field] = normalize(data[field]) or None
    return data


def _save(enterprise: Enterprise, **kwargs) -> None:
    """Validate everything (field validators, constraints, uniqueness) and save; a race on a
    unique identifier becomes the same field error a form shows, not a 500. Every create and
    edit passes here, so this is where the stored search form of the names is kept current."""
    enterprise.refresh_search_names()
    enterprise.full_clean(exclude=["reference"])
    try:
        with transaction.atomic():
            enterprise.save(**kwargs)
    except IntegrityError as exc:
        for field, message in DUPLICATE_MESSAGES.items():
            if field in str(exc):
                raise DomainError(message, code="duplicate_identifier", field=field) from exc
        raise


def _claim_submission(token: str, actor) -> tuple[WizardSubmission | None, Enterprise | None]:
    """Claim ``token`` for this call, or find the enterprise an earlier call created with it.

    The unique token makes a parallel claim wait for the first one's transaction: when that
    commits, the claim fails here and the enterprise it created is returned instead."""
    try:
        with transaction.atomic():
            return WizardSubmission.objects.create(token=token, actor=actor), None
    except IntegrityError:
        earlier = WizardSubmission.objects.filter(token=token, actor=actor, enterprise__isnull=False).first()
        if earlier is None:
            raise DomainError(
                _("This form was already sent. Start again to create another enterprise."), code="already_submitted"
            ) from None
        return None, earlier.enterprise


@transaction.atomic(durable=True)
def create_enterprise(*, actor, submission_token: str = "", **data) -> Enterprise:
    """An applicant or an admin (``actor``) creates an enterprise and becomes its first owner.

    Anyone else is refused (403, ``rules.CREATOR_ROLES``). Requires the user's current
    cross-border consent. Guarantees: identifiers normalised and valid, no duplicate identifier,
    a reference number ``ENT-<year>-<nnnnn>``, one owner. With a ``submission_token`` (one per
    run of the create wizard) it creates one enterprise per token: a repeat, even in parallel,
    returns the enterprise the first call created.
    """
    if not actor.has_perm("enterprises.create_enterprise"):
        raise DomainError(
            _("Only applicants can create an enterprise: your role cannot own one."),
            code="not_applicant",
            status=403,
        )
    require_consent(actor)
    data = normalise(data)
    claim = None
    if submission_token:
        claim, earlier = _claim_submission(submission_token, actor)
        if earlier is not None:
            return earlier
    enterprise = Enterprise(**data, data_residency=residency_for(data["kind"]))
    enterprise.reference = f"NEW-{uuid.uuid4().hex[:16]}"  # unique until the row has its number
    _save(enterprise)
    enterprise.reference = f"ENT-{timezone.localtime(enterprise.created_at):%Y}-{enterprise.pk:05d}"
    enterprise.save(update_fields=["reference"])
    Membership.objects.create(enterprise=enterprise, user=actor, role=MemberRole.OWNER)
    if claim is not None:
        claim.enterprise = enterprise
        claim.save(update_fields=["enterprise"])
    audit.record(AuditAction.CREATED, actor=actor, target=enterprise, changes={"reference": enterprise.reference})
    return enterprise


@transaction.atomic(durable=True)
def update_enterprise(enterprise: Enterprise, *, actor, **changes) -> Enterprise:
    """A member edits the profile's own fields (``PROFILE_FIELDS``). Requires consent; records
    which fields changed."""
    require_consent(actor)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    changes = normalise(changes)
    diff = {}
    for field, value in changes.items():
        old = getattr(enterprise, field)
        if old != value:
            diff[field] = [str(old) if old is not None else None, str(value) if value is not None else None]
            setattr(enterprise, field, value)
    if "kind" in diff:
        enterprise.data_residency = residency_for(enterprise.kind)
    if diff:
        _save(enterprise)
        audit.record(AuditAction.UPDATED, actor=actor, target=enterprise, changes=diff)
    return enterprise

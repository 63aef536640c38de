"""Cross-border data consent (PIPL art. 39 separate consent; PDPO) and the export log."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..choices import ConsentScope
from ..models import Consent, ContactPerson, ExportLog
from ..selectors import active_consent, current_notice


class ConsentRequired(DomainError):
    """The user has no current consent to cross-border transfer; pages send them to give it."""

    def __init__(self):
        super().__init__(
            _("Give your consent to cross-border transfer of your data before you submit it."),
            code="consent_required",
            status=403,
        )


def require_consent(user) -> None:
    """Refuse any submission of data that will cross the border without a current consent."""
    if active_consent(user) is None:
        raise ConsentRequired


@transaction.atomic(durable=True)
def give_consent(*, actor, scope=ConsentScope.BOTH_WAYS) -> Consent:
    """The signed-in ``actor`` consents to the current notice. Giving it again while active
    changes nothing, even from parallel requests: the constraint ``consent_one_active_per_user_and_notice``
    lets one of them in, and the others get the consent it recorded."""
    existing = active_consent(actor)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            consent = Consent.objects.create(user=actor, notice=current_notice(), scope=scope, recorded_by=actor)
    except IntegrityError:
        existing = active_consent(actor)
        if existing is None:
            raise
        return existing
    audit.record(
        AuditAction.CONSENT_GIVEN, actor=actor, target=actor, changes={"notice": consent.notice.version, "scope": scope}
    )
    return consent


@transaction.atomic(durable=True)
def withdraw_consent(*, actor) -> int:
    """The signed-in ``actor`` withdraws every active consent; future transfers stop. Logged."""
    now = timezone.now()
    count = Consent.objects.filter(user=actor, withdrawn_at__isnull=True).update(withdrawn_at=now)
    if count:
        audit.record(AuditAction.CONSENT_WITHDRAWN, actor=actor, target=actor)
    return count


@transaction.atomic(durable=True)
def record_contact_consent(contact: ContactPerson, *, actor, scope=ConsentScope.BOTH_WAYS) -> Consent:
    """A member records that a contact person received the current notice and consented."""
    return _record_contact_consent(contact, actor=actor, scope=scope)


def _record_contact_consent(contact: ContactPerson, *, actor, scope=ConsentScope.BOTH_WAYS) -> Consent:
    """``record_contact_consent`` inside the caller's transaction (adding a contact records the
    contact's consent with it)."""
    consent = Consent.objects.create(contact=contact, notice=current_notice(), scope=scope, recorded_by=actor)
    audit.record(
        AuditAction.CONTACT_CONSENT_GIVEN, actor=actor, target=contact, changes={"notice": consent.notice.version}
    )
    return consent


@transaction.atomic(durable=True)
def withdraw_contact_consent(contact: ContactPerson, *, actor) -> int:
    """A member records that a contact person withdrew consent. Logged; staff stop seeing the
    person's contact details."""
    count = Consent.objects.filter(contact=contact, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    if count:
        audit.record(AuditAction.CONTACT_CONSENT_WITHDRAWN, actor=actor, target=contact)
    return count


def log_export(*, kind, actor, enterprise, description: str, data_residency: str = "", organisation=None) -> ExportLog:
    """Write one export-log row for personal data leaving the portal: of ``enterprise``, where it
    resides; or, with ``enterprise=None``, of several enterprises, residing where
    ``data_residency`` says (``choices.LOGGED_RESIDENCIES``). ``organisation`` is the partner
    organisation it went to, through the partner API (a key has no user: ``actor`` is then None).

    One INSERT, so not an atomic block of its own: it joins the caller's transaction where
    there is one (the admin's change page runs in one), so the row and the page stand or fall
    together."""
    return ExportLog.objects.create(
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        enterprise=enterprise,
        data_residency=enterprise.data_residency if enterprise is not None else data_residency,
        organisation=organisation,
        description=description[:255],
        ip_address=audit.request_ip.get(),
    )

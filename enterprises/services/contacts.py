"""Contact persons named on a profile, each with their own cross-border consent."""

from django.db import transaction

from hkhz_portal.core import audit

from ..audit_actions import AuditAction
from ..models import ContactPerson, Enterprise
from .consent import _record_contact_consent, require_consent


@transaction.atomic(durable=True)
def add_contact(enterprise: Enterprise, *, actor, **data) -> ContactPerson:
    """A member adds a contact person, attesting that the person received the notice and consented."""
    require_consent(actor)
    contact = ContactPerson(enterprise=enterprise, **data)
    contact.full_clean()
    contact.save()
    _record_contact_consent(contact, actor=actor)
    audit.record(AuditAction.CONTACT_ADDED, actor=actor, target=enterprise, changes={"name": contact.name})
    return contact


@transaction.atomic(durable=True)
def remove_contact(contact: ContactPerson, *, actor) -> None:
    """Removing a contact erases their personal data from the profile."""
    audit.record(AuditAction.CONTACT_REMOVED, actor=actor, target=contact.enterprise, changes={"name": contact.name})
    contact.delete()

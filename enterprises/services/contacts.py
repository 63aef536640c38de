"""Contact persons named on a profile, each with their own cross-border consent."""

from django.db import IntegrityError, transaction

from hkhz_portal.core import audit

from ..audit_actions import AuditAction
from ..models import ContactPerson, Enterprise, parse_phone
from .consent import _record_contact_consent, require_consent


def add_contact(enterprise: Enterprise, *, actor, **data) -> ContactPerson:
    """A member adds a contact person, attesting that the person received the notice and consented.

    The phone number is read in the enterprise's region (mainland, Hong Kong) unless it has its
    country code, and stored in international form; a number that is not a real one is refused.
    The same person twice (same name with the same e-mail address or phone number) is refused
    with a ``ValidationError``, also when two requests add them at once.
    """
    data["phone"] = parse_phone(data.get("phone", ""), enterprise.phone_region)
    contact = ContactPerson(enterprise=enterprise, **data)
    try:
        with transaction.atomic(durable=True):
            require_consent(actor)
            contact.full_clean()
            contact.save()
            _record_contact_consent(contact, actor=actor)
            audit.record(AuditAction.CONTACT_ADDED, actor=actor, target=enterprise, changes={"name": contact.name})
    except IntegrityError:
        # Added by a parallel request after our check: the constraint says which duplicate it is.
        contact.validate_constraints()
        raise
    return contact


@transaction.atomic(durable=True)
def remove_contact(contact: ContactPerson, *, actor) -> None:
    """Removing a contact erases their personal data from the profile."""
    audit.record(AuditAction.CONTACT_REMOVED, actor=actor, target=contact.enterprise, changes={"name": contact.name})
    contact.delete()

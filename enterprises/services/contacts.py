"""Contact persons named on a profile, each with their own cross-border consent."""

from django.db import transaction

from hkhz_portal.core import audit

from ..models import ContactPerson, Enterprise
from .consent import record_contact_consent, require_consent


@transaction.atomic
def add_contact(enterprise: Enterprise, by, **data) -> ContactPerson:
    """A member adds a contact person, attesting that the person received the notice and consented."""
    require_consent(by)
    contact = ContactPerson(enterprise=enterprise, **data)
    contact.full_clean()
    contact.save()
    record_contact_consent(contact, recorded_by=by)
    audit.record("contact.added", actor=by, target=enterprise, changes={"name": contact.name})
    return contact


@transaction.atomic
def remove_contact(contact: ContactPerson, by) -> None:
    """Removing a contact erases their personal data from the profile."""
    audit.record("contact.removed", actor=by, target=contact.enterprise, changes={"name": contact.name})
    contact.delete()

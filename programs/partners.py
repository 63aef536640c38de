"""What partner organisations read of the admission: whether an enterprise was admitted (for the
enterprise directory), and the submitted applications of the enterprises that share them."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from enterprises.models import ContactPerson
from enterprises.partners import shared_enterprise_ids
from enterprises.selectors import with_consent_flag

from .models import Application
from .workflow import Status


def admitted_to_park() -> Exists:
    """True for an enterprise (``OuterRef("pk")``) with an application that reached ``admitted``."""
    return Exists(Application.objects.filter(enterprise=OuterRef("pk"), status=Status.ADMITTED))


def shared_applications(organisation) -> QuerySet[Application]:
    """Applications of the enterprises that share them with ``organisation``, once submitted (a
    draft is the enterprise's own), with their call and programme; none without an organisation."""
    if organisation is None:
        return Application.objects.none()
    return (
        Application.objects.filter(enterprise__in=shared_enterprise_ids(organisation), submitted_at__isnull=False)
        .select_related("call__programme", "enterprise")
        .order_by("reference")
    )


def shared_application(organisation, reference: str) -> Application:
    """One shared application with the contact persons who consented to cross-border transfer
    (``consented_contacts``); anything else, shared with another organisation or not at all, is 404."""
    contacts = with_consent_flag(ContactPerson.objects.order_by("name", "pk")).filter(has_consent=True)
    found = (
        shared_applications(organisation)
        .select_related("form_version")
        .prefetch_related(Prefetch("enterprise__contacts", queryset=contacts, to_attr="consented_contacts"))
    )
    return get_object_or_404(found, reference=reference)

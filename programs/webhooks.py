"""What partners' webhooks say of the admission (``hkhz_portal.webhooks.registry``).

Each body's ``data`` is small: references and links to the API resource, which the receiver
fetches with its key. Calls are public, so every subscriber hears of them; an application's
events go only to organisations the enterprise shares its applications with at the time of the
event (``enterprises.DataSharing``), which read it at the partner route the link names.
"""

from django.urls import reverse

from enterprises.partners import sharing_organisation_ids
from hkhz_portal.webhooks import registry
from hkhz_portal.webhooks.types import EventType

from .events import CallEventKind, event_kind
from .models import Application, Call


def call_data(event) -> dict:
    call = Call.objects.get(pk=event.target_id)
    return {
        "call": call.slug,
        "opens_at": call.opens_at.isoformat(),
        "closes_at": call.closes_at.isoformat() if call.closes_at else None,
        "links": {"call": registry.absolute(reverse("api-call-detail", args=[call.slug]))},
    }


def application_data(event) -> dict:
    application = Application.objects.select_related("call", "enterprise").get(pk=event.target_id)
    return {
        "application": application.reference,
        "call": application.call.slug,
        "enterprise": application.enterprise.reference,
        "status": event.payload["to"],
        "links": {
            "application": registry.absolute(reverse("api-partner-application-detail", args=[application.reference])),
            "call": registry.absolute(reverse("api-call-detail", args=[application.call.slug])),
        },
    }


#: The workflow's steps partners hear of, by public type.
APPLICATION_STEPS = {
    "submit": EventType.APPLICATION_SUBMITTED,
    "approve": EventType.APPLICATION_DECIDED,
    "waitlist": EventType.APPLICATION_DECIDED,
    "reject": EventType.APPLICATION_DECIDED,
    "admit": EventType.ENTERPRISE_ADMITTED,
}


def sharing_audience(event):
    """The organisations the application's enterprise shares its applications with."""
    enterprise_id = Application.objects.filter(pk=event.target_id).values("enterprise_id")[:1]
    return sharing_organisation_ids(enterprise_id)


def register() -> None:
    registry.map_kind(CallEventKind.OPENED, EventType.CALL_OPENED, data=call_data)
    registry.map_kind(CallEventKind.CLOSING, EventType.CALL_CLOSING, data=call_data)
    registry.set_audience(EventType.CALL_OPENED, registry.everyone)
    registry.set_audience(EventType.CALL_CLOSING, registry.everyone)
    for step, public_type in APPLICATION_STEPS.items():
        registry.map_kind(event_kind(step), public_type, data=application_data)
        registry.set_audience(public_type, sharing_audience)

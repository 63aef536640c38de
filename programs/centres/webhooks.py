"""What partners' webhooks say of service requests (``hkhz_portal.webhooks.registry``).

Partners hear that a request was made, moved on, was completed or cancelled, and only the
organisations its enterprise shares its data with at the time of the event
(``enterprises.DataSharing``). The data is the request's reference, its service, centre and
enterprise and its state, with a link to the service in the public catalogue: never a message,
an internal note, a reason, a reminder or a rating (their events are mapped to nothing), and the
request itself cannot be read with a key.
"""

from django.urls import reverse

from enterprises.partners import sharing_organisation_ids
from hkhz_portal.webhooks import registry
from hkhz_portal.webhooks.types import EventType

from ..models import ServiceRequest
from .events import transition_kind

#: The workflow's steps partners hear of, by public type; the client's answer (back in progress)
#: is a step like the others.
STEPS = {
    "request": EventType.SERVICE_REQUEST_REQUESTED,
    "accept": EventType.SERVICE_REQUEST_STATE_CHANGED,
    "start_work": EventType.SERVICE_REQUEST_STATE_CHANGED,
    "ask_client": EventType.SERVICE_REQUEST_STATE_CHANGED,
    "client_answered": EventType.SERVICE_REQUEST_STATE_CHANGED,
    "wait_third_party": EventType.SERVICE_REQUEST_STATE_CHANGED,
    "resume": EventType.SERVICE_REQUEST_STATE_CHANGED,
    "complete": EventType.SERVICE_REQUEST_COMPLETED,
    "cancel": EventType.SERVICE_REQUEST_CANCELLED,
    "decline": EventType.SERVICE_REQUEST_CANCELLED,
}


def service_request_data(event) -> dict:
    request = ServiceRequest.objects.select_related("service", "unit", "enterprise").get(pk=event.target_id)
    return {
        "service_request": request.reference,
        "service": request.service.slug,
        "category": request.service.category,
        "centre": request.unit.code,
        "enterprise": request.enterprise.reference,
        "state": event.payload["to"],
        "links": {"service": registry.absolute(reverse("api-service-detail", args=[request.service.slug]))},
    }


def sharing_audience(event):
    """The organisations the request's enterprise shares its data with."""
    enterprise_id = ServiceRequest.objects.filter(pk=event.target_id).values("enterprise_id")[:1]
    return sharing_organisation_ids(enterprise_id)


def register() -> None:
    for step, public_type in STEPS.items():
        registry.map_kind(transition_kind(step), public_type, data=service_request_data)
        registry.set_audience(public_type, sharing_audience)

"""The public webhook event types partners subscribe to, and their catalogue, declared once.

``EventType`` names each type and its label (subscription pages, the API's choices);
``CATALOGUE`` documents each for partners: when it is sent and to whom, the JSON schema of its
``data`` and an example of it; ``LINK_SCOPES`` says which scope reads what each link names.
The API schema's ``webhooks`` section is built from these (``api_schema``), the delivery code
sends ``EventType`` values, and a test holds each example to the keys of a real delivery of its
type (``tests/webhooks/test_catalogue.py``).

These names are a public contract: never rename one. Apps map their domain event kinds onto
these types, with the function that builds ``data``, in ``registry``.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from hkhz_portal.accounts.api_keys import Scope

API = "https://portal.example.org/api/v1"


class EventType(models.TextChoices):
    CALL_OPENED = "call.opened", _("A call opened for applications")
    CALL_CLOSING = "call.closing", _("A call closes in three days")
    APPLICATION_SUBMITTED = "application.submitted", _("An application was submitted")
    APPLICATION_DECIDED = "application.decided", _("An application was approved, waitlisted or declined")
    ENTERPRISE_ADMITTED = "enterprise.admitted", _("An enterprise was admitted")
    SERVICE_REQUEST_REQUESTED = "service_request.requested", _("An enterprise requested a centre's service")
    SERVICE_REQUEST_STATE_CHANGED = "service_request.state_changed", _("A service request moved on")
    SERVICE_REQUEST_COMPLETED = "service_request.completed", _("A centre completed a service request")
    SERVICE_REQUEST_CANCELLED = "service_request.cancelled", _("A service request was cancelled")


#: The type of the event a partner sends themselves from the endpoint's page: no subscription needed.
TEST_EVENT = "webhook.test"


@dataclass(frozen=True)
class Documentation:
    #: When it is sent, to whom, and what ``data`` holds (English, as the API is).
    description: str
    #: The JSON schema of ``data``.
    data: dict
    #: ``data`` of an example delivery.
    example: dict


#: The scope a key needs to read what each of ``data.links`` names.
LINK_SCOPES = {"call": Scope.CALLS_READ, "application": Scope.APPLICATIONS_READ, "service": Scope.CALLS_READ}


def _link(name: str, description: str) -> dict:
    return {
        "type": "string",
        "format": "uri",
        "description": f"{description}: read it with a key that has `{LINK_SCOPES[name]}`.",
    }


CALL_DATA = {
    "type": "object",
    "properties": {
        "call": {"type": "string", "description": "The call's short name."},
        "opens_at": {"type": "string", "format": "date-time"},
        "closes_at": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "Null for a rolling call, which takes applications until further notice.",
        },
        "links": {
            "type": "object",
            "properties": {"call": _link("call", "The call")},
            "required": ["call"],
        },
    },
    "required": ["call", "opens_at", "closes_at", "links"],
}


def _application_data(statuses: list[str]) -> dict:
    return {
        "type": "object",
        "properties": {
            "application": {"type": "string", "description": "The application's reference."},
            "call": {"type": "string", "description": "The call's short name."},
            "enterprise": {"type": "string", "description": "The enterprise's reference."},
            "status": {"type": "string", "enum": statuses, "description": "The application's status after the event."},
            "links": {
                "type": "object",
                "properties": {
                    "application": _link("application", "The application as shared with your organisation"),
                    "call": _link("call", "The call"),
                },
                "required": ["application", "call"],
            },
        },
        "required": ["application", "call", "enterprise", "status", "links"],
    }


_CALL_EXAMPLE = {
    "call": "hksp-2026-spring",
    "opens_at": "2026-03-01T01:00:00+00:00",
    "closes_at": "2026-05-31T15:59:59+00:00",
    "links": {"call": f"{API}/calls/hksp-2026-spring/"},
}


def _application_example(status: str) -> dict:
    return {
        "application": "HKSP-2026-00042",
        "call": "hksp-2026-spring",
        "enterprise": "ENT-2026-00017",
        "status": status,
        "links": {
            "application": f"{API}/partner/applications/HKSP-2026-00042/",
            "call": f"{API}/calls/hksp-2026-spring/",
        },
    }


def _service_request_data(states: list[str]) -> dict:
    return {
        "type": "object",
        "properties": {
            "service_request": {"type": "string", "description": "The request's reference."},
            "service": {"type": "string", "description": "The service's short name."},
            "category": {"type": "string", "description": "The service's category."},
            "centre": {"type": "string", "description": "The centre's code."},
            "enterprise": {"type": "string", "description": "The enterprise's reference."},
            "state": {"type": "string", "enum": states, "description": "The request's state after the event."},
            "links": {
                "type": "object",
                "properties": {"service": _link("service", "The service in the centres' catalogue")},
                "required": ["service"],
            },
        },
        "required": ["service_request", "service", "category", "centre", "enterprise", "state", "links"],
    }


def _service_request_example(state: str) -> dict:
    return {
        "service_request": "SRV-2026-00042",
        "service": "hk-company-incorporation",
        "category": "company_setup",
        "centre": "hk-centre",
        "enterprise": "ENT-2026-00017",
        "state": state,
        "links": {"service": f"{API}/services/hk-company-incorporation/"},
    }


_SHARED = (
    "Sent only to organisations the application's enterprise shares its applications with at the time "
    "of the event (the enterprise grants and revokes that on its profile)."
)

#: What partners hear of service requests, and what they never do.
_SERVICE_REQUESTS = (
    "Sent only to organisations the request's enterprise shares its data with at the time of the event. "
    "Service requests themselves are not shared with partners: no message, note, reason or rating is ever "
    "sent, and the request cannot be read with a key; the link leads to the service in the public catalogue."
)

CATALOGUE: dict[str, Documentation] = {
    EventType.CALL_OPENED: Documentation(
        description="A call for applications reached its opening time and now takes applications. "
        "Calls are public: every endpoint subscribed to the type receives it.",
        data=CALL_DATA,
        example=_CALL_EXAMPLE,
    ),
    EventType.CALL_CLOSING: Documentation(
        description="A call closes in less than three days (sent once per call). "
        "Calls are public: every endpoint subscribed to the type receives it.",
        data=CALL_DATA,
        example=_CALL_EXAMPLE,
    ),
    EventType.APPLICATION_SUBMITTED: Documentation(
        description=f"An enterprise submitted an application to a call. {_SHARED}",
        data=_application_data(["submitted"]),
        example=_application_example("submitted"),
    ),
    EventType.APPLICATION_DECIDED: Documentation(
        description=f"An officer approved, waitlisted or rejected an application; `status` says which. {_SHARED}",
        data=_application_data(["approved", "waitlisted", "rejected"]),
        example=_application_example("approved"),
    ),
    EventType.ENTERPRISE_ADMITTED: Documentation(
        description="An approved enterprise completed its onboarding and is admitted to Hong Kong Science Park; "
        f"it shows as admitted in the directory if it is listed there. {_SHARED}",
        data=_application_data(["admitted"]),
        example=_application_example("admitted"),
    ),
    EventType.SERVICE_REQUEST_REQUESTED: Documentation(
        description=f"An enterprise requested one of a service centre's services. {_SERVICE_REQUESTS}",
        data=_service_request_data(["requested"]),
        example=_service_request_example("requested"),
    ),
    EventType.SERVICE_REQUEST_STATE_CHANGED: Documentation(
        description="A service request moved on before its end: the centre accepted it, started work, asked the "
        "enterprise for something or waits on a third party, or work resumed; `state` says where it is now. "
        f"{_SERVICE_REQUESTS}",
        data=_service_request_data(["accepted", "in_progress", "waiting_on_client", "waiting_on_third_party"]),
        example=_service_request_example("in_progress"),
    ),
    EventType.SERVICE_REQUEST_COMPLETED: Documentation(
        description=f"The centre delivered the service. {_SERVICE_REQUESTS}",
        data=_service_request_data(["completed"]),
        example=_service_request_example("completed"),
    ),
    EventType.SERVICE_REQUEST_CANCELLED: Documentation(
        description=f"The enterprise cancelled its request, or the centre cancelled it for the enterprise. "
        f"{_SERVICE_REQUESTS}",
        data=_service_request_data(["cancelled"]),
        example=_service_request_example("cancelled"),
    ),
}

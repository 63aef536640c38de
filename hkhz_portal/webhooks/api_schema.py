"""The webhooks' OpenAPI documentation: the event catalogue as the schema's OpenAPI 3.1
``webhooks`` (``SPECTACULAR_SETTINGS["WEBHOOKS"]``), built from ``types``, and an example of each
request and response of the endpoints API (``api``).

The examples are checked against real answers by the schemathesis run over the live schema
(``tests/core/test_openapi_fuzz.py``), and the catalogue's against real deliveries
(``tests/webhooks/test_catalogue.py``).
"""

from datetime import UTC, datetime

from drf_spectacular.utils import OpenApiExample, OpenApiWebhook

from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.core.openapi import problem_example, scope_refused

from .outbox import body
from .types import CATALOGUE, TEST_EVENT, EventType

# --- The event catalogue ----------------------------------------------------------------------------

#: When the example deliveries happened.
SENT_AT = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)

HEADERS = [
    {
        "name": "webhook-id",
        "in": "header",
        "required": True,
        "description": "The delivery's id (`msg_…`), the same on every retry: use it to ignore duplicates.",
        "schema": {"type": "string"},
    },
    {
        "name": "webhook-timestamp",
        "in": "header",
        "required": True,
        "description": "Unix time of this attempt: refuse one more than five minutes off.",
        "schema": {"type": "integer"},
    },
    {
        "name": "webhook-signature",
        "in": "header",
        "required": True,
        "description": (
            "`v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` with the "
            "endpoint's secret (`whsec_…`); during a secret's rotation, two signatures separated by a space."
        ),
        "schema": {"type": "string"},
    },
]


def _webhook(event_type: EventType) -> OpenApiWebhook:
    entry = CATALOGUE[event_type]
    schema = {
        "type": "object",
        "properties": {
            "type": {"type": "string", "const": event_type.value},
            "timestamp": {"type": "string", "format": "date-time", "description": "When it happened (UTC)."},
            "data": entry.data,
        },
        "required": ["type", "timestamp", "data"],
    }
    example = body(event_type.value, SENT_AT, entry.example)
    operation = {
        "operationId": f"webhook_{event_type.value.replace('.', '_')}",
        "summary": str(event_type.label),
        "description": (
            f"{entry.description}\n\nThe data holds references and links, not the record: follow "
            "`data.links` with your key (each link names the scope it needs) to read it as it is now."
        ),
        "tags": ["webhooks"],
        "parameters": HEADERS,
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema, "examples": {event_type.value: {"value": example}}}},
        },
        "responses": {
            "2XX": {"description": "Received. Any other answer is retried, with back-off, for 24 hours."},
            "410": {"description": "Gone: the endpoint is disabled and receives nothing more."},
        },
    }
    return OpenApiWebhook(name=event_type.value, decorator={"post": operation})


#: ``SPECTACULAR_SETTINGS["WEBHOOKS"]``: every event type, with its catalogue entry.
WEBHOOKS = [_webhook(event_type) for event_type in EventType]

# --- The endpoints API ------------------------------------------------------------------------------

#: On every operation: a key needs ``webhooks:manage``.
_REFUSED = scope_refused(Scope.WEBHOOKS_MANAGE)

_ENDPOINT = {
    "id": 7,
    "url": "https://hooks.example-bank.com/hkhz",
    "description": "Credit team's intake",
    "event_types": ["application.decided", "application.submitted"],
    "active": True,
    "disabled_at": None,
    "disabled_reason": "",
    "failing_since": None,
    "created_at": "2026-04-01T10:00:00+08:00",
}
_SECRET = "whsec_29G1HPRC48ZJ/6kN7F3o6+BgYFVoL+dPkngBLitJjK0="  # noqa: S105 (an example: it signs nothing)
_DECIDED = body(EventType.APPLICATION_DECIDED.value, SENT_AT, CATALOGUE[EventType.APPLICATION_DECIDED].example)
_FAILED = {
    "id": 311,
    "message_id": "msg_5f0c2b1e9a7d4c3e8b6a1f2d3c4b5a69",
    "endpoint": 7,
    "event_type": "application.decided",
    "payload": _DECIDED,
    "status": "failed",
    "attempts": 10,
    "next_attempt_at": None,
    "last_status_code": 503,
    "last_response": "Service Unavailable",
    "last_error": "",
    "last_duration_ms": 812,
    "created_at": "2026-04-01T16:00:00+08:00",
    "delivered_at": None,
}
_QUEUED = {
    **_FAILED,
    "status": "pending",
    "attempts": 0,
    "next_attempt_at": "2026-04-03T09:30:00+08:00",
    "last_status_code": None,
    "last_response": "",
    "last_duration_ms": None,
}
_TEST = {
    **_QUEUED,
    "id": 312,
    "message_id": "msg_0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a",
    "event_type": TEST_EVENT,
    "payload": body(TEST_EVENT, SENT_AT, {"endpoint_id": 7}),
    "created_at": "2026-04-03T09:30:00+08:00",
}

ENDPOINT_LIST = [OpenApiExample("Endpoints", value=_ENDPOINT, response_only=True), _REFUSED]
ENDPOINT_DETAIL = [OpenApiExample("An endpoint", value=_ENDPOINT, response_only=True), _REFUSED]
ENDPOINT_CREATE = [
    OpenApiExample(
        "Subscribe",
        value={
            "url": "https://hooks.example-bank.com/hkhz",
            "event_types": ["application.submitted", "application.decided"],
            "description": "Credit team's intake",
        },
        request_only=True,
    ),
    OpenApiExample("Subscribed, with its secret", value={**_ENDPOINT, "secret": _SECRET}, response_only=True),
    problem_example(
        "https_required",
        "The endpoint must be an https:// address.",
        400,
        errors={"url": ["The endpoint must be an https:// address."]},
        name="not_https",
    ),
    problem_example(
        "too_many_endpoints", "Your organisation already has 10 endpoints: delete one first.", 409, name="too_many"
    ),
    _REFUSED,
]
ENDPOINT_REPLACE = [
    OpenApiExample(
        "Replace",
        value={
            "url": "https://hooks.example-bank.com/hkhz/v2",
            "event_types": ["application.decided"],
            "description": "Credit team's intake",
            "active": True,
        },
        request_only=True,
    ),
    OpenApiExample(
        "Replaced",
        value={**_ENDPOINT, "url": "https://hooks.example-bank.com/hkhz/v2", "event_types": ["application.decided"]},
        response_only=True,
    ),
    _REFUSED,
]
_DISABLED = {**_ENDPOINT, "active": False, "disabled_at": "2026-04-03T09:30:00+08:00", "disabled_reason": "manual"}
ENDPOINT_UPDATE = [
    OpenApiExample("Disable", value={"active": False}, request_only=True),
    OpenApiExample("Disabled", value=_DISABLED, response_only=True),
    _REFUSED,
]
ROTATE = [
    OpenApiExample("Rotate, two days' overlap", value={"overlap_hours": 48}, request_only=True),
    OpenApiExample(
        "The new secret",
        value={"secret": _SECRET, "previous_valid_until": "2026-04-05T09:30:00+08:00"},
        response_only=True,
    ),
    _REFUSED,
]
SEND_TEST = [
    OpenApiExample("A test event, queued", value=_TEST, response_only=True, status_codes=["202"]),
    problem_example("endpoint_disabled", "Enable the endpoint first.", 409),
    _REFUSED,
]
DELIVERY_LIST = [OpenApiExample("Deliveries", value=_FAILED, response_only=True), _REFUSED]
DELIVERY_DETAIL = [
    OpenApiExample(
        "A failed delivery, with its attempts",
        value={
            **_FAILED,
            "attempt_log": [
                {
                    "started_at": "2026-04-02T16:02:00+08:00",
                    "status_code": 503,
                    "response": "Service Unavailable",
                    "error": "",
                    "duration_ms": 812,
                },
                {
                    "started_at": "2026-04-01T16:00:00+08:00",
                    "status_code": None,
                    "response": "",
                    "error": "Timed out",
                    "duration_ms": 15000,
                },
            ],
        },
        response_only=True,
    ),
    _REFUSED,
]
REDELIVER = [
    OpenApiExample("Queued again", value=_QUEUED, response_only=True, status_codes=["202"]),
    problem_example("not_failed", "Only a failed delivery can be sent again.", 409),
    _REFUSED,
]
ENDPOINT_DELETE = [problem_example("not_found", "No Endpoint matches the given query.", 404), _REFUSED]

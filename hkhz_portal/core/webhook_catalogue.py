"""The webhook events partners can subscribe to: one entry per event type, read by the OpenAPI
schema (``core.openapi``) and by whatever delivers the events, so the two cannot disagree.

Every delivery follows Standard Webhooks (https://www.standardwebhooks.com/): a POST with the
headers ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` and the body
``{"type": …, "timestamp": …, "data": {…}}``. ``data`` is kept small: the ids and links of what
happened, which the receiver fetches with its key for the rest (so a delivery never carries
more than the key may read, and a late delivery never carries stale fields).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hkhz_portal.accounts.api_keys import Scope

API = "https://portal.example.org/api/v1"


@dataclass(frozen=True)
class WebhookEvent:
    #: ``<resource>.<verb>``, the body's ``type``.
    type: str
    #: A short name for subscription pages (translated).
    label: str
    #: When it is sent and what ``data`` holds, for the API documentation (English, as the API is).
    description: str
    #: The scope an organisation's key needs for its endpoints to receive the event.
    scope: str
    #: ``data`` of an example delivery.
    example: dict


EVENTS: dict[str, WebhookEvent] = {
    event.type: event
    for event in (
        WebhookEvent(
            type="call.opened",
            label=_("A call opened for applications"),
            description="A call for applications reached its opening time and now takes applications.",
            scope=Scope.CALLS_READ,
            example={
                "call": "hksp-2026-spring",
                "closes_at": "2026-05-31T15:59:59Z",
                "url": f"{API}/calls/hksp-2026-spring/",
            },
        ),
        WebhookEvent(
            type="call.closing",
            label=_("A call closes soon"),
            description="A call closes in less than three days: the last reminder applicants get too.",
            scope=Scope.CALLS_READ,
            example={
                "call": "hksp-2026-spring",
                "closes_at": "2026-05-31T15:59:59Z",
                "url": f"{API}/calls/hksp-2026-spring/",
            },
        ),
        WebhookEvent(
            type="application.submitted",
            label=_("An application was submitted"),
            description=(
                "An enterprise that shares its applications with your organisation submitted one. "
                "Sent to endpoints whose key has `applications:read`."
            ),
            scope=Scope.APPLICATIONS_READ,
            example={
                "application": "HKSP-2026-00042",
                "call": "hksp-2026-spring",
                "enterprise": "ENT-2026-00017",
                "url": f"{API}/applications/HKSP-2026-00042/",
            },
        ),
        WebhookEvent(
            type="application.decided",
            label=_("An application was decided"),
            description=(
                "An officer approved, waitlisted or rejected an application shared with your organisation; "
                "`outcome` is `approved`, `waitlisted` or `rejected`."
            ),
            scope=Scope.APPLICATIONS_READ,
            example={
                "application": "HKSP-2026-00042",
                "call": "hksp-2026-spring",
                "enterprise": "ENT-2026-00017",
                "outcome": "approved",
                "url": f"{API}/applications/HKSP-2026-00042/",
            },
        ),
        WebhookEvent(
            type="enterprise.admitted",
            label=_("An enterprise was admitted to the Park"),
            description=(
                "An approved enterprise completed its onboarding and is admitted to Hong Kong Science Park; "
                "it appears as admitted in the directory if it is listed there."
            ),
            scope=Scope.DIRECTORY_READ,
            example={
                "enterprise": "ENT-2026-00017",
                "application": "HKSP-2026-00042",
                "url": f"{API}/directory/ENT-2026-00017/",
            },
        ),
    )
}


def payload(event_type: str, timestamp: str, data: dict) -> dict:
    """The body of a delivery of ``event_type``: ``timestamp`` in ISO 8601 (UTC)."""
    return {"type": EVENTS[event_type].type, "timestamp": timestamp, "data": data}

"""The centres API's OpenAPI documentation: the shapes of the bodies ``api`` builds by hand (a
request's clocks, history, steps and thread), which the schema cannot read from a function, and
an example of each request and response.

The shapes are checked against real answers by the schemathesis run over the live schema
(``tests/core/test_openapi_fuzz.py``), so they cannot drift from ``api`` unnoticed.
"""

from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.core.openapi import problem_example, scope_refused

from .sla import ClockState
from .workflow import PauseReason, Side, State

API = "https://portal.example.org/api/v1"
HOURS = serializers.DecimalField(max_digits=8, decimal_places=2, help_text="Business hours.")
LOCAL_TIME = {
    "type": "string",
    "pattern": "^[0-2][0-9]:[0-5][0-9]$",
    "example": "09:00",
    "description": "A time of day in the centre's local time, HH:MM.",
}


class DocumentTypeShape(serializers.Serializer):
    type = serializers.CharField(help_text="A document type of the enterprises' library.")
    label = serializers.CharField()


class AttachmentShape(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The file's name.")
    size = serializers.IntegerField(help_text="Bytes.")
    from_library = serializers.BooleanField(help_text="A version of one of the enterprise's library documents.")
    download_url = serializers.URLField(
        help_text="The file, for the signed-in reader: the enterprise's page of the request, or the centre's."
    )


class RequestDocumentShape(serializers.Serializer):
    document = serializers.IntegerField(help_text="The library document's id.")
    title = serializers.CharField()
    type = serializers.CharField()
    version = serializers.IntegerField(help_text="The version attached to the request.")


class RequestStepShape(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    target_hours = HOURS
    done = serializers.BooleanField()
    done_at = serializers.DateTimeField(allow_null=True)


class ClockShape(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[(s.value, s.value) for s in ClockState],
        help_text="`running`; `paused` while waiting on the enterprise or a third party; `met` or `breached` once "
        "stopped (the first response, the completion); `stopped` when cancelled in time.",
    )
    target_hours = HOURS
    elapsed_hours = HOURS
    at_risk = serializers.BooleanField(help_text="Past its at-risk share of the target, not past the target.")
    breached = serializers.BooleanField(help_text="Past its target.")
    at_risk_at = serializers.DateTimeField(allow_null=True, help_text="While it runs: when it is (or was) at risk.")
    due_at = serializers.DateTimeField(
        allow_null=True, help_text="While it runs: when it reaches (or reached) its target."
    )


class ClocksShape(serializers.Serializer):
    calendar = serializers.CharField(help_text="`HK` (Hong Kong public holidays) or `CN` (mainland, make-up days).")
    response = ClockShape(help_text="First response: stops when the centre accepts or first writes to the enterprise.")
    resolution = ClockShape(help_text="Resolution: stops at completion.")
    paused_on_client_hours = HOURS
    paused_on_third_party_hours = HOURS


class HistoryShape(serializers.Serializer):
    step = serializers.CharField(help_text="The workflow's step.")
    # ``from`` is a keyword: the field is named in the constructor's fields below.
    to = serializers.ChoiceField(choices=State.choices)
    by = serializers.ChoiceField(choices=[(s.value, s.value) for s in Side], allow_null=True)
    at = serializers.DateTimeField()
    pause_reason = serializers.ChoiceField(choices=PauseReason.choices, allow_null=True)
    note = serializers.CharField(allow_blank=True, help_text="The reason given (read by the enterprise too).")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.ChoiceField(choices=State.choices, allow_null=True)
        return fields


class RatingShape(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class RequestActionShape(serializers.Serializer):
    name = serializers.CharField(help_text="POST it as `name` to `…/transitions/`.")
    label = serializers.CharField()
    needs_note = serializers.BooleanField(help_text="The step takes a `note`: a reason, or the message to send.")


# --- The catalogue ------------------------------------------------------------------------------------

_SERVICE = {
    "slug": "hk-company-incorporation",
    "url": f"{API}/services/hk-company-incorporation/",
    "centre": {"code": "hk-centre", "name": "Hong Kong Go-Global Service Centre"},
    "category": "company_setup",
    "category_label": "Company set-up",
    "name": "Hong Kong company incorporation",
    "name_en": "Hong Kong company incorporation",
    "name_zh_hans": "香港公司注册",
    "name_zh_hant": "香港公司註冊",
    "description": "We incorporate your Hong Kong company and obtain its Business Registration certificate.",
    "description_en": "We incorporate your Hong Kong company and obtain its Business Registration certificate.",
    "description_zh_hans": "我们为您注册香港公司并取得商业登记证。",
    "description_zh_hant": "我們為您註冊香港公司並取得商業登記證。",
    "fee": {"amount": "8000.00", "currency": "HKD"},
    "required_documents": [{"type": "business_licence", "label": "Business licence"}],
    "steps": [
        {"title": "Check the documents", "target_hours": "8.00"},
        {"title": "File with the Companies Registry", "target_hours": "32.00"},
    ],
    "sla": {
        "calendar": "HK",
        "calendar_label": "Hong Kong public holidays",
        "first_response_hours": "4.00",
        "resolution_hours": "40.00",
        "at_risk_percent": 80,
        "working_hours": [
            {"weekday": 0, "weekday_label": "Monday", "starts": "09:00", "ends": "12:30"},
            {"weekday": 0, "weekday_label": "Monday", "starts": "13:30", "ends": "18:00"},
        ],
    },
}
SERVICE_LIST = [
    OpenApiExample("Services", value=_SERVICE, response_only=True),
    problem_example(
        "invalid",
        "Invalid input.",
        400,
        'category: "catering" is not a valid choice.',
        {"category": ['"catering" is not a valid choice.']},
        name="bad_filter",
    ),
    scope_refused(Scope.CALLS_READ),
]
SERVICE_DETAIL = [OpenApiExample("A service", value=_SERVICE, response_only=True), scope_refused(Scope.CALLS_READ)]

# --- Service requests ---------------------------------------------------------------------------------

NOT_SHARED = problem_example(
    "not_shared_with_partners",
    "Service requests are not shared with partners: these endpoints are for signed-in users.",
    403,
    name="api_key",
)
_REQUEST = {
    "reference": "SRV-2026-00042",
    "url": f"{API}/service-requests/SRV-2026-00042/",
    "service": {
        "slug": "hk-company-incorporation",
        "name": "Hong Kong company incorporation",
        "category": "company_setup",
    },
    "centre": {"code": "hk-centre", "name": "Hong Kong Go-Global Service Centre"},
    "enterprise": {
        "reference": "ENT-2026-00017",
        "name_en": "Hangzhou Helix Biotech Co., Ltd.",
        "name_zh": "杭州螺旋生物科技有限公司",
    },
    "state": "in_progress",
    "state_label": "In progress",
    "assignee": "Chan Ka Yan",
    "created_at": "2026-04-01T10:12:00+08:00",
    "state_changed_at": "2026-04-01T15:00:00+08:00",
    "first_response_at": "2026-04-01T11:05:00+08:00",
    "closed_at": None,
    "response_level": "ok",
    "response_due_at": None,
    "resolution_level": "ok",
    "resolution_due_at": "2026-04-10T16:12:00+08:00",
}
_CLOCKS = {
    "calendar": "HK",
    "response": {
        "state": "met",
        "target_hours": "4.00",
        "elapsed_hours": "0.88",
        "at_risk": False,
        "breached": False,
        "at_risk_at": None,
        "due_at": None,
    },
    "resolution": {
        "state": "running",
        "target_hours": "40.00",
        "elapsed_hours": "6.30",
        "at_risk": False,
        "breached": False,
        "at_risk_at": "2026-04-09T09:12:00+08:00",
        "due_at": "2026-04-10T16:12:00+08:00",
    },
    "paused_on_client_hours": "0.00",
    "paused_on_third_party_hours": "0.00",
}
_MESSAGE = {
    "id": 311,
    "from_centre": True,
    "author": "Chan Ka Yan",
    "body": "We have filed the incorporation form; the registry answers within four working days.",
    "created_at": "2026-04-01T15:00:00+08:00",
    "attachments": [
        {
            "id": 12,
            "name": "NNC1-receipt.pdf",
            "size": 48213,
            "from_library": False,
            "download_url": "https://portal.example.org/requests/SRV-2026-00042/attachments/12/",
        }
    ],
}
_DETAIL = {
    **_REQUEST,
    "requested_by": "Chen Wei",
    "details": "Please set up our Hong Kong subsidiary, Helix Bio (HK) Limited, with two directors.",
    "documents": [{"document": 5, "title": "Business licence", "type": "business_licence", "version": 2}],
    "steps": [
        {
            "id": 81,
            "title": "Check the documents",
            "target_hours": "8.00",
            "done": True,
            "done_at": "2026-04-01T14:40:00+08:00",
        },
        {
            "id": 82,
            "title": "File with the Companies Registry",
            "target_hours": "32.00",
            "done": False,
            "done_at": None,
        },
    ],
    "clocks": _CLOCKS,
    "history": [
        {
            "step": "request",
            "from": None,
            "to": "requested",
            "by": "client",
            "at": "2026-04-01T10:12:00+08:00",
            "pause_reason": None,
            "note": "",
        },
        {
            "step": "accept",
            "from": "requested",
            "to": "accepted",
            "by": "centre",
            "at": "2026-04-01T11:05:00+08:00",
            "pause_reason": None,
            "note": "",
        },
    ],
    "messages": [_MESSAGE],
    "rating": None,
    "actions": [{"name": "cancel", "label": "Cancel", "needs_note": True}],
}
_CENTRE_DETAIL = {
    **_DETAIL,
    "messages": [
        {
            **_MESSAGE,
            "internal": False,
            "attachments": [
                {
                    **_MESSAGE["attachments"][0],
                    "download_url": "https://portal.example.org/staff/requests/SRV-2026-00042/attachments/12/",
                }
            ],
        },
        {
            "id": 312,
            "from_centre": True,
            "author": "Chan Ka Yan",
            "internal": True,
            "body": "The second director's passport expires in May: check before filing.",
            "created_at": "2026-04-01T15:05:00+08:00",
            "attachments": [],
        },
    ],
    "actions": [
        {"name": "ask_client", "label": "Ask the enterprise", "needs_note": True},
        {"name": "wait_third_party", "label": "Wait on a third party", "needs_note": True},
        {"name": "complete", "label": "Complete", "needs_note": False},
        {"name": "decline", "label": "Cancel for the enterprise", "needs_note": True},
    ],
}
REQUEST_LIST = [
    OpenApiExample("Service requests", value=_REQUEST, response_only=True),
    problem_example(
        "invalid",
        "Invalid input.",
        400,
        'state: "lost" is not a valid choice.',
        {"state": ['"lost" is not a valid choice.']},
        name="bad_filter",
    ),
    NOT_SHARED,
]
REQUEST_DETAIL = [
    OpenApiExample("As the enterprise sees it", value=_DETAIL, response_only=True),
    OpenApiExample("As the centre sees it", value=_CENTRE_DETAIL, response_only=True),
    NOT_SHARED,
]
_REQUESTED = {
    **_DETAIL,
    "state": "requested",
    "state_label": "Requested",
    "state_changed_at": "2026-04-01T10:12:00+08:00",
    "first_response_at": None,
    "response_due_at": "2026-04-01T14:42:00+08:00",
    "steps": [{**step, "done": False, "done_at": None} for step in _DETAIL["steps"]],
    "clocks": {**_CLOCKS, "response": {**_CLOCKS["resolution"], "target_hours": "4.00", "elapsed_hours": "0.00"}},
    "history": _DETAIL["history"][:1],
    "messages": [],
}
REQUEST_CREATE = [
    OpenApiExample(
        "Request a service",
        request_only=True,
        value={
            "service": "hk-company-incorporation",
            "enterprise": "ENT-2026-00017",
            "details": "Please set up our Hong Kong subsidiary, Helix Bio (HK) Limited, with two directors.",
            "documents": [5],
        },
    ),
    OpenApiExample("Requested", value=_REQUESTED, response_only=True, status_codes=["201"]),
    OpenApiExample("Sent again within minutes", value=_REQUESTED, response_only=True, status_codes=["200"]),
    problem_example(
        "documents_missing",
        "This service needs these documents: Business licence.",
        400,
        errors={"documents": ["This service needs these documents: Business licence."]},
    ),
    problem_example("service_withdrawn", "This service is no longer offered.", 409),
    NOT_SHARED,
]
MESSAGE = [
    OpenApiExample(
        "The enterprise answers",
        request_only=True,
        value={"body": "Here is the second director's new passport.", "documents": [9]},
    ),
    OpenApiExample(
        "An internal note",
        request_only=True,
        value={"body": "The second director's passport expires in May: check before filing.", "internal": True},
    ),
    OpenApiExample("Written", value=_CENTRE_DETAIL, response_only=True, status_codes=["201"]),
    problem_example(
        "message_required", "Write a message.", 400, errors={"body": ["Write a message."]}, name="no_message"
    ),
    problem_example("forbidden", "Only the centre writes internal notes.", 403, name="note_by_enterprise"),
    problem_example("request_closed", "This request is closed: start a new one if you need more.", 409),
    NOT_SHARED,
]
TRANSITION = [
    OpenApiExample("Accept", request_only=True, value={"name": "accept", "expected_state": "requested"}),
    OpenApiExample(
        "Wait on the bank",
        request_only=True,
        value={"name": "wait_third_party", "pause_reason": "bank", "note": "HSBC is checking the directors (KYC)."},
    ),
    OpenApiExample("Cancel", request_only=True, value={"name": "cancel", "note": "We chose another structure."}),
    OpenApiExample("Moved on", value=_CENTRE_DETAIL, response_only=True),
    problem_example("invalid_transition", "A request that is “Requested” cannot take the step “Complete”.", 409),
    problem_example(
        "changed_meanwhile",
        "This request was moved to “Accepted” meanwhile. Reload the page to see it.",
        409,
        name="moved_meanwhile",
    ),
    NOT_SHARED,
]
_RATED = {
    **_DETAIL,
    "state": "completed",
    "state_label": "Completed",
    "closed_at": "2026-04-10T11:00:00+08:00",
    "rating": {"score": 5, "comment": "Quick and clear.", "created_at": "2026-04-10T16:20:00+08:00"},
    "actions": [],
}
RATING = [
    OpenApiExample("Rate the service", request_only=True, value={"score": 5, "comment": "Quick and clear."}),
    OpenApiExample("Rated", value=_RATED, response_only=True, status_codes=["201"]),
    problem_example(
        "invalid",
        "Invalid input.",
        400,
        "score: A valid integer is required.",
        {"score": ["A valid integer is required."]},
        name="bad_score",
    ),
    problem_example("forbidden", "Only the enterprise rates the service it received.", 403, name="not_the_enterprise"),
    problem_example("not_completed", "Only a completed request can be rated.", 409),
    problem_example("already_rated", "This request has already been rated. Thank you!", 409),
    NOT_SHARED,
]

"""The fund API's OpenAPI documentation: the shapes of the bodies ``api`` builds by hand (a
round's windows, a fund's figures and counts), which the schema cannot read from a function,
and an example of each request and response.

The shapes are checked against real answers by the schemathesis run over the live schema
(``tests/core/test_openapi_fuzz.py``), so they cannot drift from ``api`` unnoticed.
"""

from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from enterprises.api import MoneyField
from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.core.api_stats import StatsCountSerializer
from hkhz_portal.core.openapi import problem_example, scope_refused
from hkhz_portal.core.stats import THRESHOLD

from .models import WindowState
from .workflow import Stage

API = "https://portal.example.org/api/v1"


class FundShape(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")


class WindowShape(serializers.Serializer):
    fund = FundShape()
    state = serializers.ChoiceField(choices=WindowState.choices)
    state_label = serializers.CharField()
    notice_received_at = serializers.DateTimeField(help_text="When the fund received notice of the round.")
    ends_at = serializers.DateTimeField(help_text="Midnight after `last_day`.")
    last_day = serializers.DateField(help_text="The last day the fund may exercise its priority right.")
    ended_at = serializers.DateTimeField(allow_null=True, help_text="When it was exercised, waived or expired.")
    commitment = MoneyField(allow_null=True, help_text="What the fund committed, once it exercised.")
    revived = serializers.BooleanField(help_text="Reopened by an offer to other investors on better terms.")


class StageCountShape(StatsCountSerializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    label = serializers.CharField()


class WindowCountShape(StatsCountSerializer):
    state = serializers.ChoiceField(choices=WindowState.choices)
    label = serializers.CharField()


# --- Rounds -----------------------------------------------------------------------------------------

NOT_SHARED = problem_example(
    "not_shared_with_partners",
    "Financing rounds are not shared with partners: these endpoints are for signed-in users.",
    403,
    name="api_key",
)
_ROUND = {
    "id": 12,
    "url": f"{API}/enterprises/ENT-2026-00017/rounds/12/",
    "name": "Series A",
    "amount_sought": {"amount": "20000000.00", "currency": "CNY"},
    "pre_money": {"amount": "80000000.00", "currency": "CNY"},
    "instrument": "equity",
    "instrument_label": "Equity",
    "terms": "1x non-participating liquidation preference; one board seat.",
    "closing_target": "2026-09-30",
    "created_at": "2026-05-04T10:20:00+08:00",
    "windows": [
        {
            "fund": {"slug": "hkhz-fund", "name": "Hangzhou–Hong Kong Technology Achievement Transformation Fund"},
            "state": "open",
            "state_label": "Open",
            "notice_received_at": "2026-05-04T10:20:00+08:00",
            "ends_at": "2026-06-04T00:00:00+08:00",
            "last_day": "2026-06-03",
            "ended_at": None,
            "commitment": None,
            "revived": False,
        }
    ],
    "offers": [],
}
_EXERCISED = {
    **_ROUND,
    "windows": [
        {
            **_ROUND["windows"][0],
            "state": "exercised",
            "state_label": "Exercised",
            "ended_at": "2026-05-20T16:02:00+08:00",
            "commitment": {"amount": "10000000.00", "currency": "CNY"},
        }
    ],
}
ROUND_LIST = [OpenApiExample("Rounds", value=_ROUND, response_only=True), NOT_SHARED]
ROUND_DETAIL = [
    OpenApiExample("A window open", value=_ROUND, response_only=True),
    OpenApiExample("The fund exercised", value=_EXERCISED, response_only=True),
    NOT_SHARED,
]
ROUND_CREATE = [
    OpenApiExample(
        "Record a round",
        request_only=True,
        value={
            "name": "Series A",
            "amount_sought": {"amount": "20000000.00", "currency": "CNY"},
            "pre_money": {"amount": "80000000.00", "currency": "CNY"},
            "instrument": "equity",
            "closing_target": "2026-09-30",
            "terms": "1x non-participating liquidation preference; one board seat.",
        },
    ),
    OpenApiExample("Recorded", value=_ROUND, response_only=True, status_codes=["201"]),
    problem_example(
        "past_closing",
        "The target closing date is in the future.",
        400,
        errors={"closing_target": ["The target closing date is in the future."]},
    ),
    problem_example(
        "consent_required",
        "Give your consent to cross-border transfer of your data before you submit it.",
        403,
    ),
    NOT_SHARED,
]

# --- The fund's figures -----------------------------------------------------------------------------


def _money(amount):
    return {"amount": amount, "currency": "CNY"}


FIGURES = [
    OpenApiExample(
        "Figures",
        response_only=True,
        value={
            "slug": "hkhz-fund",
            "name": "Hangzhou–Hong Kong Technology Achievement Transformation Fund",
            "currency": "CNY",
            "vintage": 2025,
            "target_size": _money("500000000.00"),
            "committed": _money("320000000.00"),
            "called": _money("120000000.00"),
            "uncalled": _money("200000000.00"),
            "invested": _money("96500000.00"),
            "distributed": _money("14000000.00"),
            "remaining": _money("223500000.00"),
            "threshold": THRESHOLD,
            "deals_by_stage": [
                {"stage": "screening", "label": "Screening", "count": 9, "suppressed": False},
                {"stage": "due_diligence", "label": "Due diligence", "count": 6, "suppressed": False},
                {"stage": "committee", "label": "Investment committee", "count": None, "suppressed": True},
                {"stage": "portfolio", "label": "Portfolio", "count": None, "suppressed": True},
                {"stage": "declined", "label": "Declined", "count": 14, "suppressed": False},
            ],
            "windows_by_state": [
                {"state": "open", "label": "Open", "count": None, "suppressed": True},
                {"state": "exercised", "label": "Exercised", "count": 7, "suppressed": False},
                {"state": "waived", "label": "Waived", "count": 11, "suppressed": False},
                {"state": "expired", "label": "Expired", "count": None, "suppressed": True},
            ],
        },
    ),
    scope_refused(Scope.STATS_READ),
]

"""The admission API's OpenAPI documentation: the shapes of the bodies ``api`` builds by hand
(a call's form, an application's timeline, a reviewer's assignment), which the schema cannot
read from a function, and an example of each request and response.

The shapes are checked against real answers by the schemathesis run over the live schema
(``tests/core/test_openapi.py``), so they cannot drift from ``api`` unnoticed.
"""

from drf_spectacular.utils import OpenApiExample, inline_serializer
from rest_framework import serializers

from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.core.converters import REFERENCE_REGEX
from hkhz_portal.core.openapi import problem_example, scope_refused

from .choices import CallState

API = "https://portal.example.org/api/v1"


# --- Calls -----------------------------------------------------------------------------------------


class ProgrammeShape(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()


class RuleShape(serializers.Serializer):
    kind = serializers.CharField(help_text="The eligibility rule's code.")
    label = serializers.CharField()


class ChoiceShape(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class ShowIfShape(serializers.Serializer):
    question = serializers.CharField(help_text="The key of the question whose answer decides.")
    answer_in = serializers.ListField(child=serializers.JSONField(), help_text="Shown when the answer is one of these.")


class ColumnShape(serializers.Serializer):
    """A question; a table's columns are questions too, without columns of their own. Choices,
    limits and the condition are there only when they apply."""

    key = serializers.CharField()
    kind = serializers.CharField(help_text="`short_text`, `long_text`, `number`, `money`, `date`, `choice`, …")
    label = serializers.CharField()
    help = serializers.CharField(allow_blank=True)
    required = serializers.BooleanField()
    choices = ChoiceShape(many=True, required=False)
    max_length = serializers.IntegerField(required=False)
    max_words = serializers.IntegerField(required=False)
    min_value = serializers.DecimalField(max_digits=20, decimal_places=2, required=False)
    max_value = serializers.DecimalField(max_digits=20, decimal_places=2, required=False)
    document_type = serializers.CharField(help_text="For a document question: the type to attach.", required=False)
    min_rows = serializers.IntegerField(required=False)
    max_rows = serializers.IntegerField(required=False)
    show_if = ShowIfShape(required=False)


class QuestionShape(ColumnShape):
    columns = ColumnShape(many=True, help_text="A table's columns.", required=False)


class SectionShape(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    help = serializers.CharField(allow_blank=True)
    show_if = ShowIfShape(required=False)
    questions = QuestionShape(many=True)


class FormShape(serializers.Serializer):
    form = serializers.CharField()
    version = serializers.IntegerField()
    sections = SectionShape(many=True)


CALL_STATE = serializers.ChoiceField(choices=CallState.choices)

_CALL = {
    "slug": "hksp-2026-spring",
    "title": "Biomedical incubation, spring 2026",
    "summary": "Wet labs and offices in Hong Kong Science Park for biomedical start-ups.",
    "programme": {
        "slug": "incu-bio",
        "name": "Incubation Programme for Biomedical Technology",
        "kind": "biomedical_incubation",
    },
    "unit": "platform",
    "state": "open",
    "rolling": False,
    "opens_at": "2026-03-01T09:00:00+08:00",
    "closes_at": "2026-05-31T23:59:59+08:00",
    "url": f"{API}/calls/hksp-2026-spring/",
}
CALL_LIST = [OpenApiExample("Calls", value=_CALL, response_only=True)]
CALL_DETAIL = [
    OpenApiExample(
        "A call",
        response_only=True,
        value={
            **_CALL,
            "capacity": 20,
            "rules": [{"kind": "max_company_age", "label": "Company age at most N years"}],
            "form": {
                "form": "Biomedical incubation form",
                "version": 3,
                "sections": [
                    {
                        "key": "company",
                        "title": "The company",
                        "help": "",
                        "questions": [
                            {
                                "key": "summary",
                                "kind": "short_text",
                                "label": "One-line summary",
                                "help": "",
                                "required": True,
                                "max_length": 120,
                            },
                            {
                                "key": "hk_company_planned",
                                "kind": "yes_no",
                                "label": "Will you set up a Hong Kong company?",
                                "help": "",
                                "required": True,
                            },
                            {
                                "key": "hk_setup_date",
                                "kind": "date",
                                "label": "When will it be set up?",
                                "help": "",
                                "required": True,
                                "show_if": {"question": "hk_company_planned", "answer_in": [True]},
                            },
                        ],
                    }
                ],
            },
        },
    )
]
CALL_FILTER_REFUSED = problem_example(
    "invalid",
    "Invalid input.",
    400,
    'state: "soon" is not a valid choice.',
    {"state": ['"soon" is not a valid choice.']},
    name="bad_filter",
)

# --- Programmes ---------------------------------------------------------------------------------------

_PROGRAMME = {
    "slug": "incu-bio",
    "name": "Incubation Programme for Biomedical Technology",
    "kind": "biomedical_incubation",
    "unit": "platform",
    "description": "Up to four years in Hong Kong Science Park's wet labs for biomedical start-ups, with mentoring.",
    "duration_months": 48,
    "url": f"{API}/programmes/incu-bio/",
    "calls": f"{API}/calls/?programme=incu-bio",
}
PROGRAMME_LIST = [
    OpenApiExample("Programmes", value=_PROGRAMME, response_only=True),
    problem_example(
        "invalid",
        "Invalid input.",
        400,
        'kind: "circus" is not a valid choice.',
        {"kind": ['"circus" is not a valid choice.']},
        name="bad_filter",
    ),
]
PROGRAMME_DETAIL = [OpenApiExample("A programme", value=_PROGRAMME, response_only=True)]

# --- Applications ------------------------------------------------------------------------------------


class InfoRequestShape(serializers.Serializer):
    message = serializers.CharField()
    questions = serializers.ListField(child=serializers.CharField(), help_text="Keys of the questions reopened.")
    due_at = serializers.DateTimeField()


TIMELINE = inline_serializer(
    "TimelineEntry",
    {
        "step": serializers.CharField(help_text="The workflow's transition."),
        "from": serializers.CharField(allow_null=True),
        "to": serializers.CharField(),
        "by": serializers.CharField(allow_null=True, help_text="`applicant`, `officer`, `system`, …"),
        "by_name": serializers.CharField(allow_null=True),
        "at": serializers.DateTimeField(),
        "note": serializers.CharField(allow_blank=True),
    },
    many=True,
)


class ActionShape(serializers.Serializer):
    name = serializers.CharField(help_text="`submit`, `withdraw`, `respond` or `accept_offer`.")
    label = serializers.CharField()
    url = serializers.URLField(help_text="POST here to take the step.")


class OnboardingShape(serializers.Serializer):
    tenancy_signed_on = serializers.DateField(allow_null=True)
    company_registered_on = serializers.DateField(allow_null=True)
    moved_in_on = serializers.DateField(allow_null=True)


ENTERPRISE_REFERENCE = serializers.RegexField(REFERENCE_REGEX, help_text="One of your enterprises' references.")

_APPLICATION = {
    "reference": "HKSP-2026-00042",
    "status": "draft",
    "status_label": "Draft",
    "call": "hksp-2026-spring",
    "call_title": "Biomedical incubation, spring 2026",
    "enterprise": "ENT-2026-00017",
    "created_at": "2026-04-01T10:12:00+08:00",
    "saved_at": "2026-04-02T16:40:00+08:00",
    "submitted_at": None,
    "url": f"{API}/applications/HKSP-2026-00042/",
}
_APPLICATION_DETAIL = {
    **_APPLICATION,
    "form_version": 3,
    "answers": {
        "summary": "Antibody therapies for liver cancer",
        "hk_company_planned": True,
        "hk_setup_date": "2026-09-01",
    },
    "info_request": None,
    "timeline": [
        {
            "step": "start",
            "from": None,
            "to": "draft",
            "by": "applicant",
            "by_name": "Chen Wei",
            "at": "2026-04-01T10:12:00+08:00",
            "note": "",
        }
    ],
    "actions": [
        {"name": "submit", "label": "Submit", "url": f"{API}/applications/HKSP-2026-00042/submit/"},
        {"name": "withdraw", "label": "Withdraw", "url": f"{API}/applications/HKSP-2026-00042/withdraw/"},
    ],
    "decision": None,
}
APPLICATION_LIST = [OpenApiExample("Applications", value=_APPLICATION, response_only=True)]
APPLICATION_DETAIL = [OpenApiExample("A draft", value=_APPLICATION_DETAIL, response_only=True)]
START = [
    OpenApiExample("Start", value={"call": "hksp-2026-spring", "enterprise": "ENT-2026-00017"}, request_only=True),
    *APPLICATION_DETAIL,
]
SAVE = [
    OpenApiExample(
        "Save a section",
        value={
            "section": "company",
            "answers": {"summary": "Antibody therapies for liver cancer", "hk_company_planned": True},
        },
        request_only=True,
    ),
    *APPLICATION_DETAIL,
    problem_example(
        "invalid",
        "Invalid input.",
        400,
        "hk_setup_date: Enter a valid date.",
        {"hk_setup_date": ["Enter a valid date."]},
        name="bad_answer",
    ),
]
_SUBMITTED = {
    **_APPLICATION_DETAIL,
    "status": "submitted",
    "status_label": "Submitted",
    "submitted_at": "2026-04-03T09:30:00+08:00",
    "actions": [{"name": "withdraw", "label": "Withdraw", "url": f"{API}/applications/HKSP-2026-00042/withdraw/"}],
}
SUBMIT = [
    OpenApiExample("Submit", value={"declaration": True}, request_only=True),
    OpenApiExample("Submitted", value=_SUBMITTED, response_only=True),
    problem_example("call_closed", "This call closed on 31 May 2026: the draft can no longer be submitted.", 409),
]
WITHDRAW = [
    OpenApiExample("Withdraw", value={"reason": "We will apply to the autumn call instead."}, request_only=True),
    OpenApiExample(
        "Withdrawn",
        value={**_SUBMITTED, "status": "withdrawn", "status_label": "Withdrawn", "actions": []},
        response_only=True,
    ),
]
RESPOND = [
    OpenApiExample(
        "Respond",
        value={
            "message": "The setup date is now confirmed.",
            "answers": {"hk_setup_date": "2026-08-15"},
            "documents": [],
        },
        request_only=True,
    ),
    OpenApiExample("Back in screening", value={**_SUBMITTED, "status": "submitted"}, response_only=True),
    problem_example(
        "invalid",
        "Invalid input.",
        400,
        "summary: The officer did not reopen this question.",
        {"summary": ["The officer did not reopen this question."]},
        name="not_reopened",
    ),
]
_DECISION = {
    "outcome": "approve",
    "outcome_label": "Approve",
    "decided_at": "2026-06-20T15:00:00+08:00",
    "conditions": "Open a Hong Kong bank account.",
    "reasons": "",
    "space_kind": "wet_lab",
    "space_kind_label": "Wet lab",
    "area_m2": "45.5",
    "move_in_on": "2026-09-01",
    "term_months": 36,
    "waitlist_position": None,
}
ACCEPT_OFFER = [
    OpenApiExample(
        "Onboarding",
        response_only=True,
        value={
            **_SUBMITTED,
            "status": "onboarding",
            "status_label": "Onboarding",
            "actions": [],
            "decision": {
                **_DECISION,
                "onboarding_ended": False,
                "onboarding": {"tenancy_signed_on": None, "company_registered_on": None, "moved_in_on": None},
                "comments": ["Strengthen the market plan."],
            },
        },
    ),
    problem_example("invalid_transition", "This application has no offer to accept.", 409),
]
DECIDE = [
    OpenApiExample(
        "Approve",
        request_only=True,
        value={
            "outcome": "approve",
            "expected_status": "reviewed",
            "conditions": "Open a Hong Kong bank account.",
            "space_kind": "wet_lab",
            "area_m2": "45.5",
            "move_in_on": "2026-09-01",
            "term_months": 36,
        },
    ),
    OpenApiExample("Reject", request_only=True, value={"outcome": "reject", "reasons": "The market plan is too thin."}),
    OpenApiExample(
        "Approved",
        response_only=True,
        value={"reference": "HKSP-2026-00042", "status": "approved", "decision": _DECISION},
    ),
    problem_example(
        "stale_status",
        "Officer Chan already moved this application to “Approved” at 15:00.",
        409,
        name="decided_meanwhile",
    ),
]
RANKING = [
    OpenApiExample(
        "Ranking",
        response_only=True,
        value={
            "rank": 1,
            "reference": "HKSP-2026-00042",
            "status": "reviewed",
            "raw": 4.2,
            "normalised": 4.35,
            "spread": 0.5,
            "large_spread": False,
            "reviews": 3,
            "within_capacity": True,
            "raw_reviewers_count": 0,
        },
    )
]

# --- Reviews ---------------------------------------------------------------------------------------------


class LevelShape(serializers.Serializer):
    score = serializers.IntegerField()
    description = serializers.CharField(allow_blank=True)


class CriterionShape(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    levels = LevelShape(many=True)


class RubricShape(serializers.Serializer):
    scale_min = serializers.IntegerField()
    scale_max = serializers.IntegerField()
    criteria = CriterionShape(many=True)


class OtherReviewShape(serializers.Serializer):
    """Another reviewer's review, shown once the reviewer's own is submitted."""

    scores = serializers.DictField(child=serializers.IntegerField(allow_null=True), help_text="Score by criterion key.")
    total = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True)
    recommendation = serializers.CharField(allow_blank=True)
    comment_to_officer = serializers.CharField(allow_blank=True)
    submitted_at = serializers.DateTimeField(allow_null=True)


class OwnReviewShape(OtherReviewShape):
    """The reviewer's own review."""

    comment_to_applicant = serializers.CharField(allow_blank=True)
    updated_at = serializers.DateTimeField()


class ReviewDocumentShape(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()


_ASSIGNMENT = {
    "id": 7,
    "status": "awaiting_declaration",
    "status_label": "Awaiting declaration",
    "application": "HKSP-2026-00042",
    "enterprise_name": "Hangzhou Helix Biotech Co., Ltd.",
    "call": "hksp-2026-spring",
    "call_title": "Biomedical incubation, spring 2026",
    "due_on": "2026-06-10",
    "overdue": False,
    "working_days_left": 8,
    "assigned_at": "2026-05-27T10:00:00+08:00",
    "declared_at": None,
    "ended_at": None,
    "url": f"{API}/reviews/7/",
}
_DECLARED = {
    **_ASSIGNMENT,
    "status": "in_progress",
    "status_label": "In progress",
    "declared_at": "2026-05-28T09:00:00+08:00",
    "open": True,
    "answers": {"summary": "Antibody therapies for liver cancer"},
    "documents": [{"id": 3, "title": "Business plan", "url": "https://portal.example.org/reviews/7/documents/3/v1/"}],
    "rubric": {
        "scale_min": 1,
        "scale_max": 5,
        "criteria": [
            {
                "key": "science",
                "name": "Science",
                "description": "",
                "weight": "0.40",
                "levels": [{"score": 5, "description": "World-class"}],
            }
        ],
    },
    "review": None,
}
ASSIGNMENT_LIST = [OpenApiExample("Assignments", value=_ASSIGNMENT, response_only=True)]
ASSIGNMENT_DETAIL = [
    OpenApiExample("Before the declaration", value={**_ASSIGNMENT, "open": True}, response_only=True),
    OpenApiExample("Declared, no conflict", value=_DECLARED, response_only=True),
]
DECLARE = [
    OpenApiExample("No conflict", value={"conflict": False}, request_only=True),
    OpenApiExample(
        "A conflict", value={"conflict": True, "reason": "I advised this firm last year."}, request_only=True
    ),
    OpenApiExample("Declared, no conflict", value=_DECLARED, response_only=True),
    problem_example("already_declared", "You already declared for this assignment.", 409),
]
_REVIEW = {
    "scores": {"science": 4},
    "total": "4.000",
    "recommendation": "admit",
    "comment_to_officer": "Solid science.",
    "submitted_at": "2026-06-02T17:00:00+08:00",
    "comment_to_applicant": "Strengthen the market plan.",
    "updated_at": "2026-06-02T17:00:00+08:00",
}
SAVE_REVIEW = [
    OpenApiExample(
        "Submit the review",
        request_only=True,
        value={
            "scores": {"science": 4},
            "recommendation": "admit",
            "comment_to_officer": "Solid science.",
            "comment_to_applicant": "Strengthen the market plan.",
            "submit": True,
        },
    ),
    OpenApiExample(
        "Submitted",
        response_only=True,
        value={
            **_DECLARED,
            "status": "submitted",
            "status_label": "Review submitted",
            "review": _REVIEW,
            "other_reviews": [],
        },
    ),
    problem_example(
        "invalid_scores",
        "Some scores are missing or out of range.",
        400,
        "science: Give a whole number from 1 to 5.",
        {"science": ["Give a whole number from 1 to 5."]},
        name="bad_score",
    ),
    problem_example("reviews_closed", "The reviews of this application are closed.", 409),
]

# --- Applications shared with a partner organisation ------------------------------------------------------

_SHARED = {
    "reference": "HKSP-2026-00042",
    "status": "in_review",
    "status_label": "In review",
    "call": "hksp-2026-spring",
    "call_title": "Biomedical incubation, spring 2026",
    "programme": "incu-bio",
    "enterprise": {
        "reference": "ENT-2026-00017",
        "name_en": "Hangzhou Helix Biotech Co., Ltd.",
        "name_zh": "杭州螺旋生物科技有限公司",
    },
    "sector": "biopharma",
    "submitted_at": "2026-04-03T09:30:00+08:00",
    "status_changed_at": "2026-04-08T11:00:00+08:00",
    "url": f"{API}/partner/applications/HKSP-2026-00042/",
}
SHARED_APPLICATION_LIST = [
    OpenApiExample("Applications shared with you", value=_SHARED, response_only=True),
    scope_refused(Scope.APPLICATIONS_READ),
]
SHARED_APPLICATION_DETAIL = [
    OpenApiExample(
        "A shared application",
        response_only=True,
        value={
            **_SHARED,
            "form_version": 3,
            "answers": {
                "summary": "Antibody therapies for liver cancer",
                "team": [{"name": "Chen Wei", "role": "Chief executive"}],
            },
            "contacts": [
                {
                    "name": "Chen Wei",
                    "title": "Chief executive",
                    "email": "chen.wei@helix.example.cn",
                    "phone": "+8657188880000",
                }
            ],
        },
    ),
    problem_example("not_found", "No Application matches the given query.", 404, name="not_shared"),
    scope_refused(Scope.APPLICATIONS_READ),
]

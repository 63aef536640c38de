"""The enterprises API's OpenAPI documentation: the money and links shapes the schema cannot read
from ``api``'s fields, and an example of each request and response (checked against real
answers by the schemathesis run in ``tests/core/test_openapi.py``)."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers

from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.core.openapi import problem_example, scope_refused

from .choices import CURRENCIES

API = "https://portal.example.org/api/v1"
ENTERPRISE = f"{API}/enterprises/ENT-2026-00017"

MONEY = {
    "type": "object",
    "properties": {
        "amount": {
            "type": "string",
            "format": "decimal",
            "pattern": r"^\d{1,14}(\.\d{1,2})?$",
            "example": "1200000.00",
        },
        "currency": {"type": "string", "enum": [code for code, _label in CURRENCIES]},
    },
    "required": ["amount", "currency"],
}


class LinksShape(serializers.Serializer):
    documents = serializers.URLField()
    products = serializers.URLField()
    milestones = serializers.URLField()
    members = serializers.URLField()


_ENTERPRISE = {
    "reference": "ENT-2026-00017",
    "legal_name_en": "Hangzhou Helix Biotech Co., Ltd.",
    "legal_name_zh": "杭州螺旋生物科技有限公司",
    "short_name": "Helix Bio",
    "kind": "mainland",
    "uscc": "91330106MA2H0G7U3K",
    "hk_br": None,
    "hk_cr": None,
    "registered_address": "88 Wenyi West Road, Xihu District",
    "city": "Hangzhou",
    "district": "330106",
    "founded_on": "2024-05-20",
    "sector": "biopharma",
    "stage": "early",
    "headcount": "11_50",
    "annual_revenue": {"amount": "1200000.00", "currency": "CNY"},
    "rd_spend": None,
    "granted_patents": 3,
    "website": "https://helix.example.cn",
    "description_en": "Antibody therapies for liver cancer.",
    "description_zh": "肝癌抗体疗法。",
    "listed_in_directory": True,
    "data_residency": "mainland",
    "created_at": "2026-02-01T10:00:00+08:00",
    "updated_at": "2026-04-02T16:40:00+08:00",
    "links": {
        "documents": f"{ENTERPRISE}/documents/",
        "products": f"{ENTERPRISE}/products/",
        "milestones": f"{ENTERPRISE}/milestones/",
        "members": f"{ENTERPRISE}/members/",
    },
}
ENTERPRISE_LIST = [OpenApiExample("Enterprises", value=_ENTERPRISE, response_only=True)]
ENTERPRISE_DETAIL = [OpenApiExample("An enterprise", value=_ENTERPRISE, response_only=True)]
ENTERPRISE_UPDATE = [
    OpenApiExample(
        "Update the figures",
        value={"annual_revenue": {"amount": "1500000.00", "currency": "CNY"}, "granted_patents": 4},
        request_only=True,
    ),
    *ENTERPRISE_DETAIL,
    problem_example(
        "invalid",
        "Invalid input.",
        400,
        "uscc: This unified social credit code's check character is wrong.",
        {"uscc": ["This unified social credit code's check character is wrong."]},
        name="bad_identifier",
    ),
    problem_example(
        "consent_required",
        "Give your consent to cross-border transfer before entering the enterprise's data.",
        403,
        name="no_consent",
    ),
]

_DOCUMENT = {
    "id": 3,
    "title": "Business plan",
    "type": "business_plan",
    "type_label": "Business plan",
    "created_at": "2026-03-01T10:00:00+08:00",
    "current_version": 2,
    "versions": [
        {
            "number": 2,
            "file_name": "plan-2026.pdf",
            "content_type": "application/pdf",
            "size": 482133,
            "uploaded_at": "2026-03-15T09:20:00+08:00",
            "download_url": "https://portal.example.org/enterprises/ENT-2026-00017/documents/3/v2/",
        }
    ],
}
DOCUMENT_LIST = [OpenApiExample("Documents", value=_DOCUMENT, response_only=True)]
DOCUMENT_DETAIL = [OpenApiExample("A document", value=_DOCUMENT, response_only=True)]
MEMBER_LIST = [
    OpenApiExample(
        "Members",
        value={
            "id": 5,
            "full_name": "Chen Wei",
            "email": "chen.wei@helix.example.cn",
            "role": "owner",
            "joined_at": "2026-02-01T10:00:00+08:00",
        },
        response_only=True,
    )
]

_MILESTONE = {
    "jurisdiction": "fda",
    "pathway": "ind",
    "status": "submitted",
    "planned_on": "2026-06-30",
    "actual_on": None,
    "reference_number": "IND 165432",
    "priority_review": False,
    "notes": "",
}
_PRODUCT = {
    "id": 4,
    "name": "HLX-101",
    "modality": "biologic",
    "created_at": "2026-03-01T10:00:00+08:00",
    "milestones": [{"id": 9, **_MILESTONE, "updated_at": "2026-04-02T16:40:00+08:00"}],
}
PRODUCT_LIST = [OpenApiExample("Products", value=_PRODUCT, response_only=True)]
PRODUCT_DETAIL = [OpenApiExample("A product", value=_PRODUCT, response_only=True)]
PRODUCT_WRITE = [
    OpenApiExample("A product", value={"name": "HLX-101", "modality": "biologic"}, request_only=True),
    OpenApiExample("Saved", value={**_PRODUCT, "milestones": []}, response_only=True),
]
PRODUCT_DELETE = [problem_example("not_found", "No Product matches the given query.", 404)]

MILESTONE_LIST = [
    OpenApiExample(
        "Milestones",
        value={"id": 9, "product": 4, **_MILESTONE, "updated_at": "2026-04-02T16:40:00+08:00"},
        response_only=True,
    )
]
MILESTONE_DETAIL = [
    OpenApiExample(
        "A milestone",
        value={"id": 9, "product": 4, **_MILESTONE, "updated_at": "2026-04-02T16:40:00+08:00"},
        response_only=True,
    )
]
MILESTONE_WRITE = [
    OpenApiExample("An FDA IND", value={"product": 4, **_MILESTONE}, request_only=True),
    *MILESTONE_DETAIL,
    problem_example(
        "invalid",
        "Invalid input.",
        400,
        "product: This enterprise has no product with id 12.",
        {"product": ["This enterprise has no product with id 12."]},
        name="other_product",
    ),
]
MILESTONE_DELETE = [problem_example("not_found", "No Milestone matches the given query.", 404)]
PRODUCT_FILTER = OpenApiParameter(
    "product",
    {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
    description="Only this product's milestones.",
)
PRODUCT_FILTER_REFUSED = problem_example(
    "invalid",
    "Invalid input.",
    400,
    "product: Give a product id (a number).",
    {"product": ["Give a product id (a number)."]},
)

# --- The partner directory -------------------------------------------------------------------------

_LISTED = {
    "reference": "ENT-2026-00017",
    "name_en": "Hangzhou Helix Biotech Co., Ltd.",
    "name_zh": "杭州螺旋生物科技有限公司",
    "short_name": "Helix Bio",
    "sector": "biopharma",
    "district": "330106",
    "stage": "early",
    "description_en": "Antibody therapies for liver cancer.",
    "description_zh": "肝癌抗体疗法。",
    "founded_year": 2024,
    "admitted": True,
    "url": f"{API}/directory/ENT-2026-00017/",
}
DIRECTORY_LIST = [
    OpenApiExample("Listed enterprises", value=_LISTED, response_only=True),
    problem_example(
        "invalid",
        "Invalid input.",
        400,
        "founded_after: Ensure this value is greater than or equal to 1900.",
        {"founded_after": ["Ensure this value is greater than or equal to 1900."]},
        name="bad_filter",
    ),
    scope_refused(Scope.DIRECTORY_READ),
]
DIRECTORY_ENTRY = [
    OpenApiExample("A listed enterprise", value=_LISTED, response_only=True),
    scope_refused(Scope.DIRECTORY_READ),
]


#: The filters whose schema django-filter's extension cannot read from their form fields.
DIRECTORY_FILTERS = [
    OpenApiParameter("admitted", bool, description="Admitted to Hong Kong Science Park (true), or not (false)."),
    OpenApiParameter(
        "founded_after", {"type": "integer", "minimum": 1900, "maximum": 2100}, description="Founded after this year."
    ),
    OpenApiParameter(
        "founded_before",
        {"type": "integer", "minimum": 1900, "maximum": 2100},
        description="Founded before this year.",
    ),
    OpenApiParameter(
        "search",
        {"type": "string", "maxLength": 200},
        description="Part of either name, in English or Chinese (Simplified or Traditional characters alike).",
    ),
]

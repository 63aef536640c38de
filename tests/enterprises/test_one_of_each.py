"""What used to be written twice or more now reads the same everywhere: the profile's facts and
their money format, the consent hint, the Companies Registry number, the milestone fields,
completeness."""

from decimal import Decimal

import pytest
from django.urls import reverse
from djmoney.money import Money

from enterprises.api import MilestoneSerializer, ProductMilestoneSerializer
from enterprises.completeness import completeness
from enterprises.forms.regulatory import MilestoneForm
from enterprises.models import MILESTONE_FIELDS, Enterprise
from enterprises.selectors import enterprise_summaries
from enterprises.services import profile as profile_services
from hkhz_portal.accounts.roles import Role
from tests.factories import EnterpriseFactory, member_of, user_with_role

pytestmark = pytest.mark.django_db

HINT = "Give your consent to cross-border transfer"


@pytest.fixture
def enterprise():
    return EnterpriseFactory(
        annual_revenue=Money(Decimal("12500000.00"), "CNY"), rd_spend=Money(Decimal("3200000.5"), "HKD")
    )


def test_members_and_staff_read_the_same_facts_with_the_same_money_format(client, enterprise):
    client.force_login(member_of(enterprise))
    mine = client.get(reverse("enterprise_detail", args=[enterprise.reference])).content.decode()
    client.force_login(user_with_role(Role.PROGRAM_OFFICER))
    staff = client.get(reverse("staff_enterprise_detail", args=[enterprise.reference])).content.decode()
    for page in (mine, staff):
        assert "CNY 12,500,000.00" in page
        assert "HKD 3,200,000.50" in page
        assert enterprise.uscc in page


@pytest.mark.parametrize(
    ("page", "comes_back_to"),
    [
        ("enterprise_list", "enterprise_create"),
        ("enterprise_edit", None),
        ("contact_list", None),
        ("document_list", None),
        ("product_list", None),
    ],
)
def test_every_page_that_takes_data_shows_the_same_consent_hint(client, enterprise, page, comes_back_to):
    client.force_login(member_of(enterprise, consent=False))
    url = reverse(page) if page == "enterprise_list" else reverse(page, args=[enterprise.reference])
    html = client.get(url).content.decode()
    back = reverse(comes_back_to) if comes_back_to else url
    assert f'href="{reverse("consent")}?next={back}">{HINT}</a>' in html


def test_no_consent_hint_once_consent_is_given(client, enterprise):
    client.force_login(member_of(enterprise))
    assert HINT not in client.get(reverse("enterprise_edit", args=[enterprise.reference])).content.decode()


# --- The Companies Registry number: one clean-up for the form, the API and the service -------------


@pytest.fixture
def hong_kong_firm():
    return EnterpriseFactory(kind="hong_kong", uscc=None, hk_br="12345678", district="", data_residency="hong_kong")


def test_the_api_takes_a_cr_number_as_printed(client, hong_kong_firm):
    client.force_login(member_of(hong_kong_firm))
    response = client.patch(
        f"/api/v1/enterprises/{hong_kong_firm.reference}/", {"hk_cr": " 123 4567 "}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["hk_cr"] == "1234567"


def test_the_service_takes_a_cr_number_as_printed(hong_kong_firm):
    owner = member_of(hong_kong_firm, "owner")
    profile_services.update_enterprise(hong_kong_firm, actor=owner, hk_cr="123 4567")
    assert Enterprise.objects.get(pk=hong_kong_firm.pk).hk_cr == "1234567"


# --- One list of milestone fields; completeness needs no query of its own ----------------------------


def test_the_form_and_the_api_record_the_same_milestone_fields():
    assert list(MilestoneForm._meta.fields) == list(MILESTONE_FIELDS)
    assert list(MilestoneSerializer.Meta.fields) == ["id", "product", *MILESTONE_FIELDS, "updated_at"]
    assert list(ProductMilestoneSerializer.Meta.fields) == ["id", *MILESTONE_FIELDS, "updated_at"]


def test_completeness_is_a_rule_on_what_is_already_loaded(enterprise, django_assert_num_queries):
    user = member_of(enterprise)
    (summary,) = enterprise_summaries(user)
    with django_assert_num_queries(0):
        result = completeness(summary.enterprise)
    assert result == summary.completeness
    assert "Business licence document" in result.missing

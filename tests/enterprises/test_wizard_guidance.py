"""The create wizard guides a new user: the kind first and only its identifiers, required fields
marked, empty choices that say what to pick, money with its unit and its error on the amount, the
Chinese legal name of a mainland firm, and a run that resumes when the wizard is opened again."""

import re

import pytest
from django.urls import reverse

from enterprises.models import MAINLAND_NEEDS_CHINESE_NAME, Enterprise
from tests.enterprises.test_profile_pages import CREATE, FIGURES, IDENTITY, LOCATION, applicant, step
from tests.factories import EnterpriseFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    client.force_login(applicant())
    return client


def field_block(html, name) -> str:
    """The ``<div class="field">`` holding the input ``name``."""
    blocks = re.findall(r'<div class="field[^"]*">.*?</div>', html, flags=re.S)
    return next(block for block in blocks if f'name="{name}"' in block)


def test_the_kind_comes_first_and_each_identifier_says_which_kind_it_belongs_to(signed_in):
    html = signed_in.get(CREATE).content.decode()
    names = re.findall(r'name="identity-(\w+)"', html)
    assert names[0] == "kind"
    assert "data-kind-select" in field_block(html, "identity-kind")
    assert 'data-kinds="mainland"' in field_block(html, "identity-uscc")
    assert 'data-kinds="hong_kong"' in field_block(html, "identity-hk_br")
    assert 'data-kinds="hong_kong"' in field_block(html, "identity-hk_cr")
    assert "data-kinds" not in field_block(html, "identity-legal_name_en")
    # The script that shows them is a static file (the CSP allows no inline script).
    assert "<script>" not in html


def test_required_fields_are_marked_and_read_out_as_required(signed_in):
    html = signed_in.get(CREATE).content.decode()
    mark = '<span class="required-mark"> <span aria-hidden="true">*</span><span class="visually-hidden">required</span>'
    assert mark in field_block(html, "identity-legal_name_en")
    assert mark in field_block(html, "identity-kind")
    assert "required-mark" not in field_block(html, "identity-short_name")
    # Required of some kinds only: marked, and the script shows the mark for those kinds.
    assert "data-required-mark" in field_block(html, "identity-legal_name_zh")
    assert "data-required-mark" in field_block(html, "identity-uscc")
    assert "required-mark" not in field_block(html, "identity-hk_cr")
    assert "Fields marked with an asterisk (*) are required." in html


def test_empty_choices_say_what_to_pick(signed_in):
    identity = signed_in.get(CREATE).content.decode()
    assert '<option value="" selected>Choose where it is registered</option>' in identity
    location = step(signed_in, "identity", IDENTITY).content.decode()
    for text in ("Choose a sector", "Choose a district", "Choose a stage", "Choose a headcount"):
        assert f">{text}</option>" in location
    assert "---------" not in identity + location


def test_money_is_labelled_with_its_unit_and_its_error_lands_on_the_amount(signed_in):
    step(signed_in, "identity", IDENTITY)
    figures = step(signed_in, "location", LOCATION).content.decode()
    revenue = field_block(figures, "figures-annual_revenue_0")
    assert '<label for="id_figures-annual_revenue_0">Annual revenue' in revenue
    assert 'aria-label="Currency"' in revenue
    assert "in the currency chosen beside the amount" in revenue

    refused = step(signed_in, "figures", {**FIGURES, "annual_revenue_0": "-5"}).content.decode()
    revenue = field_block(refused, "figures-annual_revenue_0")
    amount = re.search(r'<input[^>]*name="figures-annual_revenue_0"[^>]*>', revenue).group(0)
    currency = re.search(r'<select[^>]*name="figures-annual_revenue_1"[^>]*>', revenue).group(0)
    assert 'aria-invalid="true"' in amount
    assert "id_figures-annual_revenue_error" in amount
    assert "aria-invalid" not in currency
    assert '<p class="error" id="id_figures-annual_revenue_error">Enter an amount of zero or more.</p>' in revenue
    assert not Enterprise.objects.exists()


# --- The Chinese legal name -------------------------------------------------------------------------


def test_a_mainland_firm_needs_its_registered_chinese_name(signed_in):
    response = step(signed_in, "identity", {**IDENTITY, "legal_name_zh": ""})
    assert response.context["form"].errors["legal_name_zh"] == [str(MAINLAND_NEEDS_CHINESE_NAME)]
    assert "Step 1 of 3" in response.content.decode()


def test_a_hong_kong_firm_may_leave_the_chinese_name_empty(signed_in):
    identity = {**IDENTITY, "kind": "hong_kong", "uscc": "", "hk_br": "71234567", "legal_name_zh": ""}
    assert "Step 2 of 3" in step(signed_in, "identity", identity).content.decode()


@pytest.mark.parametrize(
    ("language", "heading", "below"),
    [
        ("en", "Hangzhou Lakeside Biotech Co., Ltd.", "杭州湖畔生物科技有限公司"),
        ("zh-hans", "杭州湖畔生物科技有限公司", "Hangzhou Lakeside Biotech Co., Ltd."),
        ("zh-hant", "杭州湖畔生物科技有限公司", "Hangzhou Lakeside Biotech Co., Ltd."),
    ],
)
def test_the_profile_is_headed_by_the_legal_name_in_the_readers_language(client, language, heading, below):
    enterprise = EnterpriseFactory(legal_name_en=IDENTITY["legal_name_en"], legal_name_zh=IDENTITY["legal_name_zh"])
    client.force_login(member_of(enterprise, "owner"))
    client.cookies["django_language"] = language
    html = client.get(reverse("enterprise_detail", args=[enterprise.reference])).content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1)
    assert h1 == heading
    assert f">{below}</p>" in html


# --- Resuming -------------------------------------------------------------------------------------


def test_opening_the_wizard_again_resumes_it_where_it_was_left(signed_in):
    step(signed_in, "identity", IDENTITY)
    signed_in.get(reverse("enterprise_list"))  # the user wanders off

    again = signed_in.get(CREATE).content.decode()
    assert "Step 2 of 3" in again
    assert "You are continuing where you left off" in again

    back = signed_in.post(CREATE, {"enterprise_create_wizard-current_step": "location", "wizard_goto_step": "identity"})
    assert IDENTITY["uscc"] in back.content.decode()  # what was typed is kept


def test_start_again_clears_the_run(signed_in):
    step(signed_in, "identity", IDENTITY)
    restarted = signed_in.post(CREATE, {"wizard_restart": "1"})
    assert restarted.status_code == 302 and restarted["Location"] == CREATE
    fresh = signed_in.get(CREATE).content.decode()
    assert "Step 1 of 3" in fresh
    assert "You are continuing" not in fresh
    assert IDENTITY["uscc"] not in fresh


def test_a_first_visit_and_a_finished_run_start_afresh(signed_in):
    assert "You are continuing" not in signed_in.get(CREATE).content.decode()
    step(signed_in, "identity", IDENTITY)
    step(signed_in, "location", LOCATION)
    step(signed_in, "figures", FIGURES)
    assert Enterprise.objects.count() == 1
    fresh = signed_in.get(CREATE).content.decode()
    assert "Step 1 of 3" in fresh and "You are continuing" not in fresh

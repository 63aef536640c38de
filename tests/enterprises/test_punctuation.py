"""Punctuation a reader notices: colons after labels, a percentage, a date column called a date."""

import re

import pytest
from django.urls import reverse

from enterprises.services import regulatory
from tests.factories import EnterpriseFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def owner(enterprise):
    return member_of(enterprise, "owner")


def page(client, user, url, language="en"):
    client.cookies["django_language"] = language
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def labels(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)]


def test_completeness_is_written_87_percent_without_a_space(client, enterprise, owner):
    for url in (reverse("enterprise_detail", args=[enterprise.reference]), reverse("dashboard")):
        html = page(client, owner, url)
        assert re.search(r"\b\d{1,3}% complete", html), url
        assert not re.search(r"\d %", html), url


def test_a_checkbox_statement_ends_with_its_own_full_stop_and_no_colon(client, enterprise, owner):
    url = reverse("contact_list", args=[enterprise.reference])
    english = labels(page(client, owner, url))
    assert any(label.startswith("I confirm this person") and label.endswith(".") for label in english)

    chinese = labels(page(client, owner, url, "zh-hant"))
    assert any(label.startswith("本人確認") and label.endswith("。") for label in chinese)
    assert not [label for label in chinese if "。：" in label or "。:" in label]
    # The other labels of the page take the full-width colon.
    assert any(label.startswith("姓名：") for label in chinese)


def test_the_milestone_table_heads_its_date_columns_as_dates(client, enterprise, owner):
    product = regulatory.save_product(enterprise, actor=owner, name="HZ-101", modality="biologic")
    regulatory.save_milestone(
        product, actor=owner, jurisdiction="fda", pathway="ind", status="planned", planned_on="2027-01-04"
    )
    url = reverse("product_detail", args=[enterprise.reference, product.pk])

    table = page(client, owner, url).split('class="milestone-table', 1)[1].split("</thead>")[0]
    assert '<th scope="col">Planned date</th>' in table
    assert '<th scope="col">Actual date</th>' in table

    table = page(client, owner, url, "zh-hant").split('class="milestone-table', 1)[1].split("</thead>")[0]
    assert '<th scope="col">計劃日期</th>' in table  # a date, not the status "計劃中"

"""The partner directory API: listed enterprises only, public fields only, filters, search in
either script, cursor pages, and a query count that does not grow with the page size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.api_directory import DirectoryEntrySerializer
from hkhz_portal.accounts.api_keys import Scope
from programs.workflow import Status
from tests.factories import EnterpriseFactory, api_key
from tests.programs.factories import CallFactory, application_in_review

pytestmark = pytest.mark.django_db

URL = "/api/v1/directory/"
PUBLIC_FIELDS = {
    "reference",
    "name_en",
    "name_zh",
    "short_name",
    "sector",
    "district",
    "stage",
    "description_en",
    "description_zh",
    "founded_year",
    "admitted",
    "url",
}


@pytest.fixture
def key():
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key(scopes=[Scope.DIRECTORY_READ])}"}


def listed(**fields):
    return EnterpriseFactory(listed_in_directory=True, **fields)


def references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_only_listed_enterprises_with_only_their_public_fields(client, key):
    shown = listed(
        legal_name_en="Hangzhou Xihu Biotech Co., Ltd.",
        legal_name_zh="杭州西湖生物科技有限公司",
        founded_on=datetime.date(2021, 6, 30),
        description_en="Antibodies.",
        website="https://xihu.example.com",
        annual_revenue=1_000_000,
    )
    EnterpriseFactory(listed_in_directory=False)
    response = client.get(URL, **key)
    [row] = response.json()["results"]
    assert set(row) == PUBLIC_FIELDS
    assert row["reference"] == shown.reference
    assert row["name_zh"] == "杭州西湖生物科技有限公司"
    assert row["founded_year"] == 2021  # the year only: the date is not public
    assert row["admitted"] is False
    assert row["url"] == f"http://testserver{URL}{shown.reference}/"
    body = response.content.decode()
    for private in (shown.uscc, "xihu.example.com", "1000000", "2021-06-30", shown.data_residency):
        assert private not in body


def test_the_schema_fields_are_the_fields_sent():
    assert set(DirectoryEntrySerializer().fields) == PUBLIC_FIELDS


def test_an_unlisted_enterprise_is_not_found_like_one_that_does_not_exist(client, key):
    hidden = EnterpriseFactory(listed_in_directory=False)
    unlisted = client.get(f"{URL}{hidden.reference}/", **key)
    missing = client.get(f"{URL}ENT-2026-99999/", **key)
    assert unlisted.status_code == missing.status_code == 404
    assert unlisted.json() == missing.json()
    shown = listed()
    assert client.get(f"{URL}{shown.reference}/", **key).json()["reference"] == shown.reference


def test_admitted_says_whether_an_application_reached_admitted(client, key):
    call = CallFactory()
    admitted, in_review, never = listed(), listed(), listed()
    application_in_review(call, admitted)
    admitted.applications.update(status=Status.ADMITTED)
    application_in_review(call, in_review)
    rows = {row["reference"]: row["admitted"] for row in client.get(URL, **key).json()["results"]}
    assert rows == {admitted.reference: True, in_review.reference: False, never.reference: False}
    assert references(client.get(URL, {"admitted": "true"}, **key)) == [admitted.reference]
    assert sorted(references(client.get(URL, {"admitted": "false"}, **key))) == sorted(
        [in_review.reference, never.reference]
    )


def test_filters_by_sector_district_stage_and_founding_year(client, key):
    old = listed(founded_on=datetime.date(2015, 3, 1), sector="medical_devices", stage="growth")
    new = listed(founded_on=datetime.date(2022, 12, 31), district="330108")
    assert references(client.get(URL, {"sector": "medical_devices"}, **key)) == [old.reference]
    assert references(client.get(URL, {"stage": "growth"}, **key)) == [old.reference]
    assert references(client.get(URL, {"district": "330108"}, **key)) == [new.reference]
    assert references(client.get(URL, {"founded_after": 2021}, **key)) == [new.reference]
    assert references(client.get(URL, {"founded_after": 2022}, **key)) == []
    assert references(client.get(URL, {"founded_before": 2022}, **key)) == [old.reference]
    assert references(client.get(URL, {"founded_before": 2015}, **key)) == []


@pytest.mark.parametrize(
    "params",
    [
        {"sector": "mining"},
        {"founded_after": "2020-01-01"},
        {"founded_after": "1066"},
        {"admitted": "perhaps"},
        {"search": "x" * 201},
    ],
)
def test_bad_filters_are_a_400_naming_the_field(client, key, params):
    response = client.get(URL, params, **key)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(params) <= set(response.json()["errors"])


def test_search_finds_either_name_in_either_chinese_script(client, key):
    firm = listed(legal_name_en="Qiantang Medical Technology Ltd.", legal_name_zh="钱塘医疗科技有限公司")
    listed(legal_name_en="Other Ltd.", legal_name_zh="其他有限公司")
    for query in ("钱塘医疗", "錢塘醫療", "qiantang medical", "QIANTANG"):
        assert references(client.get(URL, {"search": query}, **key)) == [firm.reference], query


def test_cursor_pages_hold_a_page_size_up_to_100_and_cover_every_row_once(client, key):
    firms = [listed() for _ in range(7)]
    seen, url = [], URL + "?page_size=3"
    while url:
        page = client.get(url, **key).json()
        assert len(page["results"]) <= 3
        seen += [row["reference"] for row in page["results"]]
        url = page["next"]
    assert seen == sorted(f.reference for f in firms)
    too_many = client.get(URL, {"page_size": 101}, **key)
    assert too_many.status_code == 400 and "page_size" in too_many.json()["errors"]


def test_ordering_by_name_either_way(client, key):
    b, a, c = listed(legal_name_en="Beta Ltd."), listed(legal_name_en="Alpha Ltd."), listed(legal_name_en="Gamma Ltd.")
    assert references(client.get(URL, {"ordering": "legal_name_en"}, **key)) == [a.reference, b.reference, c.reference]
    assert references(client.get(URL, {"ordering": "-legal_name_en"}, **key)) == [c.reference, b.reference, a.reference]


def test_the_query_count_does_not_grow_with_the_page_size(client, key):
    call = CallFactory()
    for n in range(120):
        firm = listed()
        if n % 3 == 0:
            application_in_review(call, firm)

    def count(page_size):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"page_size": page_size, "search": "biotech"}, **key)
        assert len(response.json()["results"]) == page_size
        return len(captured)

    client.get(URL, **key)  # the key's first use reads it and notes the use: not counted
    assert count(10) == count(100) == 1  # the page (the key is found in the cache)


def test_parameters_that_are_not_filters_change_nothing_and_filters_beside_them_still_apply(client, key):
    biotech, devices = listed(), listed(sector="medical_devices")
    assert references(client.get(URL, {"utm_source": "newsletter"}, **key)) == [biotech.reference, devices.reference]
    assert references(client.get(URL, {"utm_source": "x", "sector": "medical_devices"}, **key)) == [devices.reference]

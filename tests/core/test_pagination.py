"""Cursor pages (``core.pagination.CursorPage``): walking a list sees each row once even while rows
are added and removed; a page size from 1 to 100; any bad cursor, size or ordering is a 400."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hkhz_portal.core.models import Heartbeat
from tests.factories import api_key

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.conventions_urls")]

LIST = "/api/test/heartbeats/"
PROBLEM = "application/problem+json"
NOON = timezone.now().replace(microsecond=123456)


@pytest.fixture
def reader(client):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_key(scopes=['directory:read'])}"
    return client


def make(count, *, start=0, seen_at=NOON, step=timedelta(0)):
    return [Heartbeat.objects.create(name=f"hb-{start + n:04d}", seen_at=seen_at - n * step).pk for n in range(count)]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_pages_follow_the_default_order_with_the_primary_key_breaking_ties(reader):
    older = make(3, seen_at=NOON - timedelta(hours=1))
    tied = make(3, start=10)  # three rows at the same instant
    first = reader.get(LIST, {"page_size": 4})
    assert ids(first) == [*sorted(tied, reverse=True), max(older)]
    assert first.json()["previous"] is None
    second = reader.get(first.json()["next"])
    assert ids(second) == sorted(older, reverse=True)[1:]
    assert second.json()["next"] is None
    back = reader.get(second.json()["previous"])
    assert ids(back) == ids(first)
    assert back.json()["previous"] is None


def test_rows_added_and_removed_between_pages_neither_repeat_nor_skip_a_row(reader):
    """Every row has the same time: DRF's cursor (time and an offset) repeats rows here."""
    original = set(make(30))
    seen, url, rounds = [], LIST + "?page_size=7", 0
    while url:
        page = reader.get(url)
        seen += ids(page)
        url = page.json()["next"]
        rounds += 1
        # Rows at the same instant (sorted before or after the cursor by their ids), a later and
        # an earlier one, and a row not yet seen removed.
        make(2, start=100 + 10 * rounds)
        make(1, start=200 + rounds, seen_at=NOON + timedelta(seconds=1))
        make(1, start=300 + rounds, seen_at=NOON - timedelta(seconds=1))
        unseen = original - set(seen) - {min(original)}
        if unseen:
            removed = min(unseen)
            Heartbeat.objects.filter(pk=removed).delete()
            original.discard(removed)
    assert len(seen) == len(set(seen))
    assert original <= set(seen)


def test_ordering_by_a_listed_field_and_pages_through_it(reader):
    make(5, seen_at=NOON, step=timedelta(minutes=1))
    first = reader.get(LIST, {"ordering": "name", "page_size": 3})
    second = reader.get(first.json()["next"])
    names = [row["name"] for row in first.json()["results"] + second.json()["results"]]
    assert names == [f"hb-{n:04d}" for n in range(5)]
    assert "ordering=name" in first.json()["next"]


@pytest.mark.parametrize("ordering", ["id", "name,secret", "-", ""])
def test_ordering_by_a_field_not_listed_is_400(reader, ordering):
    response = reader.get(LIST, {"ordering": ordering})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "name, seen_at" in response.json()["errors"]["ordering"][0]


def test_page_size_is_25_by_default_and_100_at_most(reader):
    make(120)
    assert len(ids(reader.get(LIST))) == 25
    assert len(ids(reader.get(LIST, {"page_size": 100}))) == 100
    assert len(ids(reader.get(LIST, {"page_size": 1}))) == 1


@pytest.mark.parametrize("size", ["101", "0", "-1", "abc", "", "1e2", "²", "9" * 5000])
def test_a_page_size_out_of_range_or_not_a_number_is_400(reader, size):
    response = reader.get(LIST, {"page_size": size})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == "invalid_page_size"
    assert body["errors"] == {"page_size": ["Give a page size from 1 to 100."]}


def test_a_forged_or_foreign_cursor_is_400(reader):
    make(3)
    next_url = reader.get(LIST, {"page_size": 1}).json()["next"]
    cursor = parse_qs(urlparse(next_url).query)["cursor"][0]
    for params in (
        {"cursor": "garbage"},
        {"cursor": cursor[:-2] + "xx"},  # tampered
        {"cursor": cursor, "ordering": "name"},  # made for another ordering
    ):
        response = reader.get(LIST, params)
        assert response.status_code == 400, params
        assert response["Content-Type"] == PROBLEM
        assert response.json()["type"] == "invalid_cursor"


def test_a_page_costs_the_same_queries_at_10_and_100_rows(reader):
    make(150)
    reader.get(LIST)  # the key's last use is noted once a minute: not in the pages measured
    counts = []
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            assert len(ids(reader.get(LIST, {"page_size": size}))) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_schema_documents_the_page_and_its_parameters():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(urlconf="tests.core.conventions_urls").get_schema(request=None, public=True)
    operation = schema["paths"]["/api/test/heartbeats/"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {"cursor", "page_size", "ordering"}
    assert (params["page_size"]["schema"]["minimum"], params["page_size"]["schema"]["maximum"]) == (1, 100)
    assert "name, seen_at" in params["ordering"]["description"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(page["properties"]) == {"next", "previous", "results"}


@pytest.mark.urls("hkhz_portal.urls")
def test_lists_that_name_no_ordering_or_filters_get_no_such_parameters():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    params = [p["name"] for p in schema["paths"]["/api/v1/notifications/"]["get"]["parameters"]]
    assert params == ["page"]

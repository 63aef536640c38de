"""ETags on the API's reads: a client that already has the answer is told 304 with no body; the
tag changes with the data; one credential's answers are never served to another."""

import pytest

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.models import Notification
from tests.factories import api_key, user_with_role

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/v1/notifications/"


@pytest.fixture
def reader(client):
    user = user_with_role(Role.APPLICANT)
    Notification.objects.create(recipient=user, title="Your application was received")
    client.force_login(user)
    client.user = user
    return client


def test_a_read_carries_a_strong_etag_and_says_how_it_may_be_cached(reader):
    response = reader.get(NOTIFICATIONS)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) == 66  # SHA-256, not weak
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert {"private", "no-cache"} <= {v.strip() for v in response["Cache-Control"].split(",")}
    assert reader.get(NOTIFICATIONS)["ETag"] == etag


@pytest.mark.parametrize(
    "if_none_match",
    ["{tag}", "W/{tag}", '"other", {tag}', "*"],
    ids=["exact", "weak", "in-a-list", "any"],
)
@pytest.mark.parametrize("method", ["get", "head"])
def test_if_none_match_with_the_current_tag_is_304_with_no_body(reader, if_none_match, method):
    etag = reader.get(NOTIFICATIONS)["ETag"]
    response = getattr(reader, method)(NOTIFICATIONS, HTTP_IF_NONE_MATCH=if_none_match.format(tag=etag))
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "Cookie" in response["Vary"]


def test_the_tag_changes_when_the_data_does(reader):
    etag = reader.get(NOTIFICATIONS)["ETag"]
    Notification.objects.create(recipient=reader.user, title="A reviewer was assigned")
    response = reader.get(NOTIFICATIONS, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["count"] == 2


def test_another_users_tag_gets_the_users_own_answer(reader, client):
    theirs = reader.get(NOTIFICATIONS)["ETag"]
    other = user_with_role(Role.APPLICANT)
    Notification.objects.create(recipient=other, title="Your draft is due soon")
    client.force_login(other)
    response = client.get(NOTIFICATIONS, HTTP_IF_NONE_MATCH=theirs)
    assert response.status_code == 200
    assert response["ETag"] != theirs
    assert [n["title"] for n in response.json()["results"]] == ["Your draft is due soon"]


def test_reads_with_a_key_are_tagged_too(client):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key()}"}
    response = client.get("/api/v1/calls/", **auth)
    assert response.status_code == 200
    assert client.get("/api/v1/calls/", HTTP_IF_NONE_MATCH=response["ETag"], **auth).status_code == 304


def test_errors_writes_and_pages_carry_no_etag(reader):
    assert "ETag" not in reader.get(NOTIFICATIONS + "999999/")
    assert "ETag" not in reader.post(NOTIFICATIONS + "999999/read/")
    assert "ETag" not in reader.get("/healthz")

"""Who reaches the webhook pages and API: the partner organisation's users and keys with
``webhooks:manage``; another organisation's endpoint is 404; any other role 403."""

import pytest

from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.accounts.roles import Role
from hkhz_portal.webhooks.models import Delivery, DeliveryStatus
from tests.factories import api_key, partner_user, user_with_role

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    endpoint, _secret, owner = make_endpoint()
    failed = Delivery.objects.create(
        endpoint=endpoint, event_type="call.opened", payload={"type": "call.opened"}, status=DeliveryStatus.FAILED
    )
    return {
        "endpoint": endpoint,
        "delivery": failed,
        "owner": owner,
        "key": api_key(endpoint.organisation, scopes=[Scope.WEBHOOKS_MANAGE]),
        "key_without_scope": api_key(endpoint.organisation, scopes=[Scope.CALLS_READ]),
        "other_partner": partner_user(),
        "other_key": api_key(scopes=[Scope.WEBHOOKS_MANAGE]),
        "applicant": user_with_role(Role.APPLICANT),
        "officer": user_with_role(Role.PROGRAM_OFFICER),
    }


def sign_in(client, world, credential) -> dict:
    """Sign ``client`` in as ``credential``; returns the headers a key is sent with."""
    if credential.endswith("key") or credential == "key_without_scope":
        return {"HTTP_AUTHORIZATION": f"Bearer {world[credential]}"}
    if credential != "anonymous":
        client.force_login(world[credential])
    return {}


API = [
    ("get", "/api/v1/webhooks/endpoints/", 200),
    ("get", "/api/v1/webhooks/endpoints/{e}/", 200),
    ("patch", "/api/v1/webhooks/endpoints/{e}/", 200),
    ("post", "/api/v1/webhooks/endpoints/{e}/rotate-secret/", 200),
    ("post", "/api/v1/webhooks/endpoints/{e}/test/", 202),
    ("get", "/api/v1/webhooks/endpoints/{e}/deliveries/", 200),
    ("get", "/api/v1/webhooks/deliveries/{d}/", 200),
    ("post", "/api/v1/webhooks/deliveries/{d}/redeliver/", 202),
    ("delete", "/api/v1/webhooks/endpoints/{e}/", 204),
]
#: What each credential gets where the owner gets ``ok``: another organisation's objects are
#: not found (their lists are empty), a key without the scope and other roles are refused.
API_CREDENTIALS = {
    "owner": lambda ok, url: ok,
    "key": lambda ok, url: ok,
    "other_partner": lambda ok, url: ok if url.endswith("/endpoints/") else 404,
    "other_key": lambda ok, url: ok if url.endswith("/endpoints/") else 404,
    "key_without_scope": lambda ok, url: 403,
    "applicant": lambda ok, url: 403,
    "officer": lambda ok, url: 403,
    "anonymous": lambda ok, url: 401,
}


@pytest.mark.parametrize("credential", API_CREDENTIALS)
@pytest.mark.parametrize(("method", "url", "ok"), API)
def test_the_api_matrix(client, world, credential, method, url, ok, local):
    headers = sign_in(client, world, credential)
    url = url.format(e=world["endpoint"].pk, d=world["delivery"].pk)
    body = {"description": "Core banking"} if method == "patch" else {}
    response = getattr(client, method)(url, body, content_type="application/json", **headers)
    assert response.status_code == API_CREDENTIALS[credential](ok, url), response.content
    if response.status_code == 403 and credential == "key_without_scope":
        assert "webhooks:manage" in response.json()["title"]


def test_an_empty_list_for_another_organisation(client, world):
    client.force_login(world["other_partner"])
    assert client.get("/api/v1/webhooks/endpoints/").json()["results"] == []


PAGES = [
    ("get", "/partner/webhooks/", 200),
    ("get", "/partner/webhooks/{e}/", 200),
    ("post", "/partner/webhooks/{e}/test/", 302),
    ("post", "/partner/webhooks/{e}/disable/", 302),
    ("post", "/partner/webhooks/{e}/rotate-secret/", 200),
    ("post", "/partner/webhooks/{e}/deliveries/{d}/redeliver/", 302),
    ("post", "/partner/webhooks/{e}/redeliver-failed/", 302),
    ("post", "/partner/webhooks/{e}/delete/", 302),
]
PAGE_CREDENTIALS = {
    "owner": lambda ok, url: ok,
    "other_partner": lambda ok, url: ok if url == "/partner/webhooks/" else 404,
    "applicant": lambda ok, url: 403,
    "officer": lambda ok, url: 403,
}


@pytest.mark.parametrize("credential", PAGE_CREDENTIALS)
@pytest.mark.parametrize(("method", "url", "ok"), PAGES)
def test_the_page_matrix(client, world, credential, method, url, ok):
    sign_in(client, world, credential)
    url = url.format(e=world["endpoint"].pk, d=world["delivery"].pk)
    assert getattr(client, method)(url).status_code == PAGE_CREDENTIALS[credential](ok, url)


def test_a_visitor_is_sent_to_sign_in(client, world):
    response = client.get("/partner/webhooks/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

"""The webhook API with a key: create (the secret once), refuse bad input as problem+json,
rotate, disable, read the log."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from standardwebhooks.webhooks import Webhook

from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.webhooks.delivery import encode, signed_headers
from hkhz_portal.webhooks.models import Delivery, DeliveryStatus, Endpoint, signing_secrets
from tests.factories import PartnerOrganisationFactory, api_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer():
    organisation = PartnerOrganisationFactory()
    return organisation, {"HTTP_AUTHORIZATION": f"Bearer {api_key(organisation, scopes=[Scope.WEBHOOKS_MANAGE])}"}


def create(client, headers, **body):
    body = {"url": "https://hooks.example.com/a", "event_types": ["call.opened"], **body}
    return client.post("/api/v1/webhooks/endpoints/", body, content_type="application/json", **headers)


def test_a_key_creates_an_endpoint_and_gets_its_secret_once(client, bearer):
    organisation, headers = bearer
    response = create(client, headers, description="Loans")
    assert response.status_code == 201
    created = response.json()
    assert created["secret"].startswith("whsec_") and created["active"] is True
    endpoint = Endpoint.objects.get(pk=created["id"], organisation=organisation)
    assert endpoint.created_by is None
    again = client.get(f"/api/v1/webhooks/endpoints/{endpoint.pk}/", **headers).json()
    assert "secret" not in again and again["description"] == "Loans"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://hooks.example.com/"}, "url"),
        ({"url": "https://[::ffff:10.0.0.1]/"}, "url"),
        ({"event_types": []}, "event_types"),
        ({"event_types": ["application.deleted"]}, "event_types"),
        ({"url": "x" * 600}, "url"),
    ],
)
def test_bad_input_is_a_problem_on_its_field(client, bearer, body, field):
    response = create(client, bearer[1], **body)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]
    assert not Endpoint.objects.exists()


def test_rotating_answers_the_new_secret_and_both_sign_meanwhile(client, bearer):
    headers = bearer[1]
    created = create(client, headers).json()
    response = client.post(
        f"/api/v1/webhooks/endpoints/{created['id']}/rotate-secret/",
        {"overlap_hours": 2},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    new = response.json()["secret"]
    body = encode({"type": "webhook.test"})
    signed = signed_headers("msg_x", body, signing_secrets(created["id"]), datetime.now(UTC))
    assert Webhook(new).verify(body, signed) and Webhook(created["secret"]).verify(body, signed)


def test_patching_active_disables_and_enables(client, bearer):
    headers = bearer[1]
    created = create(client, headers).json()
    url = f"/api/v1/webhooks/endpoints/{created['id']}/"
    off = client.patch(url, {"active": False}, content_type="application/json", **headers).json()
    assert (off["active"], off["disabled_reason"]) == (False, "manual")
    on = client.patch(url, {"active": True}, content_type="application/json", **headers).json()
    assert (on["active"], on["disabled_reason"]) == (True, "")


def test_the_delivery_log_filters_by_status_and_refuses_an_unknown_one(client, bearer):
    headers = bearer[1]
    endpoint = Endpoint.objects.get(pk=create(client, headers).json()["id"])
    for status in (DeliveryStatus.FAILED, DeliveryStatus.DELIVERED):
        Delivery.objects.create(endpoint=endpoint, event_type="call.opened", payload={}, status=status)
    url = f"/api/v1/webhooks/endpoints/{endpoint.pk}/deliveries/"
    failed = client.get(url, {"status": "failed"}, **headers).json()["results"]
    assert [d["status"] for d in failed] == ["failed"]
    assert client.get(url, {"status": "lost"}, **headers).status_code == 400


def test_redelivering_a_delivered_one_is_refused(client, bearer):
    headers = bearer[1]
    endpoint = Endpoint.objects.get(pk=create(client, headers).json()["id"])
    done = Delivery.objects.create(endpoint=endpoint, event_type="call.opened", payload={}, status="delivered")
    response = client.post(f"/api/v1/webhooks/deliveries/{done.pk}/redeliver/", **headers)
    assert response.status_code == 409 and response.json()["type"] == "not_failed"


def test_the_lists_query_counts_do_not_grow_with_the_page(client, bearer):
    """The endpoints list and a delivery log take as many queries for 2 rows as for 10 and 40."""
    headers = bearer[1]

    def queries(path) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, **headers).status_code == 200
        return len(captured)

    first = create(client, headers).json()["id"]
    create(client, headers, url="https://hooks.example.com/b")
    log = f"/api/v1/webhooks/endpoints/{first}/deliveries/?page_size=100"
    for _ in range(2):
        client.post(f"/api/v1/webhooks/endpoints/{first}/test/", **headers)
    few = (queries("/api/v1/webhooks/endpoints/"), queries(log))
    for n in range(8):
        create(client, headers, url=f"https://hooks.example.com/more-{n}")
    for _ in range(38):
        client.post(f"/api/v1/webhooks/endpoints/{first}/test/", **headers)
    assert Delivery.objects.filter(endpoint_id=first).count() == 40
    assert (queries("/api/v1/webhooks/endpoints/"), queries(log)) == few

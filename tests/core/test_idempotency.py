"""Idempotency-Key on the API's writes: a retry gets the first answer and writes nothing more; a
key is the credential's own; a key reused for another request is 422, one still running 409; a
server error lets the key go; keys are forgotten after 24 hours."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from enterprises.models import Product
from hkhz_portal.accounts.models import APIKey
from hkhz_portal.core.models import Heartbeat, IdempotencyRecord
from hkhz_portal.core.tasks import sweep_idempotency_records
from tests.conftest import PortalClient, require
from tests.core.conventions_urls import control
from tests.factories import EnterpriseFactory, api_key, member_of
from tests.threads import at_once

WRITES = "/api/test/writes/"
PROBLEM = "application/problem+json"
conventions_urls = pytest.mark.urls("tests.core.conventions_urls")


@pytest.fixture(autouse=True)
def _fresh_control():
    control.reset()
    yield
    if control.gate is not None:
        control.gate.set()
    control.reset()


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, key, data=None, path=WRITES, **headers):
    return client.post(
        path, data or {"amount": 1}, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **headers
    )


def writes() -> int:
    return Heartbeat.objects.count()


@conventions_urls
@pytest.mark.django_db
class TestOneCredential:
    def test_a_retry_gets_the_first_answer_and_writes_nothing_more(self, client):
        auth = bearer(api_key())
        first = post(client, "order-1", **auth)
        assert first.status_code == 201
        assert "Idempotent-Replayed" not in first

        again = post(client, "order-1", **auth)
        assert again.status_code == 201
        assert again["Idempotent-Replayed"] == "true"
        assert again.content == first.content
        assert again["Content-Type"] == first["Content-Type"] == "application/json"
        assert again["Location"] == "/x/"
        assert writes() == 1

        assert post(client, "order-2", **auth).status_code == 201
        assert writes() == 2

    def test_a_key_sent_again_with_another_body_or_to_another_path_is_422(self, client):
        auth = bearer(api_key())
        assert post(client, "k", {"amount": 1}, **auth).status_code == 201
        for response in (
            post(client, "k", {"amount": 2}, **auth),
            post(client, "k", {"amount": 1}, path=WRITES + "other/", **auth),
        ):
            assert response.status_code == 422
            assert response["Content-Type"] == PROBLEM
            assert response.json()["type"] == "idempotency_key_reused"
        assert writes() == 1

    @pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "é"])
    def test_a_malformed_key_is_400_and_nothing_is_written(self, client, key):
        response = post(client, key, **bearer(api_key()))
        assert response.status_code == 400
        assert response["Content-Type"] == PROBLEM
        assert response.json()["type"] == "invalid_idempotency_key"
        assert writes() == 0

    def test_the_longest_key_and_one_with_spaces_are_accepted(self, client):
        auth = bearer(api_key())
        assert post(client, "x" * 255, **auth).status_code == 201
        assert post(client, "a key with spaces", **auth).status_code == 201

    def test_a_server_error_is_not_stored_and_the_retry_runs(self, client):
        auth = bearer(api_key())
        control.failures = 1
        assert post(client, "k", **auth).status_code == 503
        assert not IdempotencyRecord.objects.exists()

        retried = post(client, "k", **auth)
        assert retried.status_code == 201
        assert "Idempotent-Replayed" not in retried
        assert writes() == 1

    def test_a_client_error_is_stored_and_replayed(self, client):
        secret = api_key(scopes=["directory:read"])  # no scope to write with
        first = post(client, "k", **bearer(secret))
        assert first.status_code == 403
        again = post(client, "k", **bearer(secret))
        assert (again.status_code, again.content, again["Idempotent-Replayed"]) == (403, first.content, "true")

    def test_a_request_left_in_flight_by_a_dead_process_is_taken_over(self, client):
        auth = bearer(api_key())
        assert post(client, "k", **auth).status_code == 201
        IdempotencyRecord.objects.update(status=None, created_at=timezone.now() - timedelta(minutes=10))

        taken_over = post(client, "k", **auth)
        assert taken_over.status_code == 201
        assert "Idempotent-Replayed" not in taken_over
        assert writes() == 2


@conventions_urls
@pytest.mark.django_db
class TestCredentials:
    def test_the_same_key_from_two_credentials_runs_twice(self, client):
        first, second = api_key(), api_key()
        assert post(client, "shared", **bearer(first)).status_code == 201
        response = post(client, "shared", **bearer(second))
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response
        assert writes() == 2

    @pytest.mark.parametrize("authorization", [None, "Bearer hkhz_live_not-a-key", "Bearer revoked"])
    def test_a_request_without_valid_credentials_is_refused_and_records_nothing(self, client, authorization):
        headers = {}
        if authorization == "Bearer revoked":
            secret = api_key()
            APIKey.objects.update(revoked_at=timezone.now())
            authorization = f"Bearer {secret}"
        if authorization:
            headers["HTTP_AUTHORIZATION"] = authorization
        response = post(client, "k", **headers)
        assert response.status_code == 401
        assert response["Content-Type"] == PROBLEM
        assert not IdempotencyRecord.objects.exists()
        assert writes() == 0

    def test_a_session_request_still_needs_its_csrf_token_and_a_refused_one_records_nothing(self, partner):
        browser = PortalClient(enforce_csrf_checks=True)
        browser.force_login(partner)
        token = "a" * 32  # the browser's CSRF cookie, as any page of the portal sets it
        browser.cookies["csrftoken"] = token
        refused = post(browser, "k")
        assert refused.status_code == 403
        assert "CSRF" in refused.json()["title"]
        assert not IdempotencyRecord.objects.exists()

        assert post(browser, "k", HTTP_X_CSRFTOKEN=token).status_code == 201
        assert post(browser, "k", HTTP_X_CSRFTOKEN=token)["Idempotent-Replayed"] == "true"
        assert writes() == 1


@pytest.fixture
def partner():
    from tests.factories import partner_user

    return partner_user()


@pytest.mark.django_db
def test_a_product_created_through_the_real_api_is_created_once(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    enterprise = EnterpriseFactory()
    client.force_login(member_of(enterprise))
    url = f"/api/v1/enterprises/{enterprise.reference}/products/"
    body = {"name": "QT-7 CAR-T", "modality": "biologic"}
    first = post(client, "create-qt7", body, path=url)
    again = post(client, "create-qt7", body, path=url)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Product.objects.filter(enterprise=enterprise).count() == 1
    # Without a key, a second POST is a second product, as before.
    assert client.post(url, body, content_type="application/json").status_code == 201
    assert Product.objects.filter(enterprise=enterprise).count() == 2

    # A DELETE sent twice: the second is told what the first was (204), not 404.
    product = f"{url}{first.json()['id']}/"
    deleted = client.delete(product, HTTP_IDEMPOTENCY_KEY="delete-qt7")
    again = client.delete(product, HTTP_IDEMPOTENCY_KEY="delete-qt7")
    assert (deleted.status_code, again.status_code, again["Idempotent-Replayed"]) == (204, 204, "true")
    assert "Content-Type" not in again
    assert client.delete(product).status_code == 404


@conventions_urls
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_while_the_first_request_runs_the_same_key_is_409_then_replayed():
    auth = bearer(api_key())
    control.gate = threading.Event()
    outcome = {}

    def first():
        outcome["first"] = post(Client(), "slow", **auth)
        connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert control.started.wait(10)
    busy = post(Client(), "slow", **auth)
    assert busy.status_code == 409
    assert busy["Content-Type"] == PROBLEM
    assert busy["Retry-After"] == "1"
    assert busy.json()["type"] == "idempotency_in_flight"

    control.gate.set()
    thread.join(30)
    assert outcome["first"].status_code == 201
    replayed = post(Client(), "slow", **auth)
    assert (replayed.status_code, replayed["Idempotent-Replayed"]) == (201, "true")
    assert replayed.content == outcome["first"].content
    assert writes() == 1


@conventions_urls
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_parallel_requests_with_one_key_write_once():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    auth = bearer(api_key())
    control.delay = 0.3  # the winner is still running when most of the others arrive
    responses = at_once(*[lambda: post(Client(), "together", **auth)] * 10)

    assert all(not isinstance(r, Exception) for r in responses), responses
    ran = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r]
    assert len(ran) == 1
    assert {r.status_code for r in responses} <= {201, 409}
    assert writes() == 1
    assert IdempotencyRecord.objects.get().status == 201


@conventions_urls
@pytest.mark.django_db
def test_keys_are_forgotten_after_24_hours(client):
    auth = bearer(api_key())
    assert post(client, "old", **auth).status_code == 201
    assert post(client, "new", **auth).status_code == 201
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))

    # Not yet swept, a key past its 24 hours already runs again…
    assert "Idempotent-Replayed" not in post(client, "old", **auth)
    assert writes() == 3
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    # …and the sweep deletes it.
    assert sweep_idempotency_records() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db
def test_reads_and_requests_without_a_key_record_nothing(client):
    client.force_login(member_of(EnterpriseFactory()))
    assert client.get("/api/v1/me/", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())).status_code == 200
    assert client.post("/api/v1/notifications/1/read/").status_code == 404
    assert not IdempotencyRecord.objects.exists()

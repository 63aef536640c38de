"""Deliveries to a real HTTP receiver on 127.0.0.1, tasks run in-process, transactions committed
for real (so what runs after commit runs, and what is rolled back never does)."""

import pytest
from django.db import transaction
from standardwebhooks.webhooks import Webhook

from hkhz_portal.core import events
from hkhz_portal.core.errors import DomainError
from hkhz_portal.webhooks import delivery as sending
from hkhz_portal.webhooks import services
from hkhz_portal.webhooks.models import Delivery, DeliveryStatus
from programs.events import CallEventKind
from programs.services.reminders import announce_calls
from tests.programs.factories import CallFactory

from .conftest import make_endpoint

# serialized_rollback: the flush after each test then leaves the content types to the next
# test that reloads them, rather than making them again under it (a UNIQUE error in its setup).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def subscribed(receiver, local, eager_tasks):
    """An endpoint at the receiver, subscribed to calls opening, and a call that just opened."""
    endpoint, secret, user = make_endpoint(receiver.url, event_types=["call.opened", "call.closing"])
    return endpoint, secret, user, CallFactory(slug="biotech-2027")


def verified(received, secret) -> dict:
    return Webhook(secret).verify(received.body, received.headers)


def test_an_event_reaches_the_receiver_signed_as_standard_webhooks_say(subscribed, receiver):
    endpoint, secret, _user, _call = subscribed
    assert announce_calls() == 1
    assert len(receiver.received) == 1
    got = receiver.received[0]
    body = verified(got, secret)
    assert body["type"] == "call.opened"
    assert body["timestamp"].endswith("Z")
    assert body["data"]["call"] == "biotech-2027"
    assert body["data"]["links"]["call"] == "http://127.0.0.1:8000/api/v1/calls/biotech-2027/"
    assert got.headers["Content-Type"] == "application/json"
    row = Delivery.objects.get(endpoint=endpoint)
    assert got.headers["webhook-id"] == row.message_id
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.DELIVERED, 1, 204)
    assert announce_calls() == 0 and len(receiver.received) == 1  # announced once


def test_a_receiver_failing_twice_then_answering_gets_the_event_three_times_and_it_is_delivered(
    subscribed, receiver, clock
):
    endpoint, secret, _user, _call = subscribed
    receiver.answers = [(500, {}), (503, {"Retry-After": "60"})]
    announce_calls()
    assert len(receiver.received) == 1
    clock.advance(minutes=6)  # past the 5 s retry, whose countdown task ran too early in-process
    assert len(sending.enqueue_due()) == 1
    assert len(receiver.received) == 2
    row = Delivery.objects.get(endpoint=endpoint)
    assert row.status == DeliveryStatus.PENDING and row.last_status_code == 503
    clock.advance(minutes=6)
    sending.enqueue_due()
    assert len(receiver.received) == 3
    assert len({got.headers["webhook-id"] for got in receiver.received}) == 1  # one message, three tries
    assert all(verified(got, secret)["type"] == "call.opened" for got in receiver.received)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.DELIVERED, 3)
    assert list(row.attempt_log.order_by("started_at").values_list("status_code", flat=True)) == [500, 503, 204]


def test_a_rolled_back_transaction_sends_nothing(subscribed, receiver):
    _endpoint, _secret, _user, call = subscribed
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit(CallEventKind.OPENED, target=call, payload={"call": call.slug})
        raise RuntimeError("the change fails after the event was recorded")
    assert receiver.received == [] and not Delivery.objects.exists()


def test_a_redirect_is_not_followed(subscribed, receiver):
    endpoint, _secret, _user, _call = subscribed
    receiver.answers = [(307, {"Location": "http://169.254.169.254/latest/meta-data"})]
    announce_calls()
    assert len(receiver.received) == 1
    row = Delivery.objects.get(endpoint=endpoint)
    assert (row.status, row.last_status_code) == (DeliveryStatus.PENDING, 307)


def test_a_test_event_and_a_redelivery_reach_the_receiver(subscribed, receiver, clock):
    endpoint, secret, user, _call = subscribed
    services.send_test_event(endpoint.pk, actor=user)
    test_event = verified(receiver.received[0], secret)
    assert (test_event["type"], test_event["data"]) == ("webhook.test", {"endpoint_id": endpoint.pk})
    receiver.answers = [(500, {})] * 10
    announce_calls()
    row = Delivery.objects.get(endpoint=endpoint, event_type="call.opened")
    Delivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.FAILED, next_attempt_at=None)
    receiver.answers = []
    services.redeliver(row.pk, actor=user)
    assert receiver.received[-1].headers["webhook-id"] == row.message_id
    assert Delivery.objects.get(pk=row.pk).status == DeliveryStatus.DELIVERED


def test_a_receiver_on_a_private_address_gets_nothing_without_the_setting(subscribed, receiver, settings):
    endpoint, _secret, user, _call = subscribed
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    announce_calls()
    assert receiver.received == []
    row = Delivery.objects.get(endpoint=endpoint)
    assert row.status == DeliveryStatus.PENDING and row.last_error.startswith("Refused: 127.0.0.1 resolves to")
    with pytest.raises(DomainError) as refused:
        services.create_endpoint(actor=user, url=receiver.url, event_types=["call.opened"])
    assert refused.value.code == "https_required"

"""Partner webhooks through a real worker and Redis: an event reaches a local receiver, and a
worker killed while it waits for the receiver's answer loses nothing."""

import time

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from hkhz_portal.webhooks.models import Delivery, DeliveryStatus
from hkhz_portal.webhooks.tasks import enqueue_due
from programs.services.reminders import announce_calls
from tests.programs.factories import CallFactory
from tests.webhooks.conftest import make_endpoint, receiver  # noqa: F401 (the receiver is a fixture)

from .conftest import celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LOCAL = {"WEBHOOKS_ALLOW_PRIVATE": "True"}


@pytest.fixture
def subscribed(receiver, settings):  # noqa: F811 (the receiver fixture)
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint, secret, _user = make_endpoint(receiver.url, event_types=["call.opened"])
    CallFactory(slug="worker-2027")
    return endpoint, secret


def test_an_event_is_delivered_by_the_worker_to_the_receiver(broker, subscribed, receiver):  # noqa: F811
    endpoint, secret = subscribed
    with celery_worker(redis_url=broker, extra_env=LOCAL) as worker:
        announce_calls()
        delivered = wait_for(
            lambda: Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.DELIVERED).exists(), timeout=60
        )
        if not delivered:
            worker.terminate()
            pytest.fail(f"Not delivered within 60 s. Worker output:\n{worker.communicate(timeout=10)[0][-3000:]}")
    [got] = receiver.received
    assert Webhook(secret).verify(got.body, got.headers)["data"]["call"] == "worker-2027"
    assert got.headers["webhook-id"] == Delivery.objects.get(endpoint=endpoint).message_id


def test_a_worker_killed_mid_delivery_loses_nothing(broker, subscribed, receiver):  # noqa: F811
    """Worker A is SIGKILLed while the receiver sits on its request. The row stays pending with
    A's lease; once the lease ends, the beat's sweep hands it to worker B, which delivers it
    with the same webhook-id."""
    endpoint, secret = subscribed
    receiver.sleep = 60
    with celery_worker(redis_url=broker, extra_env={**LOCAL, "WEBHOOKS_TIMEOUT": "10"}) as worker_a:
        announce_calls()
        assert wait_for(lambda: len(receiver.received) == 1, timeout=60), "worker A never reached the receiver"
        worker_a.kill()
        worker_a.wait(10)
    row = Delivery.objects.get(endpoint=endpoint)
    assert (row.status, row.attempts, row.attempt_log.count()) == (DeliveryStatus.PENDING, 1, 0)
    time.sleep(max((row.next_attempt_at - timezone.now()).total_seconds(), 0) + 1)  # A's lease ends

    with celery_worker(redis_url=broker, extra_env=LOCAL):
        enqueue_due.delay()  # what beat sends every 30 s
        delivered = wait_for(lambda: Delivery.objects.get(pk=row.pk).status == DeliveryStatus.DELIVERED, timeout=60)
    assert delivered, "the delivery of the killed worker was never sent again"
    assert len(receiver.received) == 2
    assert {got.headers["webhook-id"] for got in receiver.received} == {row.message_id}
    assert Webhook(secret).verify(receiver.received[1].body, receiver.received[1].headers)
    assert Delivery.objects.get(pk=row.pk).attempts == 2

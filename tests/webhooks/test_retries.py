"""What each answer leads to: delivered, retried on the schedule (and Retry-After), given up,
the endpoint disabled on 410 or after five days of failures, its partner users told."""

from datetime import UTC, datetime, timedelta

import pytest

from hkhz_portal.core import events
from hkhz_portal.core.models import DomainEvent, Notification
from hkhz_portal.webhooks import delivery as sending
from hkhz_portal.webhooks import services
from hkhz_portal.webhooks.delivery import RETRY_DELAYS, Outcome, next_attempt_at, parse_retry_after
from hkhz_portal.webhooks.models import Delivery, DeliveryStatus, DisabledReason, Endpoint

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
EXPECTED = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=24),
]


def test_the_retry_schedule_is_the_issues_within_ten_percent_and_gives_up_after_the_tenth_attempt():
    assert list(RETRY_DELAYS) == EXPECTED
    for attempts, delay in enumerate(EXPECTED, start=1):
        waits = {next_attempt_at(attempts, NOW) - NOW for _ in range(20)}
        assert all(delay * 0.9 <= wait <= delay * 1.1 for wait in waits)
        assert len(waits) > 1  # jittered, not every receiver's retry in the same second
    assert next_attempt_at(len(EXPECTED) + 1, NOW) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", NOW + timedelta(seconds=120)),
        (" 30 ", NOW + timedelta(seconds=30)),
        ("Tue, 01 Dec 2026 09:00:00 GMT", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
        ("99999999999", None),
        ("soon", None),
        ("-5", None),
        ("", None),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(header, expected):
    assert parse_retry_after(header, NOW) == expected


def test_retry_after_moves_a_retry_later_never_earlier_and_never_beyond_a_day():
    later = NOW + timedelta(hours=1)
    assert next_attempt_at(1, NOW, later) == later
    assert next_attempt_at(3, NOW, NOW + timedelta(seconds=10)) > NOW + timedelta(minutes=25)
    assert next_attempt_at(1, NOW, NOW + timedelta(days=30)) == NOW + timedelta(hours=24)


def pending(endpoint, clock) -> Delivery:
    return Delivery.objects.create(
        endpoint=endpoint, event_type="call.opened", payload={"type": "call.opened"}, next_attempt_at=clock.now
    )


def try_once(row, clock, outcome) -> str:
    assert sending.claim(row.pk, clock.now)
    return sending.record(row.pk, outcome, started_at=clock.now)


def test_a_failure_is_retried_on_the_schedule_and_failed_after_the_last(clock, django_capture_on_commit_callbacks):
    endpoint, _secret, _user = make_endpoint()
    row = pending(endpoint, clock)
    for attempts, delay in enumerate(EXPECTED, start=1):
        with django_capture_on_commit_callbacks():
            assert try_once(row, clock, Outcome(status_code=500, response="boom")) == DeliveryStatus.PENDING
        row.refresh_from_db()
        assert row.attempts == attempts
        assert delay * 0.9 <= row.next_attempt_at - clock.now <= delay * 1.1
        clock.now = row.next_attempt_at
    assert try_once(row, clock, Outcome(error="Timed out")) == DeliveryStatus.FAILED
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at, row.last_error) == ("failed", 10, None, "Timed out")
    assert row.attempt_log.count() == 10


def test_a_retry_within_a_minute_is_a_countdown_and_later_ones_wait_for_the_beat(
    clock, django_capture_on_commit_callbacks
):
    endpoint, _secret, _user = make_endpoint()
    row = pending(endpoint, clock)
    with django_capture_on_commit_callbacks() as first:
        try_once(row, clock, Outcome(status_code=503))
    assert [(c.args[0].name, c.args[2]) for c in first] == [("webhooks.deliver", pytest.approx(5, rel=0.11))]
    clock.now = Delivery.objects.get(pk=row.pk).next_attempt_at
    with django_capture_on_commit_callbacks() as second:
        try_once(row, clock, Outcome(status_code=503))
    assert second == []
    assert Delivery.objects.get(pk=row.pk).queued_at is None  # the beat picks it when due


def test_retry_after_from_the_receiver_sets_the_next_attempt(clock, django_capture_on_commit_callbacks):
    endpoint, _secret, _user = make_endpoint()
    row = pending(endpoint, clock)
    with django_capture_on_commit_callbacks():
        try_once(row, clock, Outcome(status_code=429, retry_after="600"))
    assert Delivery.objects.get(pk=row.pk).next_attempt_at == clock.now + timedelta(seconds=600)


def test_a_410_disables_the_endpoint_and_stops_its_pending_deliveries(clock, django_capture_on_commit_callbacks):
    endpoint, _secret, user = make_endpoint()
    row, other = pending(endpoint, clock), pending(endpoint, clock)
    with django_capture_on_commit_callbacks():
        assert try_once(row, clock, Outcome(status_code=410)) == DeliveryStatus.DISABLED
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.disabled_reason) == (False, DisabledReason.GONE)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DISABLED}
    assert not sending.claim(other.pk, clock.now)
    notice = DomainEvent.objects.get(kind="webhook.endpoint_disabled")
    events.dispatch(notice.pk)
    assert Notification.objects.filter(recipient=user, title__contains=endpoint.url).exists()


def test_an_endpoint_failing_for_five_days_is_disabled_and_its_partner_users_told(
    clock, django_capture_on_commit_callbacks
):
    endpoint, _secret, user = make_endpoint()
    colleague = type(user).objects.create(email="colleague@example.com", full_name="Colleague")
    colleague.groups.add(*user.groups.all())
    colleague.partner_organisation = user.partner_organisation
    colleague.save()
    _stranger_endpoint, _s, stranger = make_endpoint()
    first = pending(endpoint, clock)
    with django_capture_on_commit_callbacks():
        try_once(first, clock, Outcome(status_code=500))
    assert Endpoint.objects.get(pk=endpoint.pk).failing_since == clock.now

    clock.advance(days=4, hours=23)
    with django_capture_on_commit_callbacks():
        assert try_once(pending(endpoint, clock), clock, Outcome(status_code=500)) == DeliveryStatus.PENDING
    clock.advance(hours=1)
    with django_capture_on_commit_callbacks():
        assert try_once(pending(endpoint, clock), clock, Outcome(error="Timed out")) == DeliveryStatus.DISABLED
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.disabled_reason) == (False, DisabledReason.FAILING)
    events.dispatch(DomainEvent.objects.get(kind="webhook.endpoint_disabled").pk)
    told = set(Notification.objects.filter(kind="webhook.endpoint_disabled").values_list("recipient__email", flat=True))
    assert told == {user.email, colleague.email}
    assert stranger.email not in told


def test_a_success_clears_the_failing_streak(clock, django_capture_on_commit_callbacks):
    endpoint, _secret, _user = make_endpoint()
    with django_capture_on_commit_callbacks():
        try_once(pending(endpoint, clock), clock, Outcome(status_code=500))
    clock.advance(days=4)
    assert try_once(pending(endpoint, clock), clock, Outcome(status_code=200)) == DeliveryStatus.DELIVERED
    assert Endpoint.objects.get(pk=endpoint.pk).failing_since is None
    clock.advance(days=2)
    with django_capture_on_commit_callbacks():
        assert try_once(pending(endpoint, clock), clock, Outcome(status_code=500)) == DeliveryStatus.PENDING


def test_a_delivery_being_sent_is_not_taken_by_a_second_worker_until_its_lease_ends(clock):
    endpoint, _secret, _user = make_endpoint()
    row = pending(endpoint, clock)
    assert sending.claim(row.pk, clock.now)
    assert not sending.claim(row.pk, clock.now)
    clock.advance(seconds=sending.lease().total_seconds() + 1)
    assert sending.claim(row.pk, clock.now)  # the first worker died: the row is due again


def test_the_beat_enqueues_due_deliveries_once_and_skips_those_waiting_or_queued(
    clock, django_capture_on_commit_callbacks
):
    endpoint, _secret, user = make_endpoint()
    due = pending(endpoint, clock)
    later = Delivery.objects.create(
        endpoint=endpoint, event_type="call.opened", payload={}, next_attempt_at=clock.now + timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks() as sent:
        assert sending.enqueue_due() == [due.pk]  # not ``later``, an hour away
    assert [c.args[1] for c in sent] == [(due.pk,)]
    assert sending.enqueue_due() == []  # queued: not again until REQUEUE_AFTER
    clock.advance(minutes=6)
    assert sending.enqueue_due() == [due.pk]  # its task was lost
    services.disable_endpoint(endpoint.pk, actor=user)
    clock.advance(hours=2)
    assert Delivery.objects.get(pk=later.pk).status == DeliveryStatus.DISABLED
    assert sending.enqueue_due() == []


def test_the_log_keeps_thirty_days(clock):
    endpoint, _secret, _user = make_endpoint()
    old = pending(endpoint, clock)
    try_once(old, clock, Outcome(status_code=200))
    waiting = pending(endpoint, clock)
    clock.advance(days=30, minutes=1)
    recent = pending(endpoint, clock)
    assert sending.delete_old_log() == 2  # the delivered one and its attempt
    assert set(Delivery.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}

"""Sending deliveries: sign, POST, record the answer, schedule the retry.

``attempt`` is what the ``webhooks.deliver`` task runs, never inside a transaction:

1. claim: one conditional UPDATE takes the row if it is pending, due and its endpoint active,
   and moves ``next_attempt_at`` to the end of a lease (the timeout and a margin), committed at
   once. A second worker finds it not due; a worker killed mid-send leaves it pending, due again
   when the lease ends, and the beat's ``enqueue_due`` sends it again: nothing is lost.
2. send, outside any transaction: signed as Standard Webhooks (``webhook-id``,
   ``webhook-timestamp``, ``webhook-signature``: ``v1,<base64 HMAC-SHA256 of id.timestamp.body>``,
   one per valid secret, space-separated), POSTed to the address the SSRF guard checked, 15 s in
   all, redirects not followed.
3. record, in one transaction: the attempt in the log; 2xx delivered; 410 disables the endpoint;
   anything else is tried again on ``RETRY_DELAYS`` (with jitter, later if ``Retry-After`` says
   so) and failed after the last. An endpoint failing for ``FAILING_DISABLES_AFTER`` is disabled
   and its partner users told. A retry within a minute is a Celery countdown; later ones are
   left to the beat (a long broker countdown outlives Redis's visibility timeout).
"""

import contextlib
import http.client
import json
import logging
import random
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from hkhz_portal.core.queueing import enqueue_after_commit

from . import addresses
from .models import (
    LOG_RETENTION,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    DisabledReason,
    Endpoint,
    signing_secrets,
)

logger = logging.getLogger(__name__)

#: After the first attempt (at once) fails, the next ones come this long after the previous.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=24),
)
#: Each delay is spread by up to this share either way, so a receiver back from an outage is not
#: hit by every retry in the same second.
JITTER = 0.10
#: Retries due within this long wait in the broker (a countdown); later ones wait as rows.
COUNTDOWN_LIMIT = timedelta(minutes=1)
#: A lease outlives the send (``WEBHOOKS_TIMEOUT`` in all) by this margin.
LEASE_MARGIN = timedelta(seconds=15)
#: A row a task was sent for, and not tried since, is sent again by the beat after this long.
REQUEUE_AFTER = timedelta(minutes=5)
FAILING_DISABLES_AFTER = timedelta(days=5)
RESPONSE_EXCERPT_BYTES = 1024
USER_AGENT = "HKHZ-Portal-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    """What one POST gave: a status code (and the response's first KiB), or an error."""

    status_code: int | None = None
    response: str = ""
    error: str = ""
    duration_ms: int = 0
    retry_after: str = ""

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def lease() -> timedelta:
    return timedelta(seconds=settings.WEBHOOKS_TIMEOUT) + LEASE_MARGIN


def encode(payload: dict) -> str:
    """The body as sent and signed (compact JSON, UTF-8 characters kept)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def signed_headers(message_id: str, body: str, secrets: list[str], sent_at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers of a body sent at ``sent_at``, signed with each secret."""
    sent_at = sent_at.astimezone(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": " ".join(Webhook(secret).sign(message_id, sent_at, body) for secret in secrets),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }


def parse_retry_after(value: str, now: datetime) -> datetime | None:
    """A ``Retry-After`` header's time: delay-seconds or an HTTP date; None if unreadable."""
    value = (value or "").strip()
    if re.fullmatch(r"[0-9]{1,10}", value):
        return now + timedelta(seconds=min(int(value), int(RETRY_DELAYS[-1].total_seconds())))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def next_attempt_at(attempts: int, now: datetime, retry_after: datetime | None = None) -> datetime | None:
    """When to try again after the ``attempts``-th attempt failed, or None to give up.

    ``Retry-After`` moves the retry later, never earlier, and never beyond the longest delay."""
    if attempts > len(RETRY_DELAYS):
        return None
    spread = random.uniform(-JITTER, JITTER)  # noqa: S311 (spreading load, not a secret)
    at = now + RETRY_DELAYS[attempts - 1] * (1 + spread)
    if retry_after is not None and retry_after > at:
        at = min(retry_after, now + RETRY_DELAYS[-1])
    return at


class _PinnedConnection:
    """Connects to the address the SSRF guard checked, whatever the name resolves to now; the
    name still goes in the Host header and, over TLS, in SNI and the certificate check."""

    def __init__(self, host, port, *, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._create_connection = lambda _where, timeout, source=None: socket.create_connection(
            (address, port), timeout, source
        )


class PinnedHTTPConnection(_PinnedConnection, http.client.HTTPConnection):
    pass


class PinnedHTTPSConnection(_PinnedConnection, http.client.HTTPSConnection):
    pass


def _abort(connection) -> None:
    """The whole send took too long: cut the socket, so a receiver answering a byte at a time
    cannot hold a worker past its lease."""
    if connection.sock is not None:
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_RDWR)


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST ``body`` to ``url`` once, within ``WEBHOOKS_TIMEOUT`` seconds, following no redirect."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        address = addresses.resolve(parts.hostname, port)
    except addresses.UnsafeAddress as exc:
        return Outcome(error=f"Refused: {exc}"[:200], duration_ms=took())
    except OSError as exc:
        return Outcome(error=f"DNS: {exc}"[:200], duration_ms=took())
    timeout = settings.WEBHOOKS_TIMEOUT
    if https:
        connection = PinnedHTTPSConnection(
            parts.hostname, port, address=address, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = PinnedHTTPConnection(parts.hostname, port, address=address, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    watchdog = threading.Timer(timeout, _abort, [connection])
    watchdog.start()
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(RESPONSE_EXCERPT_BYTES)
        return Outcome(
            status_code=response.status,
            response=excerpt.decode("utf-8", errors="replace"),
            duration_ms=took(),
            retry_after=response.getheader("Retry-After", ""),
        )
    except TimeoutError:
        return Outcome(error="Timed out", duration_ms=took())
    except (OSError, http.client.HTTPException) as exc:
        error = "Timed out" if took() >= timeout * 1000 else f"{type(exc).__name__}: {exc}"
        return Outcome(error=error[:200], duration_ms=took())
    finally:
        watchdog.cancel()
        connection.close()


def claim(delivery_id: int, now: datetime) -> bool:
    """Take a pending, due delivery of an active endpoint for one attempt (see the module)."""
    return bool(
        Delivery.objects.filter(
            pk=delivery_id,
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
            endpoint__disabled_at__isnull=True,
        ).update(next_attempt_at=now + lease(), attempts=F("attempts") + 1, queued_at=None)
    )


def attempt(delivery_id: int) -> str | None:
    """Try a delivery once if it is due and nobody else is trying it; return its new status.
    Called by the ``webhooks.deliver`` task, outside any transaction (the POST takes seconds)."""
    started_at = timezone.now()
    if not claim(delivery_id, started_at):
        return None
    delivery = Delivery.objects.get(pk=delivery_id)
    body = encode(delivery.payload)
    secrets = signing_secrets(delivery.endpoint_id, started_at)
    # The signed timestamp is the wall clock of the send: receivers refuse one five minutes off.
    headers = signed_headers(delivery.message_id, body, secrets, datetime.now(UTC))
    outcome = post(Endpoint.objects.values_list("url", flat=True).get(pk=delivery.endpoint_id), body.encode(), headers)
    return record(delivery_id, outcome, started_at=started_at)


@transaction.atomic(durable=True)
def record(delivery_id: int, outcome: Outcome, *, started_at: datetime) -> str:
    """Write what an attempt gave and what happens next (see the module)."""
    from . import services

    now = timezone.now()
    endpoint_id = Delivery.objects.values_list("endpoint_id", flat=True).get(pk=delivery_id)
    # The endpoint first, then the delivery: the order a partner disabling it takes them in.
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint_id)
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    DeliveryAttempt.objects.create(
        delivery=delivery,
        started_at=started_at,
        status_code=outcome.status_code,
        response=outcome.response,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
    )
    delivery.last_status_code = outcome.status_code
    delivery.last_response = outcome.response
    delivery.last_error = outcome.error
    delivery.last_duration_ms = outcome.duration_ms
    fields = ["last_status_code", "last_response", "last_error", "last_duration_ms", "status", "next_attempt_at"]
    if outcome.delivered:
        delivery.status, delivery.next_attempt_at, delivery.delivered_at = DeliveryStatus.DELIVERED, None, now
        delivery.save(update_fields=[*fields, "delivered_at"])
        if endpoint.failing_since is not None:
            endpoint.failing_since = None
            endpoint.save(update_fields=["failing_since"])
        return delivery.status
    if outcome.status_code == 410:
        delivery.save(update_fields=fields)
        services.disable_automatically(endpoint, DisabledReason.GONE)
        return DeliveryStatus.DISABLED
    if endpoint.failing_since is None:
        endpoint.failing_since = started_at
        endpoint.save(update_fields=["failing_since"])
    elif now - endpoint.failing_since >= FAILING_DISABLES_AFTER:
        delivery.save(update_fields=fields)
        services.disable_automatically(endpoint, DisabledReason.FAILING)
        return DeliveryStatus.DISABLED
    retry_after = parse_retry_after(outcome.retry_after, now) if outcome.retry_after else None
    delivery.next_attempt_at = next_attempt_at(delivery.attempts, now, retry_after)
    if delivery.next_attempt_at is None:
        delivery.status = DeliveryStatus.FAILED
    elif delivery.next_attempt_at - now <= COUNTDOWN_LIMIT:
        from .tasks import deliver

        delivery.queued_at = now
        fields.append("queued_at")
        countdown = max((delivery.next_attempt_at - now).total_seconds(), 0)
        enqueue_after_commit(deliver, delivery.pk, countdown=countdown)
    delivery.save(update_fields=fields)
    return delivery.status


@transaction.atomic(durable=True)
def enqueue_due(*, limit: int = 500) -> list[int]:
    """Beat: send a task for each pending delivery that is due and has none on its way (a retry
    whose time came, a lease that ran out, a task the broker lost). Rows another beat is
    enqueuing are skipped, and each is marked queued, so no delivery is enqueued twice."""
    from .tasks import deliver

    now = timezone.now()
    due = (
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__disabled_at__isnull=True
        )
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER))
        .order_by("next_attempt_at")
        .select_for_update(skip_locked=True, of=("self",))
    )
    ids = list(due.values_list("pk", flat=True)[:limit])
    Delivery.objects.filter(pk__in=ids).update(queued_at=now)
    for delivery_id in ids:
        enqueue_after_commit(deliver, delivery_id)
    return ids


@transaction.atomic(durable=True)
def delete_old_log(*, now: datetime | None = None) -> int:
    """Beat: forget attempts and finished deliveries older than the log keeps them."""
    cutoff = (now or timezone.now()) - LOG_RETENTION
    attempts = DeliveryAttempt.objects.filter(started_at__lt=cutoff).delete()[0]
    return attempts + Delivery.objects.filter(created_at__lt=cutoff).exclude(status=DeliveryStatus.PENDING).delete()[0]

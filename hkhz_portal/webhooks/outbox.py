"""From the domain event stream to the outbox: one ``Delivery`` per subscribed endpoint.

``record_deliveries`` is a subscriber of ``core.events``: ``dispatch`` calls it once per event, in
its transaction, after the causing transaction committed, so a change rolled back sends nothing
and an event is never recorded twice (``webhook_delivery_once_per_event`` backs that). The
first attempt of each delivery is enqueued once this transaction commits.
"""

import logging
from datetime import UTC

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from hkhz_portal.core.queueing import enqueue_after_commit

from . import registry
from .models import Delivery, Endpoint

logger = logging.getLogger(__name__)


def body(event_type: str, timestamp, data: dict) -> dict:
    """A delivery's JSON body: the public type, when it happened (UTC) and small data."""
    when = timestamp.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"type": event_type, "timestamp": when, "data": data}


def subscribed_endpoints(event_type: str, organisation_ids=None) -> list[Endpoint]:
    """The active endpoints subscribed to ``event_type`` (of these organisations, if named)."""
    endpoints = Endpoint.objects.filter(disabled_at__isnull=True)
    if organisation_ids is not None:
        endpoints = endpoints.filter(organisation_id__in=organisation_ids)
    # An organisation has a handful of endpoints: their type lists are read here, the same on
    # SQLite and PostgreSQL, rather than by a JSON query.
    return [endpoint for endpoint in endpoints.only("pk", "event_types") if event_type in endpoint.event_types]


def record_deliveries(event) -> list[Delivery]:
    """Queue ``event`` for each endpoint that may hear of it and subscribed to its public type."""
    mapping = registry.mapping(event.kind)
    if mapping is None:
        return []
    audience = registry.audience(mapping.type, event)
    if audience is not None:
        audience = list(audience)
        if not audience:
            return []
    endpoints = subscribed_endpoints(mapping.type, audience)
    if not endpoints:
        return []
    try:
        payload = body(mapping.type, event.created_at, mapping.data(event))
    except ObjectDoesNotExist:
        # The record the event is about is gone: nothing to link to. Raising would roll back the
        # whole dispatch, and with it the event's notices, again at every sweep.
        logger.warning("Event %s (%s) is about a record that no longer exists: no webhook", event.pk, event.kind)
        return []
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            endpoint_id=endpoint.pk,
            event=event,
            event_type=mapping.type,
            payload=payload,
            next_attempt_at=now,
            queued_at=now,
        )
        for endpoint in endpoints
    )
    from .tasks import deliver

    for delivery in deliveries:
        enqueue_after_commit(deliver, delivery.pk)
    return deliveries

"""Every change a partner makes to its webhooks: one function per use case.

The actor is a partner user (pages, API with a session) or a ``PartnerClient`` (API with a key
holding ``webhooks:manage``); either acts for one organisation and reaches only its endpoints
(another's are not found). Each change is audited; a key is named by its prefix.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hkhz_portal.accounts.api_keys import PartnerClient, acting_organisation
from hkhz_portal.core import audit, events
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.queueing import enqueue_after_commit

from . import addresses, outbox
from .audit_actions import AuditAction
from .models import Delivery, DeliveryStatus, DisabledReason, Endpoint, EndpointSecret
from .notices import WebhookEventKind
from .types import TEST_EVENT, EventType

#: How long the previous secret still signs after a rotation, for the receiver to switch.
DEFAULT_OVERLAP = timedelta(hours=24)
MAX_OVERLAP = timedelta(days=7)
#: Endpoints an organisation may have: one per receiving system, and room to move one.
MAX_ENDPOINTS = 10
#: What a partner may redeliver: deliveries given up, or stopped when the endpoint was disabled.
REDELIVERABLE = (DeliveryStatus.FAILED, DeliveryStatus.DISABLED)


def organisation_of(actor):
    """The organisation a key or a partner user acts for; anyone else is refused (403)."""
    organisation = acting_organisation(actor)
    if organisation is not None:
        return organisation
    raise DomainError(_("Only a partner organisation's users manage its webhooks."), code="forbidden", status=403)


def _audit(action, *, actor, target, changes=None) -> None:
    changes = dict(changes or {})
    if isinstance(actor, PartnerClient):
        changes["api_key"] = actor.key.prefix
        actor = None
    audit.record(action, actor=actor, target=target, changes=changes)


def _user(actor):
    return None if isinstance(actor, PartnerClient) else actor


def _check_event_types(event_types) -> list[str]:
    chosen = sorted(set(event_types or ()))
    if not chosen or any(name not in EventType.values for name in chosen):
        raise DomainError(_("Choose one or more events."), code="invalid_event_types", field="event_types")
    return chosen


def _locked_endpoint(endpoint_id: int, actor) -> Endpoint:
    endpoint = Endpoint.objects.select_for_update().filter(pk=endpoint_id, organisation=organisation_of(actor)).first()
    if endpoint is None:
        raise DomainError(_("No such webhook endpoint."), code="not_found", status=404)
    return endpoint


@transaction.atomic(durable=True)
def create_endpoint(*, actor, url: str, event_types, description: str = "") -> tuple[Endpoint, str]:
    """Subscribe a new endpoint of the actor's organisation. Returns it and its signing secret
    (shown this once). Refuses an address that is not public HTTPS (``addresses.check_url``), no
    or unknown events, and an eleventh endpoint."""
    organisation = organisation_of(actor)
    addresses.check_url(url)
    event_types = _check_event_types(event_types)
    type(organisation).objects.select_for_update().get(pk=organisation.pk)
    if Endpoint.objects.filter(organisation=organisation).count() >= MAX_ENDPOINTS:
        raise DomainError(
            _("Your organisation already has %(count)d endpoints: delete one first.") % {"count": MAX_ENDPOINTS},
            code="too_many_endpoints",
            status=409,
        )
    endpoint = Endpoint.objects.create(
        organisation=organisation,
        url=url,
        description=description,
        event_types=event_types,
        created_by=_user(actor),
    )
    secret = EndpointSecret.objects.create(endpoint=endpoint).secret
    _audit(AuditAction.ENDPOINT_CREATED, actor=actor, target=endpoint, changes={"url": url, "events": event_types})
    return endpoint, secret


@transaction.atomic(durable=True)
def update_endpoint(endpoint_id: int, *, actor, url=None, event_types=None, description=None) -> Endpoint:
    """Change an endpoint's address, events or description (what is given); audits what changed."""
    endpoint = _locked_endpoint(endpoint_id, actor)
    wanted = {}
    if url is not None:
        wanted["url"] = addresses.check_url(url)
    if event_types is not None:
        wanted["event_types"] = _check_event_types(event_types)
    if description is not None:
        wanted["description"] = description
    changes = {name: [getattr(endpoint, name), new] for name, new in wanted.items() if getattr(endpoint, name) != new}
    if changes:
        for name, (_old, new) in changes.items():
            setattr(endpoint, name, new)
        endpoint.save(update_fields=list(changes))
        _audit(AuditAction.ENDPOINT_UPDATED, actor=actor, target=endpoint, changes=changes)
    return endpoint


@transaction.atomic(durable=True)
def delete_endpoint(endpoint_id: int, *, actor) -> None:
    """Delete an endpoint with its secrets and delivery log."""
    endpoint = _locked_endpoint(endpoint_id, actor)
    _audit(AuditAction.ENDPOINT_DELETED, actor=actor, target=endpoint, changes={"url": endpoint.url})
    endpoint.delete()


def _disable(endpoint: Endpoint, reason: DisabledReason) -> None:
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = reason
    endpoint.save(update_fields=["disabled_at", "disabled_reason"])
    endpoint.deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.DISABLED, next_attempt_at=None, queued_at=None
    )


@transaction.atomic(durable=True)
def disable_endpoint(endpoint_id: int, *, actor) -> Endpoint:
    """Stop sending to an endpoint; its pending deliveries stop too (redeliverable later)."""
    endpoint = _locked_endpoint(endpoint_id, actor)
    if endpoint.is_active:
        _disable(endpoint, DisabledReason.MANUAL)
        _audit(AuditAction.ENDPOINT_DISABLED, actor=actor, target=endpoint, changes={"reason": DisabledReason.MANUAL})
    return endpoint


@transaction.atomic(savepoint=False)
def disable_automatically(endpoint: Endpoint, reason: DisabledReason) -> None:
    """The delivery worker disables an endpoint (410 Gone, or failing for five days) and its
    organisation's partner users are told. Runs in the worker's transaction, on a locked row."""
    _disable(endpoint, reason)
    audit.record(AuditAction.ENDPOINT_DISABLED, target=endpoint, changes={"reason": reason})
    events.emit(WebhookEventKind.ENDPOINT_DISABLED, target=endpoint, payload={"url": endpoint.url, "reason": reason})


@transaction.atomic(durable=True)
def enable_endpoint(endpoint_id: int, *, actor) -> Endpoint:
    """Send to a disabled endpoint again, from the next event on (failed ones: redeliver them)."""
    endpoint = _locked_endpoint(endpoint_id, actor)
    if not endpoint.is_active:
        endpoint.disabled_at, endpoint.disabled_reason, endpoint.failing_since = None, "", None
        endpoint.save(update_fields=["disabled_at", "disabled_reason", "failing_since"])
        _audit(AuditAction.ENDPOINT_ENABLED, actor=actor, target=endpoint)
    return endpoint


@transaction.atomic(durable=True)
def rotate_secret(endpoint_id: int, *, actor, overlap: timedelta = DEFAULT_OVERLAP) -> tuple[str, datetime]:
    """Make a new signing secret, current at once; the previous one keeps signing beside it
    for ``overlap`` (at most a week). Returns the new secret (shown this once) and when the
    previous one stops."""
    if not timedelta(0) <= overlap <= MAX_OVERLAP:
        raise DomainError(_("Choose an overlap of up to seven days."), code="invalid_overlap", field="overlap")
    endpoint = _locked_endpoint(endpoint_id, actor)
    until = timezone.now() + overlap
    endpoint.secrets.filter(expires_at__isnull=True).update(expires_at=until)
    secret = EndpointSecret.objects.create(endpoint=endpoint).secret
    _audit(
        AuditAction.SECRET_ROTATED, actor=actor, target=endpoint, changes={"previous_valid_until": until.isoformat()}
    )
    return secret, until


def _queue_now(delivery: Delivery) -> None:
    from .tasks import deliver

    enqueue_after_commit(deliver, delivery.pk)


def _require_active(endpoint: Endpoint) -> None:
    if not endpoint.is_active:
        raise DomainError(_("Enable the endpoint first."), code="endpoint_disabled", status=409)


@transaction.atomic(durable=True)
def send_test_event(endpoint_id: int, *, actor) -> Delivery:
    """Send a ``webhook.test`` event to an active endpoint, signed like any other."""
    endpoint = _locked_endpoint(endpoint_id, actor)
    _require_active(endpoint)
    now = timezone.now()
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event_type=TEST_EVENT,
        payload=outbox.body(TEST_EVENT, now, {"endpoint_id": endpoint.pk}),
        next_attempt_at=now,
        queued_at=now,
    )
    _audit(AuditAction.TEST_SENT, actor=actor, target=endpoint, changes={"delivery": delivery.message_id})
    _queue_now(delivery)
    return delivery


@transaction.atomic(durable=True)
def redeliver(delivery_id: int, *, actor) -> Delivery:
    """Send a failed (or stopped) delivery again, with the same ``webhook-id`` and a fresh
    retry schedule. Refused while it is pending or delivered, or its endpoint disabled."""
    endpoint_id = (
        Delivery.objects.filter(pk=delivery_id, endpoint__organisation=organisation_of(actor))
        .values_list("endpoint_id", flat=True)
        .first()
    )
    if endpoint_id is None:
        raise DomainError(_("No such delivery."), code="not_found", status=404)
    endpoint = _locked_endpoint(endpoint_id, actor)
    _require_active(endpoint)
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    if delivery.status not in REDELIVERABLE:
        raise DomainError(_("Only a failed delivery can be sent again."), code="not_failed", status=409)
    delivery.status, delivery.attempts = DeliveryStatus.PENDING, 0
    delivery.next_attempt_at = delivery.queued_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "queued_at"])
    _audit(AuditAction.REDELIVERED, actor=actor, target=endpoint, changes={"deliveries": [delivery.message_id]})
    _queue_now(delivery)
    return delivery


@transaction.atomic(durable=True)
def redeliver_failed(endpoint_id: int, *, actor) -> int:
    """Send every failed (or stopped) delivery of an active endpoint again; returns how many.
    The beat's ``enqueue_due`` sends them within half a minute, a few hundred at a time."""
    endpoint = _locked_endpoint(endpoint_id, actor)
    _require_active(endpoint)
    count = endpoint.deliveries.filter(status__in=REDELIVERABLE).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), queued_at=None
    )
    if count:
        _audit(AuditAction.REDELIVERED, actor=actor, target=endpoint, changes={"count": count})
    return count

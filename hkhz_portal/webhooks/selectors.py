"""Reads that the partner's pages and the API share: always through the organisation, so
another organisation's endpoint or delivery is not found (404)."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from .models import Delivery, Endpoint
from .services import REDELIVERABLE, organisation_of


def endpoints_of(actor) -> QuerySet[Endpoint]:
    """The actor's organisation's endpoints, each with its count of deliveries to redeliver
    (failed, or stopped when the endpoint was disabled)."""
    failed = Count("deliveries", filter=Q(deliveries__status__in=REDELIVERABLE))
    endpoints = Endpoint.objects.filter(organisation=organisation_of(actor)).annotate(failed_count=failed)
    return endpoints.order_by("created_at", "pk")


def endpoint_of(actor, endpoint_id) -> Endpoint:
    endpoint = endpoints_of(actor).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404
    return endpoint


def deliveries_of(endpoint: Endpoint, *, status: str = "", event_type: str = "") -> QuerySet[Delivery]:
    """An endpoint's delivery log, newest first, filtered by status and event type."""
    deliveries = Delivery.objects.filter(endpoint=endpoint)
    if status:
        deliveries = deliveries.filter(status=status)
    if event_type:
        deliveries = deliveries.filter(event_type=event_type)
    return deliveries.order_by("-created_at", "-pk")


def delivery_of(actor, delivery_id) -> Delivery:
    delivery = (
        Delivery.objects.filter(pk=delivery_id, endpoint__organisation=organisation_of(actor))
        .prefetch_related("attempt_log")
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery

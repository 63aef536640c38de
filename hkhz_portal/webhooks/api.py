"""The webhook API for partners: endpoints (CRUD, rotate the secret, send a test event) and
their delivery log (list, one delivery with its attempts, redeliver).

Open to keys with ``webhooks:manage`` and to partner users' sessions; writes go through
``services``, reads through ``selectors``, so another organisation's endpoint is 404.
"""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hkhz_portal.accounts.api_keys import HasScope, Scope, ScopePermission
from hkhz_portal.core.converters import ID_REGEX
from hkhz_portal.core.pagination import CursorPage

from . import api_schema as docs
from . import selectors, services
from .models import Delivery, DeliveryAttempt, DeliveryStatus, DisabledReason, Endpoint
from .types import EventType


class EndpointSerializer(serializers.ModelSerializer):
    url = serializers.CharField(max_length=500, help_text=_("An https:// address on the public internet."))
    event_types = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices), allow_empty=False)
    active = serializers.BooleanField(
        source="is_active", required=False, help_text=_("False stops deliveries; true starts them again.")
    )
    disabled_reason = serializers.ChoiceField(choices=DisabledReason.choices, read_only=True, allow_blank=True)

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "active",
            "disabled_at",
            "disabled_reason",
            "failing_since",
            "created_at",
        ]
        read_only_fields = ["disabled_at", "failing_since", "created_at"]


class NewEndpointSerializer(EndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text=_("The signing secret: shown only in this answer."))

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class RotateSerializer(serializers.Serializer):
    overlap_hours = serializers.IntegerField(
        min_value=0,
        max_value=int(services.MAX_OVERLAP.total_seconds() // 3600),
        default=int(services.DEFAULT_OVERLAP.total_seconds() // 3600),
        help_text=_("How long the previous secret keeps signing beside the new one."),
    )


RotatedSerializer = inline_serializer(
    "RotatedSecret",
    {
        "secret": serializers.CharField(help_text=_("The new signing secret: shown only in this answer.")),
        "previous_valid_until": serializers.DateTimeField(),
    },
)


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "message_id",
            "endpoint",
            "event_type",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_response",
            "last_error",
            "last_duration_ms",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["started_at", "status_code", "response", "error", "duration_ms"]
        read_only_fields = fields


class DeliveryDetailSerializer(DeliverySerializer):
    attempt_log = AttemptSerializer(many=True, read_only=True)

    class Meta(DeliverySerializer.Meta):
        fields = [*DeliverySerializer.Meta.fields, "attempt_log"]
        read_only_fields = fields


class WebhookAPIMixin:
    """For keys with ``webhooks:manage`` and partner users' sessions."""

    key_scopes = Scope.WEBHOOKS_MANAGE
    permission_classes = [ScopePermission, HasScope]
    lookup_value_regex = ID_REGEX

    def faking(self) -> bool:
        """Whether the schema generator, not a request, asks for the queryset."""
        return getattr(self, "swagger_fake_view", False)


TAGS = ["webhook-endpoints"]
WHO = (
    "For keys with `webhooks:manage` and your organisation's partner users; another organisation's "
    "endpoint is not found (404)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List your webhook endpoints",
        description=f"Your organisation's endpoints (at most 10), oldest first. {WHO}",
        tags=TAGS,
        examples=docs.ENDPOINT_LIST,
    ),
    retrieve=extend_schema(
        summary="Read a webhook endpoint", description=WHO, tags=TAGS, examples=docs.ENDPOINT_DETAIL
    ),
    create=extend_schema(
        summary="Subscribe an endpoint to events",
        description=(
            "An `https://` address on the public internet (checked again at every send) and the event types "
            "it receives (see Webhooks). The answer carries the endpoint's signing secret (`whsec_…`): it is "
            f"shown this once, so keep it. {WHO}"
        ),
        tags=TAGS,
        responses={201: NewEndpointSerializer},
        examples=docs.ENDPOINT_CREATE,
    ),
    update=extend_schema(
        summary="Replace an endpoint's address, events and description",
        description=f"`active: false` disables it (deliveries stop); `true` enables it again. {WHO}",
        tags=TAGS,
        examples=docs.ENDPOINT_REPLACE,
    ),
    partial_update=extend_schema(
        summary="Change an endpoint",
        description=f"Only what is sent changes; `active: false` disables it, `true` enables it again. {WHO}",
        tags=TAGS,
        examples=docs.ENDPOINT_UPDATE,
    ),
    destroy=extend_schema(
        summary="Delete an endpoint",
        description=f"With its secrets and its delivery log; nothing more is sent to it. {WHO}",
        tags=TAGS,
        examples=docs.ENDPOINT_DELETE,
    ),
    rotate_secret=extend_schema(
        summary="Rotate an endpoint's signing secret",
        description=(
            "A new secret, current at once and shown only in this answer. For `overlap_hours` (24 by default, "
            "at most 168) the previous secret keeps signing too: each delivery carries both signatures, so "
            f"your receiver can switch without losing an event. {WHO}"
        ),
        tags=TAGS,
        request=RotateSerializer,
        responses={200: RotatedSerializer},
        examples=docs.ROTATE,
    ),
    test=extend_schema(
        summary="Send a test event",
        description=(
            "Queues a `webhook.test` event (`data`: `endpoint_id`), signed like any other, whatever the endpoint "
            f"subscribed to: follow it in the endpoint's deliveries. A disabled endpoint is 409. {WHO}"
        ),
        tags=TAGS,
        request=None,
        responses={202: DeliverySerializer},
        examples=docs.SEND_TEST,
    ),
)
class EndpointViewSet(WebhookAPIMixin, viewsets.ModelViewSet):
    """Your organisation's webhook endpoints. Creating one answers with its signing secret,
    once; so does rotating it."""

    serializer_class = EndpointSerializer

    def get_queryset(self):
        return Endpoint.objects.none() if self.faking() else selectors.endpoints_of(self.request.user)

    def create(self, request, *args, **kwargs):
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        fields.pop("is_active", None)
        endpoint, secret = services.create_endpoint(actor=request.user, **fields)
        endpoint = self.get_queryset().get(pk=endpoint.pk)
        endpoint.secret = secret
        return Response(NewEndpointSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        endpoint = self.get_object()
        given = self.get_serializer(endpoint, data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        active = fields.pop("is_active", None)
        services.update_endpoint(endpoint.pk, actor=request.user, **fields)
        if active is True:
            services.enable_endpoint(endpoint.pk, actor=request.user)
        elif active is False:
            services.disable_endpoint(endpoint.pk, actor=request.user)
        return Response(self.get_serializer(self.get_object()).data)

    def perform_destroy(self, instance):
        services.delete_endpoint(instance.pk, actor=self.request.user)

    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new signing secret, current at once; the previous one signs beside it for the overlap."""
        endpoint = self.get_object()
        given = RotateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        secret, until = services.rotate_secret(
            endpoint.pk, actor=request.user, overlap=timedelta(hours=given.validated_data["overlap_hours"])
        )
        return Response({"secret": secret, "previous_valid_until": until})

    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Send a ``webhook.test`` event to the endpoint; follow it in its deliveries."""
        delivery = services.send_test_event(self.get_object().pk, actor=request.user)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class DeliveryFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=DeliveryStatus.choices)
    event_type = filters.CharFilter()

    class Meta:
        model = Delivery
        fields = ["status", "event_type"]


@extend_schema_view(
    list=extend_schema(
        summary="List an endpoint's deliveries",
        description=(
            "The endpoint's delivery log of the last 30 days, newest first, in cursor pages: each delivery with "
            "its payload, attempts, last response code, the first KiB of the last answer and its duration. "
            f"Filter by `status` and `event_type`. {WHO}"
        ),
        tags=TAGS,
        examples=docs.DELIVERY_LIST,
    )
)
class EndpointDeliveryViewSet(WebhookAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """An endpoint's delivery log (the last 30 days), newest first."""

    serializer_class = DeliverySerializer
    pagination_class = CursorPage
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = DeliveryFilter

    def get_queryset(self):
        if self.faking():
            return Delivery.objects.none()
        return selectors.deliveries_of(selectors.endpoint_of(self.request.user, self.kwargs["endpoint_pk"]))


@extend_schema_view(
    retrieve=extend_schema(
        summary="Read a delivery with its attempts",
        description=f"Every attempt newest first: when, the answer's code and first KiB, or the error. {WHO}",
        tags=TAGS,
        examples=docs.DELIVERY_DETAIL,
    ),
    redeliver=extend_schema(
        summary="Send a failed delivery again",
        description=(
            "A delivery that failed (or was stopped when its endpoint was disabled) is queued again, with the same "
            "`webhook-id` and a fresh retry schedule. A pending or delivered one, or one whose endpoint is disabled, "
            f"is 409. {WHO}"
        ),
        tags=TAGS,
        request=None,
        responses={202: DeliverySerializer},
        examples=docs.REDELIVER,
    ),
)
class DeliveryViewSet(WebhookAPIMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One delivery with its attempts; a failed one can be sent again."""

    serializer_class = DeliveryDetailSerializer

    def get_queryset(self):
        if self.faking():
            return Delivery.objects.none()
        return Delivery.objects.filter(endpoint__in=selectors.endpoints_of(self.request.user)).prefetch_related(
            "attempt_log"
        )

    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        """Send a failed delivery again, with the same ``webhook-id``."""
        delivery = services.redeliver(self.get_object().pk, actor=request.user)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

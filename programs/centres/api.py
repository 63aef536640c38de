"""The service centres' API (DRF, under /api/v1/): both centres' catalogue, which anyone may read
(and keys with ``calls:read``, as the programmes), and the enterprises' service requests.

A request is between its enterprise and its centre: its members read and write their
enterprises' requests, the centre's staff and leads their centre's; anyone else's is 404. Keys
never reach a request (403, saying so): an enterprise's consent to share data with a partner
covers its applications, not its dealings with the centres, so partners only hear by webhook
that a request moved (``centres.webhooks``), never what it says. The centre's internal notes
reach no answer of the enterprise's. Reads go through the centres' selectors, every change
through ``centres.services``.
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response

from enterprises.api import MoneyField
from enterprises.choices import DocumentType
from enterprises.models import DocumentVersion
from hkhz_portal.accounts.api_keys import PartnerClient, Scope, ScopePermission
from hkhz_portal.core.converters import REFERENCE_REGEX
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.pagination import CursorPage
from hkhz_portal.core.validators import validate_multiline_text

from ..api import ID_MAX, MESSAGE_MAX, SLUG_REGEX, EnterpriseReferenceField, LookupField
from ..api_partners import SharedEnterpriseSerializer
from ..models import RequestMessage, Service, ServiceCategory, ServiceRequest, ServiceStep, SLAPolicy, WorkingPeriod
from . import api_schema as docs
from . import queue, selectors, services, sla
from .workflow import NEEDS_REASON, TRANSITIONS, WORKFLOW, PauseReason, Side, State

#: Steps the portal takes by itself (a request is made by POSTing it; a client's message answers).
AUTOMATIC_STEPS = frozenset({"request", "client_answered"})
#: The steps a note goes with: the reason (cancel, decline, a third party's wait) or, to ask the
#: enterprise for something, the message it reads.
NOTED_STEPS = NEEDS_REASON | {"ask_client"}
#: The most documents or files one request or message carries.
ATTACHMENTS_MAX = 20
HOUR = Decimal(3600)
CENT = Decimal("0.01")


def hours(delta) -> str:
    """Business time as hours with two decimals, as the targets are written."""
    return str((Decimal(int(delta.total_seconds())) / HOUR).quantize(CENT))


def current_versions(enterprise, document_ids) -> list[DocumentVersion]:
    """The current version of each of ``enterprise``'s documents named by id (as the enterprises
    API lists them); an id that is not one of its documents is refused."""
    ids = set(document_ids)
    if not ids:
        return []
    current = [version for version in selectors.library_versions(enterprise) if version.document_id in ids]
    if {version.document_id for version in current} != ids:
        raise services.foreign_documents()
    return current


# --- The catalogue -------------------------------------------------------------------------------------


class CentreSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")


class ServiceStepSerializer(serializers.ModelSerializer):
    title = serializers.CharField()

    class Meta:
        model = ServiceStep
        fields = ["title", "target_hours"]
        read_only_fields = fields


@extend_schema_field(docs.LOCAL_TIME)
class LocalTimeField(serializers.TimeField):
    """A time of day in the centre's local time, to the minute (``09:00``)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class WorkingPeriodSerializer(serializers.ModelSerializer):
    weekday_label = serializers.CharField(source="get_weekday_display")
    starts = LocalTimeField()
    ends = LocalTimeField()

    class Meta:
        model = WorkingPeriod
        fields = ["weekday", "weekday_label", "starts", "ends"]
        read_only_fields = fields


class SLAPolicySerializer(serializers.ModelSerializer):
    calendar_label = serializers.CharField(source="get_calendar_display")
    working_hours = WorkingPeriodSerializer(
        source="periods", many=True, help_text="Local time; a lunch break is the gap between two periods of a day."
    )

    class Meta:
        model = SLAPolicy
        fields = [
            "calendar",
            "calendar_label",
            "first_response_hours",
            "resolution_hours",
            "at_risk_percent",
            "working_hours",
        ]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-service-detail", lookup_field="slug")
    centre = CentreSerializer(source="unit")
    category_label = serializers.CharField(source="get_category_display")
    name = serializers.CharField(help_text="In the request's language.")
    description = serializers.CharField(help_text="In the request's language.")
    fee = MoneyField(read_only=True, allow_null=True, help_text="Null for a free service.")
    required_documents = serializers.SerializerMethodField()
    steps = ServiceStepSerializer(many=True)
    sla = SLAPolicySerializer(source="sla_policy")

    class Meta:
        model = Service
        fields = [
            "slug",
            "url",
            "centre",
            "category",
            "category_label",
            "name",
            "name_en",
            "name_zh_hans",
            "name_zh_hant",
            "description",
            "description_en",
            "description_zh_hans",
            "description_zh_hant",
            "fee",
            "required_documents",
            "steps",
            "sla",
        ]
        read_only_fields = fields

    @extend_schema_field(docs.DocumentTypeShape(many=True))
    def get_required_documents(self, service):
        labels = dict(DocumentType.choices)
        return [{"type": value, "label": str(labels.get(value, value))} for value in service.required_documents]


class ServiceFilterSerializer(serializers.Serializer):
    centre = serializers.SlugField(max_length=50, required=False, help_text="A centre's code.")
    category = serializers.ChoiceField(choices=ServiceCategory.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="List the centres' services",
        description="Both service centres' catalogue: each service with its fee, the documents a request must "
        "carry, its fulfilment steps and its SLA (targets in business hours on the centre's calendar). Filtered "
        "by centre and category; in order of short name, in cursor pages. Open to anyone, and to keys with "
        "`calls:read`.",
        tags=["services"],
        parameters=[ServiceFilterSerializer],
        examples=docs.SERVICE_LIST,
    ),
    retrieve=extend_schema(
        summary="Read a service",
        description="A service the centres offer; a withdrawn one is 404. Open to anyone, and to keys with "
        "`calls:read`.",
        tags=["services"],
        examples=docs.SERVICE_DETAIL,
    ),
)
class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    """The services both centres offer: ``?centre=<code>`` and ``?category=<category>`` narrow the list."""

    permission_classes = [ScopePermission, AllowAny]
    key_scopes = Scope.CALLS_READ
    serializer_class = ServiceSerializer
    pagination_class = CursorPage
    ordering = ("slug",)
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX

    def get_queryset(self):
        services = selectors.catalogue().prefetch_related("steps", "sla_policy__periods")
        if self.action != "list":
            return services
        filters = ServiceFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        if centre := filters.validated_data.get("centre"):
            services = services.filter(unit__code=centre)
        if category := filters.validated_data.get("category"):
            services = services.filter(category=category)
        return services


# --- Service requests -----------------------------------------------------------------------------------


class NotForPartners(BasePermission):
    """Service requests are between an enterprise and its centre: a key is refused, saying so
    (and that sessions are what these endpoints take). Other resources kept from partners
    subclass it with their own ``refusal``."""

    refusal = _("Service requests are not shared with partners: these endpoints are for signed-in users.")

    def has_permission(self, request, view):
        if isinstance(request.user, PartnerClient):
            raise exceptions.PermissionDenied(self.refusal, code="not_shared_with_partners")
        return True


class RequestedServiceSerializer(serializers.ModelSerializer):
    name = serializers.CharField()

    class Meta:
        model = Service
        fields = ["slug", "name", "category"]
        read_only_fields = fields


class ServiceRequestSerializer(serializers.ModelSerializer):
    """A request in a list: the clocks as the queue reads them (their figures at the last
    recomputation: ``level`` and when each is due)."""

    url = serializers.HyperlinkedIdentityField(view_name="api-service-request-detail", lookup_field="reference")
    service = RequestedServiceSerializer()
    centre = CentreSerializer(source="unit")
    enterprise = SharedEnterpriseSerializer()
    state_label = serializers.CharField(source="get_state_display")
    assignee = serializers.CharField(
        source="assignee.full_name", allow_null=True, help_text="The centre's staff member handling it."
    )

    class Meta:
        model = ServiceRequest
        fields = [
            "reference",
            "url",
            "service",
            "centre",
            "enterprise",
            "state",
            "state_label",
            "assignee",
            "created_at",
            "state_changed_at",
            "first_response_at",
            "closed_at",
            "response_level",
            "response_due_at",
            "resolution_level",
            "resolution_due_at",
        ]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer):
    """A message of the thread; ``internal`` (a staff-only note) is given to the centre only.
    Its context says whose side reads it (``centre_side``) and the request's ``reference``."""

    author = serializers.CharField(source="author.full_name", allow_null=True)
    internal = serializers.BooleanField(
        required=False, help_text="Centre staff only: a note the enterprise never sees."
    )
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = RequestMessage
        fields = ["id", "from_centre", "author", "internal", "body", "created_at", "attachments"]
        read_only_fields = [name for name in fields if name != "internal"]

    @extend_schema_field(docs.AttachmentShape(many=True))
    def get_attachments(self, message):
        # The reader's own page serves the file: the centre's reads internal notes' files too.
        page = "programs:centre_request_download" if self.context["centre_side"] else "programs:my_request_download"
        absolute = self.context["request"].build_absolute_uri
        return [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.version.size if a.version_id else a.size,
                "from_library": a.version_id is not None,
                "download_url": absolute(reverse(page, args=[self.context["reference"], a.pk])),
            }
            for a in message.attachments.all()
        ]

    def to_representation(self, message):
        data = super().to_representation(message)
        if not self.context["centre_side"]:
            del data["internal"]
        return data


class ServiceRequestDetailSerializer(ServiceRequestSerializer):
    """A request as its reader's side sees it: the thread without the internal notes for the
    enterprise, with them (flagged) for the centre; the clocks read afresh from the state log."""

    requested_by = serializers.CharField(source="requested_by.full_name", allow_null=True)
    documents = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    clocks = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    messages = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(ServiceRequestSerializer.Meta):
        fields = [
            *ServiceRequestSerializer.Meta.fields,
            "requested_by",
            "details",
            "documents",
            "steps",
            "clocks",
            "history",
            "messages",
            "rating",
            "actions",
        ]
        read_only_fields = fields

    def _centre_side(self, request) -> bool:
        return request.unit_id == self.context["centre_unit"]

    @extend_schema_field(docs.RequestDocumentShape(many=True))
    def get_documents(self, request):
        return [
            {
                "document": v.document_id,
                "title": v.document.display_title,
                "type": v.document.doc_type,
                "version": v.number,
            }
            for v in request.documents.all()
        ]

    @extend_schema_field(docs.RequestStepShape(many=True))
    def get_steps(self, request):
        return [
            {
                "id": step.pk,
                "title": step.title,
                "target_hours": str(step.target_hours),
                "done": step.done_at is not None,
                "done_at": serializers.DateTimeField().to_representation(step.done_at) if step.done_at else None,
            }
            for step in request.steps.all()
        ]

    @extend_schema_field(docs.ClocksShape)
    def get_clocks(self, request):
        clocks = services.clocks_of(request, request.state_changes.all())
        when = serializers.DateTimeField()

        def clock(c: sla.Clock) -> dict:
            return {
                "state": c.state.value,
                "target_hours": hours(c.target),
                "elapsed_hours": hours(c.elapsed),
                "at_risk": c.is_at_risk(),
                "breached": c.is_breached(),
                "at_risk_at": when.to_representation(c.at_risk_at) if c.at_risk_at else None,
                "due_at": when.to_representation(c.due_at) if c.due_at else None,
            }

        return {
            "calendar": request.sla["calendar"],
            "response": clock(clocks.response),
            "resolution": clock(clocks.resolution),
            "paused_on_client_hours": hours(clocks.paused_on_client),
            "paused_on_third_party_hours": hours(clocks.paused_on_third_party),
        }

    @extend_schema_field(docs.HistoryShape(many=True))
    def get_history(self, request):
        when = serializers.DateTimeField()
        return [
            {
                "step": change.transition,
                "from": change.from_state or None,
                "to": change.to_state,
                "by": str(TRANSITIONS[change.transition].by) if change.transition in TRANSITIONS else None,
                "at": when.to_representation(change.created_at),
                "pause_reason": change.pause_reason or None,
                "note": change.note,
            }
            for change in request.state_changes.all()
        ]

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, request):
        centre_side = self._centre_side(request)
        thread = selectors.thread(request, internal=centre_side)
        context = {**self.context, "centre_side": centre_side, "reference": request.reference}
        return MessageSerializer(thread, many=True, context=context).data

    @extend_schema_field(docs.RatingShape(allow_null=True))
    def get_rating(self, request):
        rating = getattr(request, "rating", None)
        if rating is None:
            return None
        return {
            "score": rating.score,
            "comment": rating.comment,
            "created_at": serializers.DateTimeField().to_representation(rating.created_at),
        }

    @extend_schema_field(docs.RequestActionShape(many=True))
    def get_actions(self, request):
        side = Side.CENTRE if self._centre_side(request) else Side.CLIENT
        return [
            {"name": t.name, "label": str(t.label), "needs_note": t.name in NOTED_STEPS}
            for t in WORKFLOW.by(side, request.state)
            if t.name not in AUTOMATIC_STEPS
        ]


def _documents_field():
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        max_length=ATTACHMENTS_MAX,
        required=False,
        default=list,
        help_text="Ids of the enterprise's library documents (as the enterprises API lists them): their current "
        "versions are attached.",
    )


def _expected_state_field():
    return serializers.ChoiceField(
        choices=State.choices,
        required=False,
        default=None,
        help_text="The state you saw: if the request moved since, the answer is 409.",
    )


class RequestServiceSerializer(serializers.Serializer):
    service = LookupField(
        pattern=SLUG_REGEX,
        slug_field="slug",
        queryset=Service.objects.all(),
        error_messages={"does_not_exist": _("There is no service with this short name.")},
    )
    enterprise = EnterpriseReferenceField()
    details = serializers.CharField(max_length=MESSAGE_MAX, validators=[validate_multiline_text])
    documents = _documents_field()


class PostMessageSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MESSAGE_MAX, validators=[validate_multiline_text])
    internal = serializers.BooleanField(
        default=False, help_text="A staff-only note (centre staff only): the enterprise never sees it."
    )
    documents = _documents_field()
    expected_state = _expected_state_field()


class TransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(
        choices=[(t.name, t.label) for t in TRANSITIONS.values() if t.name not in AUTOMATIC_STEPS]
    )
    note = serializers.CharField(
        max_length=MESSAGE_MAX,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_multiline_text],
        help_text="The reason (cancel, decline, wait_third_party), or the message to the enterprise (ask_client). "
        "The enterprise reads it.",
    )
    pause_reason = serializers.ChoiceField(
        choices=PauseReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Whom the request waits on (wait_third_party).",
    )
    expected_state = _expected_state_field()

    def validate(self, data):
        if data["name"] == "ask_client" and not data["note"].strip():
            raise serializers.ValidationError({"note": [_("Write a message.")]})
        return data


class RatingSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5, help_text="From 1 (very poor) to 5 (excellent).")
    comment = serializers.CharField(
        max_length=MESSAGE_MAX,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_multiline_text],
        help_text="The centre reads it.",
    )


class RequestFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    service = serializers.SlugField(max_length=50, required=False, help_text="A service's short name.")
    at_risk = serializers.BooleanField(
        required=False, default=False, help_text="Only those with a clock past its at-risk share, not past its target."
    )
    breached = serializers.BooleanField(
        required=False, default=False, help_text="Only those with a clock past its target."
    )


@extend_schema_view(
    list=extend_schema(
        summary="List service requests",
        description="An enterprise member's: their enterprises' requests; a centre's staff and leads: their "
        "centre's. Newest first, in cursor pages; filtered by state, service, and `at_risk` or `breached` on "
        "either SLA clock. Sessions only: service requests are not shared with partners.",
        tags=["service-requests"],
        parameters=[RequestFilterSerializer],
        examples=docs.REQUEST_LIST,
    ),
    retrieve=extend_schema(
        summary="Read a service request",
        description="With its documents, fulfilment steps, both SLA clocks read afresh from its state log, its "
        "history, its message thread, its rating and the steps you may take. The enterprise's members never see "
        "the centre's internal notes; the centre's staff see them flagged `internal`. Another enterprise's or "
        "centre's request is 404.",
        tags=["service-requests"],
        examples=docs.REQUEST_DETAIL,
    ),
    create=extend_schema(
        summary="Request a service",
        description="For a member of the enterprise who has consented to the cross-border transfer of its data. "
        "`documents` are ids of the enterprise's library documents (upload new ones there first); every type "
        "the service needs must be among them. 201 with the new request and its `Location`; the same request "
        "sent again within minutes (a double click) is 200 with the first.",
        tags=["service-requests"],
        request=RequestServiceSerializer,
        responses={200: ServiceRequestDetailSerializer, 201: ServiceRequestDetailSerializer},
        examples=docs.REQUEST_CREATE,
    ),
    messages=extend_schema(
        summary="Write in a request's thread",
        description="A message from the enterprise (with documents from its library) or from the centre "
        "(`internal: true` for a staff-only note). The enterprise's message to a request waiting on it answers "
        "it: the request goes back to work and the clock runs again. A multipart body may carry files as "
        "`attachments`, checked as every upload. 201 with the request as you see it.",
        tags=["service-requests"],
        request=PostMessageSerializer,
        responses={201: ServiceRequestDetailSerializer},
        examples=docs.MESSAGE,
    ),
    rating=extend_schema(
        summary="Rate a completed request",
        description="Once, by a member of the request's enterprise: a score from 1 to 5 and a comment the centre "
        "reads. 201 with the request and its `rating`; a request not completed is 409, as is a second rating.",
        tags=["service-requests"],
        request=RatingSerializer,
        responses={201: ServiceRequestDetailSerializer},
        examples=docs.RATING,
    ),
    transitions=extend_schema(
        summary="Take a step on a request",
        description="One of the steps the request's `actions` offer you: the centre's staff accept, start work, "
        "ask the enterprise (`note` is the message it reads; the clock pauses), wait on a third party "
        "(`pause_reason` and `note`), resume, complete or decline (with a `note`); the enterprise cancels (with "
        "a `note`). A step from the wrong state is 409.",
        tags=["service-requests"],
        request=TransitionSerializer,
        responses={200: ServiceRequestDetailSerializer},
        examples=docs.TRANSITION,
    ),
)
class ServiceRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Service requests, for their enterprise's members and their centre's staff (sessions only).

    ``POST`` (``{"service": slug, "enterprise": reference, "details": …, "documents": [ids]}``)
    requests a service; ``…/messages/`` writes in the thread; ``…/transitions/`` takes a step
    of the workflow; ``…/rating/`` rates a completed one. Another enterprise's or centre's
    request is 404."""

    permission_classes = [NotForPartners, ScopePermission, IsAuthenticated]
    pagination_class = CursorPage
    ordering = ("-created_at",)
    lookup_field = "reference"
    lookup_value_regex = REFERENCE_REGEX

    @cached_property
    def centre_unit(self):
        """The centre the user works for (its requests are read from its side), or None."""
        user = self.request.user
        return user.unit_id if selectors.is_centre_member(user) else None

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "centre_unit": self.centre_unit}

    def get_queryset(self):
        user = self.request.user
        found = (selectors.client_requests(user) | selectors.centre_requests(user)).select_related(
            "service", "unit", "enterprise", "assignee"
        )
        if self.action == "list":
            return self._filtered(found)
        return self._detailed(found) if self.action == "retrieve" else found

    @staticmethod
    def _detailed(found):
        """With what a detail shows, in a fixed number of queries (the thread is read apart)."""
        return found.select_related("requested_by", "rating").prefetch_related(
            "state_changes", "steps", Prefetch("documents", queryset=DocumentVersion.objects.select_related("document"))
        )

    def _filtered(self, found):
        filters = RequestFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data, now = filters.validated_data, timezone.now()
        if "state" in data:
            found = found.filter(state=data["state"])
        if "service" in data:
            found = found.filter(service__slug=data["service"])
        if data["at_risk"]:
            found = queue.at_risk(found, now)
        if data["breached"]:
            found = queue.breached(found, now)
        return found

    def get_serializer_class(self):
        return {
            "list": ServiceRequestSerializer,
            "create": RequestServiceSerializer,
            "messages": PostMessageSerializer,
            "transitions": TransitionSerializer,
            "rating": RatingSerializer,
        }.get(self.action, ServiceRequestDetailSerializer)

    def _input(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _show(self, service_request, status_code=status.HTTP_200_OK, headers=None):
        service_request = self._detailed(self.get_queryset()).get(pk=service_request.pk)
        data = ServiceRequestDetailSerializer(service_request, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers=headers)

    def create(self, request, *args, **kwargs):
        data = self._input(request)
        started = timezone.now()
        made = services.request_service(
            actor=request.user,
            service=data["service"],
            enterprise=data["enterprise"],
            details=data["details"],
            documents=current_versions(data["enterprise"], data["documents"]),
        )
        if made.created_at < started:  # the same request again: the first one
            return self._show(made)
        location = request.build_absolute_uri(reverse("api-service-request-detail", args=[made.reference]))
        return self._show(made, status.HTTP_201_CREATED, headers={"Location": location})

    @action(detail=True, methods=["post"])
    def messages(self, request, reference=None):
        service_request = self.get_object()
        data = self._input(request)
        uploads = request.FILES.getlist("attachments")
        if len(uploads) + len(data["documents"]) > ATTACHMENTS_MAX:
            message = _("Attach at most %(count)s files to a message.") % {"count": ATTACHMENTS_MAX}
            raise DomainError(message, code="too_many_attachments", field="attachments")
        services.post_message(
            actor=request.user,
            request=service_request,
            body=data["body"],
            internal=data["internal"],
            uploads=uploads,
            library=current_versions(service_request.enterprise, data["documents"]),
            expected_state=data["expected_state"],
        )
        return self._show(service_request, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def transitions(self, request, reference=None):
        service_request = self.get_object()
        data = self._input(request)
        if data["name"] == "ask_client":
            services.ask_client(
                actor=request.user, request=service_request, body=data["note"], expected_state=data["expected_state"]
            )
        else:
            services.take_step(actor=request.user, request=service_request, **data)
        return self._show(service_request)

    @action(detail=True, methods=["post"])
    def rating(self, request, reference=None):
        service_request = self.get_object()
        data = self._input(request)
        services.rate(request=service_request, score=data["score"], comment=data["comment"], actor=request.user)
        return self._show(service_request, status.HTTP_201_CREATED)

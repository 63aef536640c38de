"""The admission API (DRF, session auth, under /api/v1/): calls, which anyone may read, and the
user's own applications across their enterprises, which they start, fill in, submit, withdraw
and complete when an officer asks for more. Reads go through selectors, every change through
``services.applications``; another enterprise's application is 404, and so is any application
for a user who is a member of none (an officer included), as in the enterprises API.
"""

import re
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response

from enterprises.selectors import enterprises_of
from hkhz_portal.accounts.api_keys import Scope, ScopePermission
from hkhz_portal.core.converters import REFERENCE_REGEX
from hkhz_portal.core.validators import validate_multiline_text

from . import api_schema as docs
from . import selectors
from .answers import Question, form_schema
from .choices import CallState, Outcome, ProgrammeKind, SpaceKind
from .display import shown_decision
from .models import Application, Call, Decision, Onboarding, Programme
from .services import applications as svc
from .services import decisions
from .workflow import TRANSITIONS, Actor, Status, transitions_by

#: A call's short name in links.
SLUG_REGEX = "[-a-zA-Z0-9_]{1,50}"
#: Longest note or message the API takes (a page's text area holds as much).
MESSAGE_MAX = 5000
#: A database id: 18 digits fit a 64-bit integer.
ID_MAX = 10**18 - 1
#: The applicant's steps, each a POST route on the application (``…/submit/``).
APPLICANT_STEPS = ("submit", "withdraw", "respond", "accept_offer")


def _question(q: Question) -> dict:
    data = {
        "key": q.key,
        "kind": q.kind,
        "label": str(q.label),
        "help": str(q.help),
        "required": q.required,
    }
    if q.choices:
        data["choices"] = [{"value": c["value"], "label": q.choice_label(c["value"])} for c in q.choices]
    limits = {
        "max_length": q.max_length,
        "max_words": q.max_words,
        "min_value": None if q.min_value is None else str(q.min_value),
        "max_value": None if q.max_value is None else str(q.max_value),
        "document_type": q.document_type or None,
        "min_rows": q.min_rows,
        "max_rows": q.max_rows,
    }
    data.update({name: value for name, value in limits.items() if value is not None})
    if q.show_if_field:
        data["show_if"] = {"question": q.show_if_field, "answer_in": list(q.show_if_values)}
    if q.columns:
        data["columns"] = [_question(c) for c in q.columns]
    return data


def form_data(version) -> dict:
    """A form version as a client needs it to fill it in: sections, questions, conditions, limits."""
    sections = []
    for s in form_schema(version).sections:
        section = {"key": s.key, "title": str(s.title), "help": str(s.help)}
        if s.show_if_field:
            section["show_if"] = {"question": s.show_if_field, "answer_in": list(s.show_if_values)}
        section["questions"] = [_question(q) for q in s.questions]
        sections.append(section)
    return {"form": version.form.name, "version": version.number, "sections": sections}


class CallSerializer(serializers.ModelSerializer):
    title = serializers.CharField()
    summary = serializers.CharField()
    programme = serializers.SerializerMethodField()
    unit = serializers.CharField(source="programme.unit.code")
    state = serializers.SerializerMethodField()
    rolling = serializers.BooleanField(source="is_rolling")
    url = serializers.HyperlinkedIdentityField(view_name="api-call-detail", lookup_field="slug")

    class Meta:
        model = Call
        fields = ["slug", "title", "summary", "programme", "unit", "state", "rolling", "opens_at", "closes_at", "url"]
        read_only_fields = fields

    @extend_schema_field(docs.ProgrammeShape)
    def get_programme(self, call):
        programme = call.programme
        return {"slug": programme.slug, "name": programme.name, "kind": programme.kind}

    @extend_schema_field(docs.CALL_STATE)
    def get_state(self, call):
        return call.state()


class CallDetailSerializer(CallSerializer):
    """A call with its eligibility rules and the form its applications fill in."""

    rules = serializers.SerializerMethodField()
    form = serializers.SerializerMethodField()

    class Meta(CallSerializer.Meta):
        fields = [*CallSerializer.Meta.fields, "capacity", "rules", "form"]
        read_only_fields = fields

    @extend_schema_field(docs.RuleShape(many=True))
    def get_rules(self, call):
        return [{"kind": rule.kind, "label": rule.get_kind_display()} for rule in call.rules.all()]

    @extend_schema_field(docs.FormShape)
    def get_form(self, call):
        return form_data(call.form_version)


class CallFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=CallState.choices, required=False)
    programme = serializers.SlugField(max_length=50, required=False)
    unit = serializers.SlugField(max_length=50, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="List calls",
        description="Calls for applications, open to anyone and to keys with `calls:read`, filtered by state, "
        "programme and unit.",
        parameters=[CallFilterSerializer],
        examples=[*docs.CALL_LIST, docs.CALL_FILTER_REFUSED],
    ),
    retrieve=extend_schema(summary="Read a call, with its rules and form", examples=docs.CALL_DETAIL),
)
class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls for applications, open to anyone: ``?state=open|upcoming|closed``, ``?programme=<slug>``
    and ``?unit=<code>`` narrow the list."""

    permission_classes = [ScopePermission, AllowAny]
    key_scopes = Scope.CALLS_READ
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX

    def get_serializer_class(self):
        return CallDetailSerializer if self.action == "retrieve" else CallSerializer

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.calls().select_related("form_version__form").prefetch_related("rules")
        filters = CallFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.calls(**filters.validated_data)


class ProgrammeSerializer(serializers.ModelSerializer):
    name = serializers.CharField()
    description = serializers.SerializerMethodField()
    unit = serializers.CharField(source="unit.code")
    url = serializers.HyperlinkedIdentityField(view_name="api-programme-detail", lookup_field="slug")
    calls = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["slug", "name", "kind", "unit", "description", "duration_months", "url", "calls"]
        read_only_fields = fields

    def get_description(self, programme) -> str:
        return programme.text("description")

    @extend_schema_field(OpenApiTypes.URI)
    def get_calls(self, programme):
        """The programme's calls, as a link to the calls list narrowed to it."""
        return f"{self.context['request'].build_absolute_uri(reverse('api-call-list'))}?programme={programme.slug}"


class ProgrammeFilterSerializer(serializers.Serializer):
    unit = serializers.SlugField(max_length=50, required=False)
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="List programmes",
        description="The programmes the platform and the two service centres run, each with a link to its calls "
        "for applications; filtered by unit and kind. Open to anyone, and to keys with `calls:read`.",
        tags=["programmes"],
        parameters=[ProgrammeFilterSerializer],
        examples=docs.PROGRAMME_LIST,
    ),
    retrieve=extend_schema(
        summary="Read a programme",
        description="Open to anyone, and to keys with `calls:read`; `calls` links to its calls.",
        tags=["programmes"],
        examples=docs.PROGRAMME_DETAIL,
    ),
)
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Programmes, open to anyone, each with a link to its calls: ``?unit=<code>`` and
    ``?kind=<kind>`` narrow the list."""

    permission_classes = [ScopePermission, AllowAny]
    key_scopes = Scope.CALLS_READ
    serializer_class = ProgrammeSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.programmes()
        filters = ProgrammeFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.programmes(**filters.validated_data)


class ApplicationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    call_title = serializers.CharField(source="call.title")
    enterprise = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-application-detail", lookup_field="reference")

    class Meta:
        model = Application
        fields = [
            "reference",
            "status",
            "status_label",
            "call",
            "call_title",
            "enterprise",
            "created_at",
            "saved_at",
            "submitted_at",
            "url",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    outcome_label = serializers.CharField(source="get_outcome_display")
    space_kind_label = serializers.CharField(source="get_space_kind_display")

    class Meta:
        model = Decision
        fields = [
            "outcome",
            "outcome_label",
            "decided_at",
            "conditions",
            "reasons",
            "space_kind",
            "space_kind_label",
            "area_m2",
            "move_in_on",
            "term_months",
            "waitlist_position",
        ]
        read_only_fields = fields


class ShownDecisionSerializer(DecisionSerializer):
    """The decision as the applicant reads it (no internal note), with the panel's comments to
    the applicant and the onboarding's progress."""

    onboarding_ended = serializers.BooleanField(help_text="Approved, then the onboarding ended unfinished.")
    onboarding = docs.OnboardingShape(allow_null=True)
    comments = serializers.ListField(
        child=serializers.CharField(), help_text="The reviewers' comments to the applicant."
    )

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "onboarding_ended", "onboarding", "comments"]
        read_only_fields = fields

    def to_representation(self, shown):
        data = DecisionSerializer(shown.decision, context=self.context).data
        data["reasons"] = shown.reasons
        data["onboarding_ended"] = shown.onboarding_ended
        data["onboarding"] = (
            {step: getattr(shown.onboarding, step) for step in Onboarding.STEPS} if shown.onboarding else None
        )
        data["comments"] = selectors.comments_to_applicant(shown.decision.application)
        return data


class ApplicationDetailSerializer(ApplicationSerializer):
    """An application as its applicant sees it: no internal notes, no screening details."""

    form_version = serializers.IntegerField(source="form_version.number")
    answers = serializers.JSONField()
    info_request = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "form_version",
            "answers",
            "info_request",
            "timeline",
            "actions",
            "decision",
        ]
        read_only_fields = fields

    @extend_schema_field(ShownDecisionSerializer(allow_null=True))
    def get_decision(self, application):
        """``None`` before a decision."""
        shown = shown_decision(application)
        return None if shown is None else ShownDecisionSerializer(shown).data

    @extend_schema_field(docs.InfoRequestShape(allow_null=True))
    def get_info_request(self, application):
        if application.status != Status.MORE_INFO_REQUESTED:
            return None
        request = svc.open_info_request(application)
        if request is None:
            return None
        return {"message": request.message, "questions": request.fields, "due_at": request.due_at}

    @extend_schema_field(docs.TIMELINE)
    def get_timeline(self, application):
        return [
            {
                "step": change.transition,
                "from": change.from_status or None,
                "to": change.to_status,
                "by": TRANSITIONS[change.transition].by if change.transition in TRANSITIONS else None,
                "by_name": (change.actor.full_name or None) if change.actor else None,
                "at": serializers.DateTimeField().to_representation(change.created_at),
                "note": change.note,
            }
            for change in application.status_changes.all()
        ]

    @extend_schema_field(docs.ActionShape(many=True))
    def get_actions(self, application):
        request = self.context["request"]
        return [
            {
                "name": step.name,
                "label": str(step.label),
                "url": request.build_absolute_uri(
                    reverse(f"api-application-{step.name}", kwargs={"reference": application.reference})
                ),
            }
            for step in transitions_by(Actor.APPLICANT, application.status)
            if step.name in APPLICANT_STEPS
        ]


@extend_schema_field(OpenApiTypes.STR)
class LookupField(serializers.SlugRelatedField):
    """An object by its short name or reference. A value of the wrong shape is not looked up
    (PostgreSQL refuses a NUL byte even in a query): it does not exist."""

    def __init__(self, *, pattern: str, **kwargs):
        self.pattern = re.compile(pattern)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not self.pattern.fullmatch(data):
            self.fail("does_not_exist")
        return super().to_internal_value(data)


class EnterpriseReferenceField(LookupField):
    """An enterprise of the user's, by its reference; any other reference does not exist for them."""

    default_error_messages = {"does_not_exist": _("You are not a member of an enterprise with this reference.")}

    def __init__(self, **kwargs):
        super().__init__(pattern=REFERENCE_REGEX, slug_field="reference", **kwargs)

    def get_queryset(self):
        return enterprises_of(self.context["request"].user)


class StartSerializer(serializers.Serializer):
    call = LookupField(
        pattern=SLUG_REGEX,
        slug_field="slug",
        queryset=Call.objects.select_related("programme"),
        error_messages={"does_not_exist": _("There is no call with this short name.")},
    )
    enterprise = EnterpriseReferenceField()


class AnswersField(serializers.DictField):
    """Answers by question key; each answer is checked by the form engine, not here."""

    default_error_messages = {"not_a_dict": _("Send the answers as an object of answers by question key.")}

    def __init__(self, **kwargs):
        super().__init__(child=serializers.JSONField(), **kwargs)


class SaveSerializer(serializers.Serializer):
    answers = AnswersField()
    section = serializers.SlugField(max_length=50, required=False)


class SubmitSerializer(serializers.Serializer):
    declaration = serializers.BooleanField(default=False)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MESSAGE_MAX, required=False, allow_blank=True, validators=[validate_multiline_text]
    )


class RespondSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=MESSAGE_MAX, validators=[validate_multiline_text])
    answers = AnswersField(required=False, default=dict)
    documents = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX), max_length=50, required=False, default=list
    )


def _unknown_questions(keys, known, message) -> dict:
    return {key: [str(message)] for key in keys if key not in known}


def _step(summary, serializer, examples):
    """The schema of one of the applicant's steps: ``serializer`` in, the application out."""
    return extend_schema(summary=summary, request=serializer, responses=ApplicationDetailSerializer, examples=examples)


@extend_schema_view(
    list=extend_schema(
        summary="List your applications",
        description="Your applications, across the enterprises you are a member of; another enterprise's is 404.",
        examples=docs.APPLICATION_LIST,
    ),
    retrieve=extend_schema(summary="Read one of your applications", examples=docs.APPLICATION_DETAIL),
    create=extend_schema(
        summary="Start an application (or get the live one)",
        description="201 with a new draft; 200 with the enterprise's live application to the call if it has one.",
        request=StartSerializer,
        responses={200: ApplicationDetailSerializer, 201: ApplicationDetailSerializer},
        examples=docs.START,
    ),
    partial_update=_step("Save a draft's answers (all or none)", SaveSerializer, docs.SAVE),
    submit=_step("Submit a draft", SubmitSerializer, docs.SUBMIT),
    withdraw=_step("Withdraw an application", WithdrawSerializer, docs.WITHDRAW),
    respond=_step("Answer an officer's request for more information", RespondSerializer, docs.RESPOND),
    accept_offer=_step("Accept the place offered", None, docs.ACCEPT_OFFER),
)
class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The user's own applications, across their enterprises.

    ``POST`` (``{"call": slug, "enterprise": reference}``) starts a draft, or returns the live
    one the enterprise already has for the call; ``PATCH`` (``{"answers": {...}}``, optionally
    ``"section"``) saves a draft's answers, all or none; ``…/submit/``, ``…/withdraw/``,
    ``…/respond/`` and ``…/accept_offer/`` take the applicant's steps of the workflow.
    """

    lookup_field = "reference"
    lookup_value_regex = REFERENCE_REGEX
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        found = selectors.applications_of(self.request.user).select_related("call", "enterprise")
        if self.action == "list":
            return found
        return found.select_related("form_version__form").prefetch_related("status_changes__actor")

    def get_serializer_class(self):
        return {
            "list": ApplicationSerializer,
            "create": StartSerializer,
            "partial_update": SaveSerializer,
            "submit": SubmitSerializer,
            "withdraw": WithdrawSerializer,
            "respond": RespondSerializer,
        }.get(self.action, ApplicationDetailSerializer)

    def _input(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _show(self, application, status_code=status.HTTP_200_OK):
        application = self.get_queryset().get(pk=application.pk)
        data = ApplicationDetailSerializer(application, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def create(self, request, *args, **kwargs):
        data = self._input(request)
        existed = self.get_queryset().filter(call=data["call"], enterprise=data["enterprise"])
        existed = existed.exclude(status=Status.WITHDRAWN).exists()
        application = svc.start_application(actor=request.user, call=data["call"], enterprise=data["enterprise"])
        return self._show(application, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        data = self._input(request)
        schema = form_schema(application.form_version)
        section = data.get("section")
        if section is not None and schema.section(section) is None:
            raise serializers.ValidationError({"section": [_("This form has no such section.")]})
        unknown = _unknown_questions(data["answers"], schema.questions, _("This form has no such question."))
        if unknown:
            raise serializers.ValidationError(unknown)
        svc.save_answers(
            actor=request.user, application=application, answers=data["answers"], section=section, strict=True
        )
        return self._show(application)

    @action(detail=True, methods=["post"])
    def submit(self, request, reference=None):
        application = self.get_object()
        data = self._input(request)
        svc.submit(actor=request.user, application=application, declaration=data["declaration"])
        return self._show(application)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, reference=None):
        application = self.get_object()
        data = self._input(request)
        svc.withdraw(actor=request.user, application=application, reason=data.get("reason", "").strip())
        return self._show(application)

    @action(detail=True, methods=["post"], url_path="accept_offer", url_name="accept_offer")
    def accept_offer(self, request, reference=None):
        """Accept the place offered, and its conditions: the onboarding begins."""
        application = self.get_object()
        decisions.accept_offer(actor=request.user, application=application)
        return self._show(application)

    @action(detail=True, methods=["post"])
    def respond(self, request, reference=None):
        application = self.get_object()
        data = self._input(request)
        info_request = svc.open_info_request(application)
        if info_request is not None:
            unknown = _unknown_questions(
                data["answers"], set(info_request.fields), _("The officer did not reopen this question.")
            )
            if unknown:
                raise serializers.ValidationError(unknown)
        svc.respond(
            actor=request.user,
            application=application,
            message=data["message"],
            answers=data["answers"],
            documents=data["documents"],
        )
        return self._show(application)


# --- Decisions and the ranking: officers of the call's unit ---------------------------------------


class IsUnitOfficer(BasePermission):
    """A program officer with a unit; what lies in another unit is then 404 (the selectors)."""

    def has_permission(self, request, view):
        return selectors.is_unit_officer(request.user)


def _note(**kwargs):
    return serializers.CharField(
        max_length=MESSAGE_MAX,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_multiline_text],
        **kwargs,
    )


class DecideSerializer(serializers.Serializer):
    """An officer's decision: approve (with the space allocated), waitlist (at a place: the next
    free one by default) or reject (with reasons for the applicant)."""

    outcome = serializers.ChoiceField(choices=Outcome.choices)
    #: The state the officer saw: if someone moved the application since, 409 names who and when.
    expected_status = serializers.ChoiceField(choices=Status.choices, required=False, default=None)
    conditions = _note()
    reasons = _note()
    internal_note = _note()
    space_kind = serializers.ChoiceField(choices=SpaceKind.choices, required=False, allow_blank=True, default="")
    area_m2 = serializers.DecimalField(
        max_digits=7,
        decimal_places=1,
        min_value=Decimal("1"),
        max_value=Decimal("10000"),
        required=False,
        allow_null=True,
        default=None,
    )
    move_in_on = serializers.DateField(required=False, allow_null=True, default=None)
    term_months = serializers.IntegerField(min_value=1, max_value=120, required=False, allow_null=True, default=None)
    waitlist_position = serializers.IntegerField(
        min_value=1, max_value=decisions.WAITLIST_MAX, required=False, allow_null=True, default=None
    )


class DecidedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    decision = DecisionSerializer()


class OfficerApplicationViewSet(viewsets.GenericViewSet):
    """The unit's applications, for its officers: ``POST …/{reference}/decide/``. Another unit's
    application is 404; anyone but a program officer is refused (403)."""

    permission_classes = [ScopePermission, IsAuthenticated, IsUnitOfficer]
    serializer_class = DecideSerializer
    lookup_field = "reference"
    lookup_value_regex = REFERENCE_REGEX

    def get_queryset(self):
        return selectors.unit_applications(self.request.user).select_related("call", "enterprise")

    @extend_schema(
        summary="Decide an application (officers of its unit)",
        description="Approve (with the space allocated), waitlist (at a place: the next free one by default) or "
        "reject (with reasons for the applicant). `expected_status` is the state you saw: if someone moved the "
        "application since, the answer is 409, naming who and when. Another unit's application is 404; anyone but "
        "a program officer is refused (403).",
        request=DecideSerializer,
        responses={201: DecidedSerializer},
        examples=docs.DECIDE,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, reference=None):
        application = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = decisions.decide(actor=request.user, application=application, **serializer.validated_data)
        data = {"reference": application.reference, "status": decision.application.status, "decision": decision}
        return Response(DecidedSerializer(data).data, status=status.HTTP_201_CREATED)


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    reference = serializers.CharField(source="application.reference")
    status = serializers.CharField(source="application.status")
    raw = serializers.FloatField()
    normalised = serializers.FloatField()
    spread = serializers.FloatField()
    large_spread = serializers.BooleanField()
    reviews = serializers.IntegerField()
    within_capacity = serializers.BooleanField()
    raw_reviewers_count = serializers.SerializerMethodField()

    def get_raw_reviewers_count(self, row) -> int:
        return len(row.raw_reviewers)


class RankingPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response_schema(self, schema):
        """With the call's capacity and its reviewers scored raw, which the ranking view adds."""
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["capacity"] = {"type": "integer", "example": 20}
        paginated["properties"]["raw_reviewers"] = {
            "type": "integer",
            "example": 0,
            "description": "Reviewers in the call with too few reviews to normalise: their scores count raw.",
        }
        paginated["required"] = [*paginated.get("required", []), "capacity", "raw_reviewers"]
        return paginated


class OfficerCallViewSet(viewsets.GenericViewSet):
    """The unit's calls, for its officers: ``GET …/{slug}/ranking/``, the call's ranking best
    first (``programs.ranking``), a page at a time (``?page=``, ``?page_size=`` up to 500), with
    the call's capacity. Another unit's call is 404; anyone but a program officer is refused (403)."""

    permission_classes = [ScopePermission, IsAuthenticated, IsUnitOfficer]
    serializer_class = RankingRowSerializer
    pagination_class = RankingPagination
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX

    @extend_schema(
        summary="The call's ranking (officers of its unit)",
        description="The applications best first by their weighted scores, each reviewer's scores normalised, a page "
        "at a time (`page_size` up to 500), with the call's capacity. Another unit's call is 404; anyone but a "
        "program officer is refused (403).",
        responses=RankingRowSerializer(many=True),
        examples=docs.RANKING,
    )
    @action(detail=True, methods=["get"])
    def ranking(self, request, slug=None):
        call = selectors.unit_call(request.user, slug)
        ranked = selectors.call_ranking(call, applications=False)
        page = self.paginate_queryset(ranked.rows)
        selectors.attach_applications(page)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        response.data["capacity"] = call.capacity
        response.data["raw_reviewers"] = len(ranked.raw_reviewers)
        return response

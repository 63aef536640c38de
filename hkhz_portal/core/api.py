"""API plumbing shared by every app: errors as problem+json, and the signed-in user's own data.
(The JSON parser is in ``parsers``: DRF imports it while loading its views, so it cannot import them.)"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .converters import ID_REGEX
from .errors import DomainError
from .models import Notification
from .notifications import mark_read, notifications_for
from .problems import PROBLEM_JSON, problem


def _first_message(errors) -> str:
    """The first message in DRF's nested errors (lists of messages, dicts by field or by row)."""
    if isinstance(errors, dict):
        errors = list(errors.values())
    if isinstance(errors, list | tuple):
        return next((found for item in errors if (found := _first_message(item))), "")
    return str(errors)


def _error_summary(errors: dict) -> str:
    """One sentence naming each field at fault with its first message, for ``detail``."""
    parts = []
    for field, messages in errors.items():
        message = _first_message(messages)
        parts.append(message if field in ("non_field_errors", "__all__") else f"{field}: {message}")
    return " ".join(parts)


def exception_handler(exc, context):
    """Turn business-rule and validation failures into 4xx problem+json, never a 500.

    Body (``problem``): ``type`` (a stable code), ``title``, ``status``, ``detail``, and
    ``errors`` keyed by field where the failure belongs to one (a domain error carrying
    ``errors`` by field gives them).
    """
    if isinstance(exc, DomainError):
        errors = getattr(exc, "errors", None) or ({exc.field: [str(exc.message)]} if exc.field else None)
        body = problem(exc.code, exc.message, exc.status, errors=errors)
        return Response(body, status=exc.status, content_type=PROBLEM_JSON)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        body = problem("invalid", _("Invalid input."), 400, detail=_error_summary(errors), errors=errors)
        return Response(body, status=400, content_type=PROBLEM_JSON)
    if isinstance(exc, RequestDataTooBig):
        body = problem("too_large", _("The request body is larger than the API accepts."), 413)
        return Response(body, status=413, content_type=PROBLEM_JSON)
    if isinstance(exc, SuspiciousOperation):  # too many fields or files, a malformed body
        body = problem("bad_request", _("The request could not be accepted."), 400)
        return Response(body, status=400, content_type=PROBLEM_JSON)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        body = problem(getattr(detail["detail"], "code", "error"), detail["detail"], response.status_code)
    else:
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        summary = _error_summary(errors)
        body = problem("invalid", _("Invalid input."), response.status_code, detail=summary, errors=errors)
    response.data = body
    response.content_type = PROBLEM_JSON
    return response


API = "https://portal.example.org/api/v1"


@extend_schema(
    summary="Links to the resources",
    tags=["discovery"],
    responses={200: {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}},
    examples=[
        OpenApiExample(
            "Links",
            value={name: f"{API}/{name}/" for name in ("calls", "docs", "me", "notifications", "redoc", "schema")},
            response_only=True,
        )
    ],
)
class APIRootView(APIView):
    """The API's entry point: a link to each resource that needs no argument (``me``, the
    notifications, the enterprises…), open to anyone so that a client can find its way before
    signing in. Found in the URL configuration, under this view's own prefix: each app adds
    its routes there, and the project imports no app."""

    permission_classes = [AllowAny]

    def get(self, request):
        prefix = request.resolver_match.route
        links = {}
        for include in get_resolver().url_patterns:
            if not (isinstance(include, URLResolver) and str(include.pattern) == prefix):
                continue
            for route in include.url_patterns:
                # A route with a group needs an argument (an id, a reference): reached from its list.
                if isinstance(route, URLPattern) and route.name and route.pattern.regex.groups == 0:
                    url = reverse(route.name, request=request)
                    if name := url.removeprefix(request.build_absolute_uri()).strip("/"):
                        links[name] = url
        return Response(dict(sorted(links.items())))


class SchemaView(SpectacularAPIView):
    """drf-spectacular's schema view, documented with an example of its own."""

    @extend_schema(
        summary="This OpenAPI schema",
        description="The schema of this API (OpenAPI 3.1), in YAML unless JSON is asked for.",
        responses={200: OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter("format", str, enum=["json", "yaml"], description="YAML unless `json`."),
            OpenApiParameter("lang", str, enum=[code for code, _name in settings.LANGUAGES]),
        ],
        examples=[
            OpenApiExample(
                "The schema",
                value={"openapi": "3.1.0", "info": {"title": "HKHZ Portal API", "version": "1.0.0"}, "paths": {}},
                response_only=True,
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    preferred_language = serializers.CharField()
    roles = serializers.SerializerMethodField()
    unit = serializers.CharField(source="unit.code", allow_null=True, read_only=True)

    def get_roles(self, user) -> list[str]:
        return sorted(user.roles)


@extend_schema(
    summary="The signed-in user",
    responses=MeSerializer,
    examples=[
        OpenApiExample(
            "An applicant",
            value={
                "email": "chen.wei@helix.example.cn",
                "full_name": "Chen Wei",
                "preferred_language": "zh-hans",
                "roles": ["applicant"],
                "unit": None,
            },
            response_only=True,
        )
    ],
)
class MeView(APIView):
    """The signed-in user: name, language, roles and unit."""

    def get(self, request):
        return Response(MeSerializer(request.user).data)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "read_at", "created_at"]


_NOTIFICATION = {
    "id": 31,
    "title": "Your application HKSP-2026-00042 was approved",
    "body": "Open it to accept the place offered.",
    "url": "/applications/HKSP-2026-00042/",
    "read_at": None,
    "created_at": "2026-06-20T15:00:00+08:00",
}


@extend_schema_view(
    list=extend_schema(
        summary="List your notifications", examples=[OpenApiExample("Notifications", value=_NOTIFICATION)]
    ),
    retrieve=extend_schema(summary="Read a notification", examples=[OpenApiExample("Unread", value=_NOTIFICATION)]),
    read=extend_schema(
        summary="Mark a notification read",
        request=None,
        examples=[OpenApiExample("Read", value={**_NOTIFICATION, "read_at": "2026-06-20T15:02:00+08:00"})],
    ),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own notifications; anyone else's are not found (404)."""

    serializer_class = NotificationSerializer
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return notifications_for(self.request.user)

    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        mark_read(request.user, notification.pk)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data, status=status.HTTP_200_OK)

"""API plumbing shared by every app: errors as problem+json, and the signed-in user's own data.
(The JSON parser is in ``parsers``: DRF imports it while loading its views, so it cannot import them.)"""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.translation import gettext as _
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

PROBLEM_JSON = "application/problem+json"
#: Where the API lives: the middleware that serve only the API look at paths under it.
API_PREFIX = "/api/"


def problem_response(status: int, code: str, title: str) -> JsonResponse:
    """A problem+json answer given before any view runs (by a middleware), shaped like the
    exception handler's."""
    return JsonResponse({"type": code, "title": str(title), "status": status}, status=status, content_type=PROBLEM_JSON)


def exception_handler(exc, context):
    """Turn business-rule and validation failures into 4xx problem+json, never a 500.

    Body: ``type`` (a stable code), ``title``, ``status``, and ``errors`` keyed by field
    where the failure belongs to one (a domain error carrying ``errors`` by field gives them).
    """
    if isinstance(exc, DomainError):
        body = {"type": exc.code, "title": str(exc.message), "status": exc.status}
        if getattr(exc, "errors", None):
            body["errors"] = exc.errors
        elif exc.field:
            body["errors"] = {exc.field: [str(exc.message)]}
        return Response(body, status=exc.status, content_type=PROBLEM_JSON)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        body = {"type": "invalid", "title": _("Invalid input."), "status": 400, "errors": errors}
        return Response(body, status=400, content_type=PROBLEM_JSON)
    if isinstance(exc, RequestDataTooBig):
        body = {"type": "too_large", "title": _("The request body is larger than the API accepts."), "status": 413}
        return Response(body, status=413, content_type=PROBLEM_JSON)
    if isinstance(exc, SuspiciousOperation):  # too many fields or files, a malformed body
        body = {"type": "bad_request", "title": _("The request could not be accepted."), "status": 400}
        return Response(body, status=400, content_type=PROBLEM_JSON)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        body = {"type": getattr(detail["detail"], "code", "error"), "title": str(detail["detail"])}
    else:
        body = {"type": "invalid", "title": _("Invalid input."), "errors": detail}
    body["status"] = response.status_code
    response.data = body
    response.content_type = PROBLEM_JSON
    return response


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


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    preferred_language = serializers.CharField()
    roles = serializers.SerializerMethodField()
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    def get_roles(self, user):
        return sorted(user.roles)


class MeView(APIView):
    """The signed-in user: name, language, roles and unit."""

    def get(self, request):
        return Response(MeSerializer(request.user).data)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "read_at", "created_at"]


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

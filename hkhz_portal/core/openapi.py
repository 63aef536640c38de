"""The OpenAPI schema's shared parts: the problem+json error component and the error responses
every operation gets from what its view does, the two ways to authenticate, and the
``Idempotency-Key`` header. The webhook catalogue is built where the event types are declared
(``hkhz_portal.webhooks.api_schema``), which imports this module, not the other way round.

Each view annotates only what is its own (its examples, the problems only it raises); the rest
is derived here from the view itself, so a new endpoint is documented correctly by default:

- 401 wherever a request can carry credentials (a bad key is refused even on open endpoints),
- 403 wherever a permission other than ``AllowAny`` applies (a key's scope, a role, CSRF),
- 404 on a route with a path parameter and on a paginated list (a page past the end),
- 400 everywhere (invalid input; and any request whose path, query or form holds a NUL
  character is refused before it reaches a view), 409 and 422 on every write (a business rule,
  an ``Idempotency-Key`` still in flight or reused with another body), 429 wherever throttled.
"""

from django.conf import settings
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_media_type_object
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import permissions, serializers

from hkhz_portal.accounts.api_keys import KEY_PREFIX, Scope, ScopePermission, required_scope

from .problems import PROBLEM_JSON

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem details, ``application/problem+json``)."""

    type = serializers.CharField(help_text="A stable code for the kind of problem, e.g. `invalid`, `not_found`.")
    title = serializers.CharField(help_text="A short, human-readable summary, in the request's language.")
    status = serializers.IntegerField(min_value=400, max_value=599, help_text="The HTTP status code.")
    detail = serializers.CharField(
        help_text="What went wrong this time; for invalid input, each field and its message."
    )
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=(
            "Messages by field (`non_field_errors` for the request as a whole): a list of messages, "
            "or for a nested field an object of the same shape."
        ),
    )


def problem_example(type_, title, status, detail=None, errors=None, *, name=None, summary=None):
    """An example problem+json body for ``status``, for a view's own annotations."""
    value = {"type": type_, "title": title, "status": status, "detail": detail or title}
    if errors:
        value["errors"] = errors
    return OpenApiExample(
        name or type_,
        summary=summary or title,
        value=value,
        status_codes=[str(status)],
        media_type=PROBLEM_JSON,
        response_only=True,
    )


def scope_refused(scope: str) -> OpenApiExample:
    """The 403 example of an operation a key needs ``scope`` for."""
    return problem_example("permission_denied", f"This API key lacks the scope {scope}.", 403, name="missing_scope")


#: What each status means here, and the example an operation shows unless it gives its own.
PROBLEMS = {
    400: (
        "The input was refused: see `errors` by field. Any request holding a NUL character is refused too.",
        problem_example(
            "invalid",
            "Invalid input.",
            400,
            "name: This field may not be blank.",
            {"name": ["This field may not be blank."]},
        ),
    ),
    401: (
        "No credentials, or a key that is unknown, expired or revoked.",
        problem_example("not_authenticated", "Authentication credentials were not provided.", 401),
    ),
    403: (
        "The key lacks the scope (named in `title`), keys cannot use this endpoint, "
        "the user's role does not allow it, or a session's CSRF token is missing.",
        problem_example("permission_denied", "This API key lacks the scope calls:read.", 403),
    ),
    404: (
        "Not found: another organisation's or enterprise's object is not found either.",
        problem_example("not_found", "No Enterprise matches the given query.", 404),
    ),
    409: (
        "The object's state does not allow this now (a business rule), "
        "or a request with the same `Idempotency-Key` is still being processed.",
        problem_example("conflict", "This application can no longer be changed.", 409),
    ),
    422: (
        "The `Idempotency-Key` was already used with a different request body.",
        problem_example("idempotency_key_reused", "This Idempotency-Key was used with a different request.", 422),
    ),
    429: (
        "Too many requests: wait for the seconds in `Retry-After`.",
        problem_example("throttled", "Request was throttled. Expected available in 12 seconds.", 429),
    ),
}

PROBLEM_HEADERS = {
    401: {
        "WWW-Authenticate": {
            "description": 'The scheme to use: `Bearer realm="api"`.',
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before the next request.",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    OpenApiParameter.HEADER,
    description=(
        "A unique value per operation (a UUID): retrying with the same key within 24 hours replays "
        "the first response instead of doing the work twice. The same key with a different body "
        "is 422; while the first request is still running, 409."
    ),
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, plus the error responses and headers that the module's docstring lists."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method in WRITE_METHODS:
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in sorted(self._problem_statuses()):
            responses.setdefault(str(status), self._problem_response(status))
        return responses

    def _problem_statuses(self) -> set[int]:
        view = self.view
        statuses = {400}
        statuses |= {int(code) for e in self.get_examples() if e.media_type == PROBLEM_JSON for code in e.status_codes}
        if view.get_authenticators():
            statuses.add(401)
        if any(not isinstance(p, permissions.AllowAny) for p in view.get_permissions()):
            statuses.add(403)
        if view.get_throttles():
            statuses.add(429)
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            statuses.add(404)
        if self.method in WRITE_METHODS:
            statuses |= {409, 422}
        return statuses

    def _problem_response(self, status: int) -> dict:
        description, default_example = PROBLEMS[status]
        component = self.resolve_serializer(ProblemSerializer, "response")
        examples = self._get_examples(ProblemSerializer(), "response", PROBLEM_JSON, str(status))
        if not examples:
            examples = {default_example.name: {"summary": default_example.summary, "value": default_example.value}}
        response = {
            "description": description,
            "content": {PROBLEM_JSON: build_media_type_object(component.ref, examples)},
        }
        if status in PROBLEM_HEADERS:
            response["headers"] = PROBLEM_HEADERS[status]
        return response


class APIKeyScheme(OpenApiAuthenticationExtension):
    """A partner's key, listed only on the operations keys can reach: those without the scope
    check (the schema, the root) and those whose ``ScopePermission`` names a scope for the action,
    with that scope (OpenAPI 3.1 lets a non-OAuth requirement list roles)."""

    target_class = "hkhz_portal.accounts.api_keys.APIKeyAuthentication"
    name = "partnerKey"

    def get_security_requirement(self, auto_schema):
        if not any(isinstance(p, ScopePermission) for p in auto_schema.view.get_permissions()):
            return {self.name: []}
        scope = required_scope(auto_schema.view)
        if scope is None:
            return None
        if auto_schema.method not in permissions.SAFE_METHODS and scope != Scope.WEBHOOKS_MANAGE:
            return None
        return {self.name: [str(scope)]}

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": f"{KEY_PREFIX}…",
            "description": (
                f"A partner organisation's API key, `{KEY_PREFIX}` and 43 more characters, sent as "
                "`Authorization: Bearer <key>`. Partner users create keys on the API access page; "
                "each key holds scopes, and an operation lists the scope it needs."
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "hkhz_portal.core.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": (
                "The portal's own sign-in, for its users' browsers. Writes also need the CSRF token: "
                f"the `{settings.CSRF_COOKIE_NAME}` cookie's value in the `X-CSRFToken` header."
            ),
        }

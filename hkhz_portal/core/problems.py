"""The API's one error format, problem+json (RFC 9457): built here, without DRF, so that
middleware answering before any view uses it too."""

from django.http import JsonResponse

PROBLEM_JSON = "application/problem+json"
#: Where the API lives: the middleware that serve only the API look at paths under it.
API_PREFIX = "/api/"


def problem(type_: str, title, status: int, *, detail=None, errors=None) -> dict:
    """A problem+json body (RFC 9457): ``type`` a stable code, ``title`` and ``detail`` for people
    (``detail`` says what went wrong this time: the field errors' first messages), ``status``, and
    ``errors`` by field where the failure belongs to fields."""
    body = {"type": type_, "title": str(title), "status": status, "detail": str(detail or title)}
    if errors:
        body["errors"] = errors
    return body


def problem_response(status: int, code: str, title, **fields) -> JsonResponse:
    """A problem+json answer given before any view runs (by a middleware)."""
    return JsonResponse(problem(code, title, status, **fields), status=status, content_type=PROBLEM_JSON)

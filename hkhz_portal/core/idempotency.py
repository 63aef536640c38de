"""``Idempotency-Key`` on the API's writes: a POST, PUT, PATCH or DELETE sent again with the same
key gets the first one's answer instead of running twice.

Where it hooks in, and why there: a middleware on ``/api/`` paths, so that every DRF view, today's
and those still to come, gets it with no base class and no per-view setting (DRF has no global hook
around a view, and a view may override any class list it would hide in). A middleware does not yet
know the credential, though: DRF authenticates inside the view. So ``process_view`` asks the view's
own authentication classes, on a copy of the request, exactly as the view is about to: the key's
lookup, or the session with its CSRF check. A request they refuse creates no record and goes on to
the view, which refuses it with its own answer. An anonymous request has no credential to scope a
key to: its header is ignored and the view answers it (401 for every write today).

Per credential (the API key, else the signed-in user) and key:

- the first request inserts a row "in flight"; among parallel requests the unique constraint picks
  the one that runs. Its answer (status, body, the headers that describe the body) is stored, except
  a 5xx or a 429: then the row is deleted, and a retry runs afresh;
- a request finding the row gets 422 if its fingerprint (SHA-256 of method, full path and body)
  differs, 409 while the first still runs, else the stored answer with ``Idempotent-Replayed: true``;
- a row is kept 24 hours (beat's ``sweep_idempotency_records``); one still in flight after
  ``ABANDONED_AFTER`` belongs to a process that died, and the next request takes its key over.

The body is read whole to fingerprint it, so a request with a key may not exceed
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413): no API write takes that much.
"""

import copy
import hashlib
import re
from datetime import timedelta
from enum import Enum

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.views import APIView

from hkhz_portal.accounts.api_keys import PartnerClient

from .models import IdempotencyRecord
from .problems import API_PREFIX, problem_response

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: 1 to 255 printable ASCII characters (a UUID is the usual choice).
KEY_FORMAT = re.compile(r"[\x20-\x7e]{1,255}")
#: How long a key's answer is replayed.
RETENTION = timedelta(hours=24)
#: A request still running after this long is taken to have died with its process.
ABANDONED_AFTER = timedelta(minutes=5)
#: The headers of the first answer that a replay repeats: those that describe its body.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Location", "Allow")


class Found(Enum):
    CLAIMED = "claimed"
    IN_FLIGHT = "in_flight"
    MISMATCH = "mismatch"
    DONE = "done"


def credential_of(request, view_func) -> str | None:
    """``key:<id>`` or ``user:<id>`` as the view's own authentication finds the request; ``None``
    when it finds no one or refuses the request (the view then refuses it too)."""
    view_class = getattr(view_func, "cls", None)
    if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
        return None
    view = view_class(**getattr(view_func, "initkwargs", {}))
    # A copy: authenticating sets ``user`` on the request it wraps, and a refusal would leave the
    # view an anonymous user instead of the reason (a failed CSRF check, say).
    probe = Request(
        copy.copy(request),
        parsers=view.get_parsers(),
        authenticators=view.get_authenticators(),
        negotiator=view.get_content_negotiator(),
    )
    try:
        user = probe.user
    except APIException:
        return None
    if isinstance(user, PartnerClient):
        return f"key:{user.key.pk}"
    if user.is_authenticated:
        return f"user:{user.pk}"
    return None


def fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), request.body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def claim(credential: str, key: str, print_: str) -> tuple[Found, IdempotencyRecord | None]:
    """Insert the key's row in flight, or say what holds it. A row past its retention, or
    abandoned in flight, is deleted and the insert tried again; the unique constraint keeps it to
    one winner however many requests try at once."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Found.CLAIMED, IdempotencyRecord.objects.create(
                    credential=credential, key=key, fingerprint=print_
                )
        except IntegrityError:
            pass
        record = IdempotencyRecord.objects.filter(credential=credential, key=key).first()
        if record is None:  # the first request failed and let its key go meanwhile
            continue
        age = timezone.now() - record.created_at
        if age > RETENTION or (record.status is None and age > ABANDONED_AFTER):
            IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).delete()
            continue
        if record.fingerprint != print_:
            return Found.MISMATCH, record
        return (Found.IN_FLIGHT if record.status is None else Found.DONE), record
    return Found.IN_FLIGHT, None


def store(record: IdempotencyRecord, response) -> None:
    """Keep the answer to replay; let the key go after a server error or a throttle refusal, which
    the same request, sent again, may well not meet."""
    if response.status_code >= 500 or response.status_code == 429 or response.streaming:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status=response.status_code, headers=headers, body=response.content
    )


def replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status)
    if "Content-Type" not in record.headers:  # an empty answer (a 204) had none
        del response["Content-Type"]
    for name, value in record.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def sweep() -> int:
    """Forget the keys past their retention; how many were forgotten."""
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - RETENTION).delete()
    return deleted


class IdempotencyMiddleware:
    """See the module's docstring. Sits after the session and authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        record = getattr(request, "idempotency_record", None)
        if record is not None:
            store(record, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITE_METHODS or not request.path.startswith(API_PREFIX):
            return None
        try:
            request.body  # noqa: B018 - read now, so that it can be fingerprinted and parsed again later
        except RequestDataTooBig:
            return problem_response(413, "too_large", _("The request body is larger than the API accepts."))
        credential = credential_of(request, view_func)
        if credential is None:
            return None
        if not KEY_FORMAT.fullmatch(key):
            return problem_response(
                400,
                "invalid_idempotency_key",
                _("An Idempotency-Key is 1 to 255 printable ASCII characters, such as a UUID."),
            )
        found, record = claim(credential, key, fingerprint(request))
        if found is Found.CLAIMED:
            request.idempotency_record = record
            return None
        if found is Found.MISMATCH:
            return problem_response(
                422,
                "idempotency_key_reused",
                _("This Idempotency-Key was used for a different request: use a new key for a new request."),
            )
        if found is Found.IN_FLIGHT:
            response = problem_response(
                409, "idempotency_in_flight", _("A request with this Idempotency-Key is still running: retry shortly.")
            )
            response["Retry-After"] = "1"
            return response
        return replay(record)

"""Every change to a service request, one function per use case.

Each runs in its own transaction on the request's row locked with ``select_for_update``,
checks the transition against ``workflow.TRANSITIONS`` (from which state, by which side), and
writes together the new state, a ``RequestStateChange`` (the append-only log the SLA clock is
recomputed from), the clocks' figures, the audit event and the domain event. Two staff acting
at once are serialised by the lock: the second is told the request changed meanwhile.
"""

import datetime
import uuid
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.choices import DocumentType
from enterprises.models import DocumentVersion
from enterprises.selectors import is_member
from enterprises.services.consent import require_consent
from enterprises.uploads import validate_upload
from hkhz_portal.core import audit, events
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..models import (
    ClockLevel,
    RequestAttachment,
    RequestMessage,
    RequestStateChange,
    RequestStep,
    Service,
    ServiceRating,
    ServiceRequest,
    SLAPolicy,
)
from . import sla
from .events import ThreadEventKind, transition_kind
from .selectors import centre_staff, is_centre_lead, is_centre_member
from .workflow import FINAL_STATES, NEEDS_REASON, OPEN_STATES, TRANSITIONS, PauseReason, Side, State

#: How long a rating link stays valid after the completion e-mail.
RATING_LINK_MAX_AGE = datetime.timedelta(days=60)
RATING_SALT = "programs.centres.rating"
#: A second identical request within this time is a double click: the first is returned.
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=10)


def policy_of(policy: SLAPolicy) -> sla.Policy:
    """The SLA engine's view of a policy, as frozen on each request made under it."""
    hours: dict[int, list] = {day: [] for day in range(7)}
    for period in policy.periods.all():
        hours[period.weekday].append((period.starts, period.ends))
    return sla.Policy(
        calendar=policy.calendar,
        hours={day: tuple(periods) for day, periods in hours.items()},
        first_response=datetime.timedelta(hours=float(policy.first_response_hours)),
        resolution=datetime.timedelta(hours=float(policy.resolution_hours)),
        at_risk_ratio=Decimal(policy.at_risk_percent) / 100,
    )


def _forbidden(message=None) -> DomainError:
    return DomainError(message or _("Your role cannot take this step on this request."), code="forbidden", status=403)


def _may_act(side: Side, user, request: ServiceRequest) -> bool:
    if side == Side.SYSTEM:
        return user is None
    if user is None or not user.is_authenticated:
        return False
    if side == Side.CLIENT:
        return is_member(user, request.enterprise_id)
    return is_centre_member(user, request.unit_id)


def _require_open(request: ServiceRequest, message=None) -> None:
    """Refuse (409) to act on a closed request: nothing more happens to it."""
    if request.state in FINAL_STATES:
        raise DomainError(message or _("This request is closed."), code="request_closed", status=409)


def _lock(request: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("service", "enterprise")
        .get(pk=request.pk)
    )


def _changed_meanwhile(request: ServiceRequest) -> DomainError:
    return DomainError(
        _("This request was moved to “%(state)s” meanwhile. Reload the page to see it.")
        % {"state": request.get_state_display()},
        code="changed_meanwhile",
        status=409,
    )


def _guard(request: ServiceRequest, name: str, *, actor, expected_state=None):
    transition = TRANSITIONS[name]
    # Who may act comes first: an outsider learns nothing of the request, not even its state.
    if not _may_act(transition.by, actor, request):
        raise _forbidden()
    if expected_state is not None and request.state != expected_state:
        raise _changed_meanwhile(request)
    if not transition.allowed_from(request.state):
        raise DomainError(
            _("A request that is “%(state)s” cannot take the step “%(step)s”.")
            % {"state": request.get_state_display(), "step": transition.label},
            code="invalid_transition",
            status=409,
        )
    return transition


def clocks_of(request: ServiceRequest, changes, *, now=None) -> sla.Clocks:
    """Both clocks of ``request``, read from its state log ``changes`` (``RequestStateChange``
    rows, oldest first) on the policy frozen on it, as of ``now``."""
    log = [sla.Entry(at=change.created_at, state=change.to_state) for change in changes]
    policy = sla.Policy.from_json(request.sla)
    return sla.clocks(policy, log, first_response_at=request.first_response_at, now=now or timezone.now())


def recompute_clocks(request: ServiceRequest, *, now=None) -> sla.Clocks:
    """Recompute both clocks from the state log and store their figures on the request."""
    clocks = clocks_of(request, request.state_changes.only("created_at", "to_state"), now=now)
    for name, clock in (("response", clocks.response), ("resolution", clocks.resolution)):
        setattr(request, f"{name}_level", clock_level(clock))
        setattr(request, f"{name}_risk_at", clock.at_risk_at)
        setattr(request, f"{name}_due_at", clock.due_at)
    request.resolution_left = int(clocks.resolution.left.total_seconds())
    request.save(update_fields=ServiceRequest.CLOCK_FIELDS)
    return clocks


def clock_level(clock: sla.Clock) -> ClockLevel:
    """A clock's level: breached past its target, at risk past its share, else on time."""
    if clock.is_breached():
        return ClockLevel.BREACHED
    return ClockLevel.AT_RISK if clock.is_at_risk() else ClockLevel.OK


def _log(request, name, *, from_state, actor, note="", pause_reason="") -> RequestStateChange:
    change = RequestStateChange.objects.create(
        request=request,
        transition=name,
        from_state=from_state,
        to_state=request.state,
        actor=actor,
        note=note,
        pause_reason=pause_reason,
    )
    payload = {"reference": request.reference, "from": from_state, "to": request.state}
    audit.record(AuditAction.SERVICE_TRANSITION, actor=actor, target=request, changes={"step": name, **payload})
    events.emit(
        transition_kind(name),
        target=request,
        actor=actor,
        payload={**payload, "note": note, "pause_reason": pause_reason},
    )
    return change


def _move(request, name, *, actor, note="", pause_reason="", expected_state=None) -> RequestStateChange:
    """Take transition ``name`` on a locked request, recording it everywhere it belongs."""
    transition = _guard(request, name, actor=actor, expected_state=expected_state)
    if name in NEEDS_REASON and not note.strip():
        raise DomainError(_("Say why."), code="reason_required", field="note")
    if name == "wait_third_party" and pause_reason not in PauseReason.values:
        raise DomainError(_("Say whom the request waits on."), code="pause_reason_required", field="pause_reason")
    from_state = request.state
    now = timezone.now()
    request.state = transition.target
    request.state_changed_at = now
    fields = ["state", "state_changed_at"]
    if request.state in FINAL_STATES:
        request.closed_at = now
        fields.append("closed_at")
    if name == "accept" and request.first_response_at is None:
        request.first_response_at = now
        fields.append("first_response_at")
    if name == "complete":
        request.rating_nonce = uuid.uuid4()
        fields.append("rating_nonce")
    request.save(update_fields=fields)
    change = _log(request, name, from_state=from_state, actor=actor, note=note, pause_reason=pause_reason)
    recompute_clocks(request)
    return change


def _least_loaded(unit_id):
    """The centre's staff member with the fewest open requests (then the longest since last
    assigned, then the first by id), or ``None`` if the centre has no staff."""
    return (
        centre_staff(unit_id)
        .annotate(
            open_load=Count(
                "assigned_service_requests", filter=Q(assigned_service_requests__state__in=OPEN_STATES), distinct=True
            )
        )
        .order_by("open_load", "id")
        .first()
    )


def foreign_documents() -> DomainError:
    """The refusal of documents that are not the enterprise's own current ones."""
    return DomainError(
        _("Attach only your enterprise's own documents."), code="unknown_document", status=400, field="documents"
    )


def _documents(enterprise, versions) -> list[DocumentVersion]:
    """The versions given, if each is the current version of one of the enterprise's documents."""
    versions = list(versions)
    ids = {v.pk for v in versions}
    found = set(
        DocumentVersion.objects.filter(
            pk__in=ids, document__enterprise=enterprise, document__withdrawn_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if found != ids:
        raise foreign_documents()
    return versions


@transaction.atomic(durable=True)
def request_service(*, actor, service: Service, enterprise, details: str, documents=()) -> ServiceRequest:
    """A member of ``enterprise`` with a current consent requests ``service``.

    ``documents`` are versions of the enterprise's library documents (an upload goes to the
    library first, through its checks); every type the service needs must be among them. The
    policy in force is frozen on the request, the fulfilment steps copied, and the centre's
    least-loaded staff member assigned. The same request sent twice within minutes (a double
    click) gives the first."""
    if not is_member(actor, enterprise.pk):
        raise _forbidden(_("Only the enterprise's members can request services for it."))
    require_consent(actor)
    service = Service.objects.select_related("sla_policy").get(pk=service.pk)
    if not service.is_active:
        raise DomainError(_("This service is no longer offered."), code="service_withdrawn", status=409)
    details = details.strip()
    if not details:
        raise DomainError(_("Say what you need."), code="details_required", field="details")
    versions = _documents(enterprise, documents)
    missing = set(service.required_documents) - {v.document.doc_type for v in versions}
    if missing:
        raise DomainError(
            _("This service needs these documents: %(types)s.")
            % {"types": ", ".join(str(label) for value, label in DocumentType.choices if value in missing)},
            code="documents_missing",
            field="documents",
        )
    twin = ServiceRequest.objects.filter(
        service=service,
        enterprise=enterprise,
        requested_by=actor,
        details=details,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if twin is not None:
        return twin
    request = ServiceRequest(
        service=service,
        unit_id=service.unit_id,
        enterprise=enterprise,
        requested_by=actor,
        details=details,
        sla=policy_of(service.sla_policy).to_json(),
        assignee=_least_loaded(service.unit_id),
        # A placeholder that fits the column whatever the ids, until the row's id gives the reference.
        reference=f"NEW-{uuid.uuid4().hex[:16]}",
    )
    request.save()
    request.reference = f"SRV-{timezone.localtime(request.created_at):%Y}-{request.pk:05d}"
    request.save(update_fields=["reference"])
    request.documents.set(versions)
    RequestStep.objects.bulk_create(
        RequestStep(
            request=request,
            order=step.order,
            title_en=step.title_en,
            title_zh_hans=step.title_zh_hans,
            title_zh_hant=step.title_zh_hant,
            target_hours=step.target_hours,
        )
        for step in service.steps.all()
    )
    audit.record(AuditAction.SERVICE_REQUESTED, actor=actor, target=request, changes={"service": service.slug})
    _log(request, "request", from_state="", actor=actor)
    recompute_clocks(request)
    return request


@transaction.atomic(durable=True)
def take_step(*, actor, request: ServiceRequest, name: str, note="", pause_reason="", expected_state=None):
    """The centre's staff (or, for ``cancel``, the enterprise) take transition ``name``. Asking
    the enterprise for something is ``ask_client``, which needs the message."""
    if name not in TRANSITIONS:
        raise DomainError(_("There is no such step."), code="unknown_transition", field="name")
    if name in ("request", "ask_client", "client_answered"):
        raise DomainError(_("This step is taken otherwise."), code="invalid_transition", status=409)
    request = _lock(request)
    return _move(request, name, actor=actor, note=note, pause_reason=pause_reason, expected_state=expected_state)


def _store_uploads(message: RequestMessage, uploads) -> list[RequestAttachment]:
    """Check every upload (``ValidationError`` before anything is stored), then store them."""
    kinds = [validate_upload(upload) for upload in uploads]
    stored = []
    try:
        for upload, kind in zip(uploads, kinds, strict=True):
            attachment = RequestAttachment(
                message=message, original_name=upload.name[:255], content_type=kind.content_type, size=upload.size
            )
            attachment.file.save(f"upload{kind.extension}", upload, save=False)
            stored.append(attachment)
        RequestAttachment.objects.bulk_create(stored)
    except Exception:
        for attachment in stored:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return stored


def _post(request, *, actor, body, internal=False, uploads=(), library=(), step="") -> RequestMessage:
    """Write a message on a locked request: its attachments checked and stored, the first
    public word of the centre stamped as the first response, and the event sent. ``step`` names
    the transition the message takes right after (asking the enterprise, or its answer): that
    step's notice carries the message, so nobody is told of it twice."""
    from_centre = is_centre_member(actor, request.unit_id)
    if not from_centre and not is_member(actor, request.enterprise_id):
        raise _forbidden()
    if internal and not from_centre:
        raise _forbidden(_("Only the centre writes internal notes."))
    if library and from_centre:
        raise _forbidden(_("Only the enterprise attaches its library's documents."))
    _require_open(request, _("This request is closed: start a new one if you need more."))
    body = body.strip()
    if not body:
        raise DomainError(_("Write a message."), code="message_required", field="body")
    versions = _documents(request.enterprise, library)
    message = RequestMessage.objects.create(
        request=request, author=actor, from_centre=from_centre, internal=internal, body=body
    )
    RequestAttachment.objects.bulk_create(RequestAttachment(message=message, version=v) for v in versions)
    attachments = _store_uploads(message, list(uploads))
    audit.record(
        AuditAction.SERVICE_MESSAGE,
        actor=actor,
        target=request,
        changes={"message": message.pk, "internal": internal, "attachments": len(attachments) + len(versions)},
    )
    payload = {"reference": request.reference, "message": message.pk, "from_centre": from_centre, "step": step}
    kind = ThreadEventKind.INTERNAL_NOTE if internal else ThreadEventKind.MESSAGE
    events.emit(kind, target=request, actor=actor, payload=payload)
    if from_centre and not internal and request.first_response_at is None:
        request.first_response_at = message.created_at
        request.save(update_fields=["first_response_at"])
        recompute_clocks(request)
    return message


def _refuse_file(error: ValidationError) -> DomainError:
    return DomainError(" ".join(error.messages), code=error.code or "invalid_file", field="attachments")


@transaction.atomic(durable=True)
def post_message(
    *, actor, request: ServiceRequest, body: str, internal=False, uploads=(), library=(), expected_state=None
) -> RequestMessage:
    """A message in the thread: from the enterprise (with uploads or library documents) or from
    the centre (with uploads; ``internal`` for a staff-only note). The enterprise's message to a
    request waiting on it answers it: the request goes back to work and the clock runs again."""
    request = _lock(request)
    if expected_state is not None and request.state != expected_state:
        raise _changed_meanwhile(request)
    answers = request.state == State.WAITING_ON_CLIENT and not is_centre_member(actor, request.unit_id)
    step = "client_answered" if answers else ""
    try:
        message = _post(request, actor=actor, body=body, internal=internal, uploads=uploads, library=library, step=step)
    except ValidationError as error:
        raise _refuse_file(error) from error
    if answers:
        _move(request, step, actor=actor)
    return message


@transaction.atomic(durable=True)
def ask_client(*, actor, request: ServiceRequest, body: str, uploads=(), expected_state=None) -> RequestMessage:
    """The centre asks the enterprise for something: the public message, then the pause. A pause
    on the client is allowed only after such a message."""
    request = _lock(request)
    _guard(request, "ask_client", actor=actor, expected_state=expected_state)
    try:
        message = _post(request, actor=actor, body=body, uploads=uploads, step="ask_client")
    except ValidationError as error:
        raise _refuse_file(error) from error
    _move(request, "ask_client", actor=actor, note=message.body)
    return message


@transaction.atomic(durable=True)
def assign(*, actor, request: ServiceRequest, assignee) -> ServiceRequest:
    """A member of the centre takes the request (``assignee`` is themselves), or the centre's
    lead gives it to one of the centre's staff."""
    request = _lock(request)
    if not is_centre_member(actor, request.unit_id):
        raise _forbidden()
    if assignee != actor and not is_centre_lead(actor, request.unit_id):
        raise _forbidden(_("Only the centre's lead gives requests to others; you can take one yourself."))
    if not centre_staff(request.unit_id).filter(pk=assignee.pk).exists():
        raise DomainError(_("Choose a member of this centre's staff."), code="not_centre_staff", field="assignee")
    _require_open(request)
    previous = request.assignee_id
    if previous == assignee.pk:
        return request
    request.assignee = assignee
    request.save(update_fields=["assignee"])
    audit.record(
        AuditAction.SERVICE_ASSIGNED, actor=actor, target=request, changes={"from": previous, "to": assignee.pk}
    )
    events.emit(
        ThreadEventKind.ASSIGNED,
        target=request,
        actor=actor,
        payload={"reference": request.reference, "assignee": assignee.pk},
    )
    return request


@transaction.atomic(durable=True)
def set_step_done(*, actor, request: ServiceRequest, step_id: int, done: bool) -> RequestStep:
    """The centre ticks (or unticks) one of the request's fulfilment steps."""
    request = _lock(request)
    if not is_centre_member(actor, request.unit_id):
        raise _forbidden()
    _require_open(request)
    step = request.steps.filter(pk=step_id).first()
    if step is None:
        raise DomainError(_("This request has no such step."), code="unknown_step", status=404)
    step.done_at, step.done_by = (timezone.now(), actor) if done else (None, None)
    step.save(update_fields=["done_at", "done_by"])
    audit.record(AuditAction.SERVICE_STEP, actor=actor, target=request, changes={"step": step.pk, "done": done})
    return step


def rating_token(request: ServiceRequest) -> str:
    """The signed token of the completion e-mail's rating link: good for this request only,
    until it is rated (or completed again)."""
    return signing.dumps({"r": request.pk, "n": request.rating_nonce.hex}, salt=RATING_SALT, compress=True)


def _bad_link() -> DomainError:
    return DomainError(_("This rating link is not valid or has expired."), code="bad_link", status=404)


def request_for_rating(token: str) -> ServiceRequest:
    """The request a rating link is for; a forged, expired or spent link is refused."""
    try:
        data = signing.loads(token, salt=RATING_SALT, max_age=RATING_LINK_MAX_AGE)
    except signing.BadSignature as error:
        raise _bad_link() from error
    request = ServiceRequest.objects.select_related("service").filter(pk=data.get("r")).first()
    if request is None or request.rating_nonce.hex != data.get("n"):
        raise _bad_link()
    return request


def _score(score) -> int:
    """A rating's score: a whole number from 1 to 5, or its digits as a form sends them; anything
    else (a word, a fraction, nothing) is refused on ``score``, never a server error."""
    if isinstance(score, str) and score.strip().isdigit():
        score = int(score)
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError(_("Choose from 1 to 5 stars."), code="bad_score", field="score")
    return score


@transaction.atomic(durable=True)
def rate(*, request: ServiceRequest, score, comment: str = "", actor=None, token: str | None = None):
    """The enterprise rates a completed request once, ``score`` from 1 to 5: a member signed in,
    or anyone holding the request's link (``token``)."""
    request = _lock(request)
    if token is not None:
        if request_for_rating(token).pk != request.pk:
            raise _bad_link()
    elif actor is None or not is_member(actor, request.enterprise_id):
        raise _forbidden(_("Only the enterprise rates the service it received."))
    if request.state != State.COMPLETED:
        raise DomainError(_("Only a completed request can be rated."), code="not_completed", status=409)
    if ServiceRating.objects.filter(request=request).exists():
        raise DomainError(_("This request has already been rated. Thank you!"), code="already_rated", status=409)
    score = _score(score)
    # The request's row is locked: a second rating waits for this one and then finds it.
    rating = ServiceRating.objects.create(
        request=request,
        score=score,
        comment=(comment or "").strip(),
        rated_by=actor if actor is not None and actor.is_authenticated else None,
        by_link=token is not None,
    )
    request.rating_nonce = uuid.uuid4()
    request.save(update_fields=["rating_nonce"])
    audit.record(AuditAction.SERVICE_RATED, actor=actor, target=request, changes={"score": rating.score})
    events.emit(
        ThreadEventKind.RATED,
        target=request,
        actor=actor,
        payload={"reference": request.reference, "score": rating.score},
    )
    return rating

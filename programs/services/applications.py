"""Every change to an application, one function per use case.

Each entry point runs in its own transaction on the application's row locked with
``select_for_update``, checks the transition against ``workflow.TRANSITIONS`` (from which
state, by whom) and writes, together, the new state, a ``StatusChange``, the audit event and
the domain event. Two users acting at once are serialised by the lock: the second finds the
state changed and is told who changed it and when.
"""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Membership
from enterprises.services.consent import require_consent
from hkhz_portal.core import audit, events
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.queueing import enqueue_after_commit
from hkhz_portal.core.search import normalise_names

from ..answers import Checked, check_answers, form_schema
from ..audit_actions import AuditAction
from ..choices import OWED_ASSIGNMENTS, AssignmentStatus
from ..events import event_kind
from ..models import Application, Call, InfoRequest, ScreeningCheck, StatusChange
from ..selectors import is_unit_officer
from ..workflow import FINAL_STATES, PLACE_STATES, TRANSITIONS, Actor, Status


class IncompleteApplication(DomainError):
    """Submitting (or answering) with answers missing or invalid; ``errors`` by question key."""

    def __init__(self, errors: dict):
        super().__init__(
            _("Some answers are missing or need correcting: see the list below."), code="incomplete", errors=errors
        )


def is_member(user, application: Application) -> bool:
    return Membership.objects.filter(enterprise_id=application.enterprise_id, user=user).exists()


def is_officer_of(user, unit_id) -> bool:
    return is_unit_officer(user) and user.unit_id == unit_id


def require_officer_of(user, unit_id, message) -> None:
    """Refuse (403, saying ``message``) anyone but a program officer of the unit."""
    if not is_officer_of(user, unit_id):
        raise DomainError(message, code="forbidden", status=403)


def _may_act(actor_kind: Actor, user, application: Application) -> bool:
    if actor_kind == Actor.SYSTEM:
        return user is None
    if user is None or not user.is_authenticated:
        return False
    if actor_kind == Actor.APPLICANT:
        return is_member(user, application)
    return is_officer_of(user, application.unit_id)


def _last_change(application: Application) -> StatusChange | None:
    return application.status_changes.select_related("actor").order_by("-created_at", "-id").first()


def _changed_meanwhile(application: Application) -> DomainError:
    """The error for a user who acted on a state that another user has just changed."""
    change = _last_change(application)
    who = (change.actor.full_name or change.actor.email) if change and change.actor else _("the portal")
    when = formats.date_format(timezone.localtime(change.created_at), "DATETIME_FORMAT") if change else ""
    return DomainError(
        _("%(who)s already moved this application to “%(status)s” at %(when)s. Reload the page to see it.")
        % {"who": who, "status": application.get_status_display(), "when": when},
        code="changed_meanwhile",
        status=409,
    )


def _lock(application: Application) -> Application:
    # Only the application's row: locking the joined call would queue every action on the call.
    return (
        Application.objects.select_for_update(of=("self",)).select_related("call", "enterprise").get(pk=application.pk)
    )


def _move(
    application: Application, name: str, *, actor, note="", internal_note="", target=None, expected_status=None
) -> StatusChange:
    """Take transition ``name`` on a locked application, recording it everywhere it belongs."""
    transition = _guard(application, name, actor=actor, expected_status=expected_status)
    from_status = application.status
    application.status = target or transition.target
    application.status_changed_at = timezone.now()
    if application.status in FINAL_STATES:
        # Settled: no longer flagged for an officer, nothing more due from the applicant, and no
        # review owed on it (the reviewers' lists and loads no longer count it).
        application.flagged, application.info_due_at = False, None
        application.assignments.filter(status__in=OWED_ASSIGNMENTS).update(
            status=AssignmentStatus.CANCELLED, ended_at=timezone.now()
        )
    application.save(update_fields=["status", "status_changed_at", "flagged", "info_due_at"])
    return _record(application, name, from_status=from_status, actor=actor, note=note, internal_note=internal_note)


def _guard(application: Application, name: str, *, actor, expected_status=None):
    """The declared transition ``name``, if ``actor`` may take it now; else the error saying why."""
    transition = TRANSITIONS[name]
    if expected_status is not None and application.status != expected_status:
        raise _changed_meanwhile(application)
    if not _may_act(transition.by, actor, application):
        raise DomainError(_("Your role cannot take this step on this application."), code="forbidden", status=403)
    if not transition.allowed_from(application.status):
        if expected_status is None and application.status_changes.exists():
            raise _changed_meanwhile(application)
        raise DomainError(
            _("An application that is “%(status)s” cannot take the step “%(step)s”.")
            % {"status": application.get_status_display(), "step": transition.label},
            code="invalid_transition",
            status=409,
        )
    return transition


def _record(application, name, *, from_status, actor, note="", internal_note="") -> StatusChange:
    change = StatusChange.objects.create(
        application=application,
        transition=name,
        from_status=from_status,
        to_status=application.status,
        actor=actor,
        note=note,
        internal_note=internal_note,
    )
    payload = {"reference": application.reference, "from": from_status, "to": application.status}
    audit.record(AuditAction.TRANSITION, actor=actor, target=application, changes={"step": name, **payload})
    events.emit(event_kind(name), target=application, actor=actor, payload={**payload, "note": note})
    return change


@transaction.atomic(durable=True)
def start_application(*, actor, call: Call, enterprise) -> Application:
    """A member of ``enterprise`` with a current consent starts a draft to an open call.

    One live application per enterprise and call: starting again (two tabs, a double click)
    returns the draft that exists."""
    if not Membership.objects.filter(enterprise=enterprise, user=actor).exists():
        raise DomainError(_("Only the enterprise's members can apply for it."), code="forbidden", status=403)
    require_consent(actor)
    if not call.is_open():
        raise DomainError(_("This call is not open for applications."), code="call_not_open", status=409)
    existing = Application.objects.filter(enterprise=enterprise, call=call).exclude(status=Status.WITHDRAWN).first()
    if existing is not None:
        return existing
    application = Application(
        call=call,
        programme_id=call.programme_id,
        unit_id=call.programme.unit_id,
        enterprise=enterprise,
        created_by=actor,
        form_version_id=call.form_version_id,
        # A placeholder that fits the column whatever the ids, until the row's id gives the reference.
        reference=f"NEW-{uuid.uuid4().hex[:16]}",
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        return Application.objects.get(enterprise=enterprise, call=call, status__in=set(Status) - {Status.WITHDRAWN})
    application.reference = f"HKSP-{timezone.localtime(application.created_at):%Y}-{application.pk:05d}"
    application.save(update_fields=["reference"])
    _record(application, "start", from_status="", actor=actor)
    audit.record(AuditAction.STARTED, actor=actor, target=application, changes={"call": call.slug})
    return application


def library(application: Application) -> dict[int, str]:
    """The enterprise's current documents an answer may point to, as ``{id: type}``."""
    return dict(application.enterprise.documents.current().order_by().values_list("pk", "doc_type"))


def _check(application: Application, answers: dict, *, complete: bool) -> Checked:
    return check_answers(
        form_schema(application.form_version), answers, documents=library(application), complete=complete
    )


@transaction.atomic(durable=True)
def save_answers(
    *, actor, application: Application, answers: dict, section: str | None = None, strict: bool = False
) -> Checked:
    """Save a draft's answers (the autosave and the API's PATCH).

    With ``section``, the answers replace that section's (a question left out is cleared);
    without it, the answers given replace those of the same questions. Valid answers are kept,
    invalid ones reported; answers to questions the new answers hide are dropped. ``strict``
    (the API) refuses the whole change with ``IncompleteApplication`` if any answer is invalid."""
    application = _lock(application)
    if not is_member(actor, application):
        raise DomainError(_("Only the enterprise's members can change its application."), code="forbidden", status=403)
    if application.status != Status.DRAFT:
        raise not_a_draft(application)
    require_consent(actor)
    schema = form_schema(application.form_version)
    merged = dict(application.answers)
    if section is not None:
        spec = schema.section(section)
        if spec is None:
            raise DomainError(_("This form has no such section."), code="unknown_section", status=404)
        for question in spec.questions:
            merged.pop(question.key, None)
    merged.update({key: value for key, value in answers.items() if key in schema.questions})
    checked = _check(application, merged, complete=False)
    if strict and not checked.ok:
        raise IncompleteApplication(checked.errors)
    application.answers = checked.answers
    application.saved_at = timezone.now()
    application.save(update_fields=["answers", "saved_at"])
    return checked


def not_a_draft(application: Application) -> DomainError:
    """Why the answers of an application past its draft (submitted, withdrawn…) cannot change."""
    return DomainError(
        _("Only a draft's answers can change: this application is “%(status)s”.")
        % {"status": application.get_status_display()},
        code="not_draft",
        status=409,
    )


def submission_problems(application: Application) -> Checked:
    """What a submission of the draft as it stands would be refused for (the review page)."""
    return _check(application, application.answers, complete=True)


@transaction.atomic(durable=True)
def submit(*, actor, application: Application, declaration: bool) -> Application:
    """Send a complete draft. Idempotent: submitting an application already submitted (a
    double click, a second tab, ten parallel requests) returns it unchanged."""
    application = _lock(application)
    if application.submitted_at is not None and is_member(actor, application):
        return application
    if not declaration:
        raise DomainError(
            _("Confirm the declaration to submit the application."), code="declaration_required", field="declaration"
        )
    # From the wrong state (a withdrawn draft), refused as such rather than for its answers.
    _guard(application, "submit", actor=actor)
    if application.status == Status.DRAFT and not application.call.is_open():
        closes = formats.date_format(timezone.localtime(application.call.closes_at), "DATETIME_FORMAT")
        raise DomainError(
            _("This call closed at %(time)s (Hong Kong time): the draft can no longer be submitted.")
            % {"time": closes},
            code="call_closed",
            status=409,
        )
    require_consent(actor)
    checked = _check(application, application.answers, complete=True)
    if not checked.ok:
        raise IncompleteApplication(checked.errors)
    _copy_enterprise(application)
    application.answers = checked.answers
    application.submitted_at = timezone.now()
    application.save(update_fields=["answers", "submitted_at", *QUEUE_COLUMNS])
    _move(application, "submit", actor=actor)
    enqueue_screening(application)
    return application


#: The enterprise's columns copied onto the application when it is submitted.
QUEUE_COLUMNS = ["enterprise_name_en", "enterprise_name_zh", "search_text", "sector", "district", "uscc", "hk_br"]


def _copy_enterprise(application: Application) -> None:
    enterprise = application.enterprise
    application.enterprise_name_en = enterprise.legal_name_en
    application.enterprise_name_zh = enterprise.legal_name_zh
    application.sector = enterprise.sector
    application.district = enterprise.district
    application.uscc = enterprise.uscc or ""
    application.hk_br = enterprise.hk_br or ""
    application.search_text = normalise_names(
        application.reference,
        enterprise.legal_name_en,
        enterprise.legal_name_zh,
        enterprise.short_name,
        enterprise.uscc,
        enterprise.hk_br,
    )


def enqueue_screening(application: Application) -> None:
    """Screen the application once the caller's transaction commits."""
    Application.objects.filter(pk=application.pk).update(screening_enqueued_at=timezone.now())
    from ..tasks import screen_application

    enqueue_after_commit(screen_application, application.pk)


@transaction.atomic(durable=True)
def withdraw(*, actor, application: Application, reason: str = "", expected_status=None) -> Application:
    """The applicant withdraws; a place the application held goes to the first on the waiting list."""
    from .decisions import offer_freed_places

    application = _lock(application)
    held_place = application.status in PLACE_STATES
    _move(application, "withdraw", actor=actor, note=reason, expected_status=expected_status)
    if held_place:
        offer_freed_places(application.call)
    return application


@transaction.atomic(durable=True)
def begin_screening(application_id: int) -> bool:
    """Step one of the screening task: ``submitted`` → ``screening``. False if there is nothing to
    begin (already begun, or no longer submitted)."""
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None or application.status != Status.SUBMITTED:
        return application is not None and application.status == Status.SCREENING
    _move(application, "start_screening", actor=None)
    return True


@transaction.atomic(durable=True)
def finish_screening(application_id: int) -> bool:
    """Step two: run every check, store each outcome and move on, all at once. An application
    no longer in ``screening`` (a second delivery of the task) is left alone."""
    from ..eligibility import screening_checks

    # The application's row and its enterprise's, not the call's or the form's (every screening
    # of a call would wait in turn): screenings of one enterprise's applications take turns, so
    # their duplicate and open-application checks never race.
    application = (
        Application.objects.select_for_update(of=("self", "enterprise"))
        .select_related("call", "enterprise", "form_version")
        .filter(pk=application_id)
        .first()
    )
    if application is None or application.status != Status.SCREENING:
        return False
    outcomes = screening_checks(application)
    run = (application.screening_checks.aggregate(last=Max("run"))["last"] or 0) + 1
    ScreeningCheck.objects.bulk_create(
        ScreeningCheck(application=application, run=run, rule=o.rule, passed=o.passed, code=o.code, params=o.params)
        for o in outcomes
    )
    passed = all(o.passed for o in outcomes)
    application.flagged = not passed
    application.screening_enqueued_at = None
    application.save(update_fields=["flagged", "screening_enqueued_at"])
    _move(application, "pass_screening" if passed else "flag", actor=None)
    _after_entering_review(application)
    return True


def _after_entering_review(application: Application) -> None:
    """In review (screened, accepted by an officer, or back from a request for information): a
    worker fills the review places still empty, and moves the application on if all are in."""
    from .reviews import enqueue_assignment

    if application.status == Status.IN_REVIEW:
        enqueue_assignment(application)


@transaction.atomic(durable=True)
def override_flag(*, actor, application: Application, reason: str, expected_status=None) -> Application:
    """An officer accepts a flagged application, with the reason on record (not shown to the applicant)."""
    if not reason.strip():
        raise DomainError(_("Give the reason for overriding the screening."), code="reason_required", field="reason")
    application = _lock(application)
    _move(application, "override_flag", actor=actor, internal_note=reason.strip(), expected_status=expected_status)
    application.flagged = False
    application.save(update_fields=["flagged"])
    _after_entering_review(application)
    return application


@transaction.atomic(durable=True)
def reject_ineligible(*, actor, application: Application, reasons: str, expected_status=None) -> Application:
    if not reasons.strip():
        raise DomainError(
            _("Tell the applicant why the application is not eligible."), code="reason_required", field="reasons"
        )
    application = _lock(application)
    _move(application, "reject_ineligible", actor=actor, note=reasons.strip(), expected_status=expected_status)
    return application


@transaction.atomic(durable=True)
def request_info(
    *, actor, application: Application, message: str, fields: list[str], due_at: datetime.datetime, expected_status=None
) -> InfoRequest:
    """An officer asks for more information: a message, the questions reopened, a deadline."""
    application = _lock(application)
    if not message.strip():
        raise DomainError(_("Write what you need from the applicant."), code="message_required", field="message")
    unknown = set(fields) - set(form_schema(application.form_version).questions)
    if unknown:
        raise DomainError(_("Reopen only questions of this application's form."), code="unknown_field", field="fields")
    if due_at <= timezone.now():
        raise DomainError(_("Set a deadline in the future."), code="due_in_past", field="due_at")
    return_status = application.status
    _move(application, "request_info", actor=actor, note=message.strip(), expected_status=expected_status)
    application.return_status = return_status
    application.info_due_at = due_at
    application.save(update_fields=["return_status", "info_due_at"])
    return InfoRequest.objects.create(
        application=application, requested_by=actor, message=message.strip(), fields=list(fields), due_at=due_at
    )


def open_info_request(application: Application) -> InfoRequest | None:
    return application.info_requests.filter(responded_at__isnull=True).first()


@transaction.atomic(durable=True)
def respond(*, actor, application: Application, message: str, answers: dict, documents=()) -> Application:
    """The applicant answers a request for information: only the reopened questions change; the
    application returns to the state it was in when the officer asked."""
    application = _lock(application)
    _guard(application, "respond", actor=actor)
    request = open_info_request(application)
    require_consent(actor)
    if not message.strip():
        raise DomainError(_("Write your answer to the officer."), code="message_required", field="message")
    document_ids = {int(d) for d in documents}
    current = library(application)
    if not document_ids <= set(current):
        raise DomainError(
            _("Attach documents from the enterprise's library."), code="unknown_document", field="documents"
        )
    merged = dict(application.answers)
    merged.update({key: value for key, value in answers.items() if key in request.fields})
    checked = _check(application, merged, complete=True)
    reopened_errors = {k: v for k, v in checked.errors.items() if k.split(".")[0] in request.fields}
    if reopened_errors:
        raise IncompleteApplication(reopened_errors)
    application.answers = checked.answers
    application.info_due_at = None
    target = Status(application.return_status or Status.IN_REVIEW)
    application.return_status = ""
    application.save(update_fields=["answers", "info_due_at", "return_status"])
    _move(application, "respond", actor=actor, note=message.strip(), target=target)
    request.responded_at = timezone.now()
    request.response = message.strip()
    request.save(update_fields=["responded_at", "response"])
    request.documents.set(document_ids)
    _after_entering_review(application)
    return application

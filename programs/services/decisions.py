"""Deciding reviewed applications, and what follows: the offer, onboarding, admission, and the
waiting list's turn when a place is given up.

Each function locks the application's row and takes one transition of ``workflow.TRANSITIONS``
(``services.applications._move``), so two officers deciding at once end with one decision:
the second finds the state changed and is told who decided and when.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.choices import Kind
from enterprises.identifiers import normalize_hk_br
from enterprises.models import HongKongEntity
from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..choices import Outcome
from ..models import Application, Decision, Onboarding
from ..workflow import PLACE_STATES, Status
from .applications import _guard, _lock, _move, require_officer_of

#: The furthest place on a waiting list an officer may give.
WAITLIST_MAX = 100_000


def current_decision(application: Application) -> Decision | None:
    return application.decisions.select_related("decided_by").order_by("-decided_at", "-id").first()


def _required(value, field: str, message) -> None:
    if value in (None, ""):
        raise DomainError(message, code="required", field=field)


def next_waitlist_position(call) -> int:
    last = Decision.objects.filter(application__call=call, outcome=Outcome.WAITLIST).aggregate(
        n=Max("waitlist_position")
    )
    return (last["n"] or 0) + 1


@transaction.atomic(durable=True)
def decide(
    *,
    actor,
    application: Application,
    outcome: str,
    expected_status=None,
    conditions: str = "",
    reasons: str = "",
    internal_note: str = "",
    space_kind: str = "",
    area_m2: Decimal | None = None,
    move_in_on: datetime.date | None = None,
    term_months: int | None = None,
    waitlist_position: int | None = None,
) -> Decision:
    """Approve (with conditions and a space allocation), waitlist (at a place; the next one free
    by default) or reject (with reasons for the applicant) a reviewed application. Deciding
    closes its reviews."""
    if outcome not in Outcome.values:
        raise DomainError(_("Choose approve, waitlist or reject."), code="invalid_outcome", field="outcome")
    outcome = Outcome(outcome)
    application = _lock(application)
    # Who may decide, and whether it is still to decide, before what the decision lacks.
    _guard(application, outcome, actor=actor, expected_status=expected_status)
    if outcome == Outcome.APPROVE:
        _required(space_kind, "space_kind", _("Choose the kind of space allocated."))
        _required(area_m2, "area_m2", _("Give the area allocated, in square metres."))
        _required(move_in_on, "move_in_on", _("Give the move-in date."))
        _required(term_months, "term_months", _("Give the programme term, in months."))
        if move_in_on < timezone.localdate():
            raise DomainError(_("Choose a move-in date from today on."), code="move_in_past", field="move_in_on")
    elif outcome == Outcome.REJECT:
        _required(reasons.strip(), "reasons", _("Tell the applicant why the application is declined."))
    elif waitlist_position is None:
        waitlist_position = next_waitlist_position(application.call)
    note = reasons.strip() if outcome == Outcome.REJECT else conditions.strip()
    _move(
        application,
        outcome,
        actor=actor,
        note=note,
        internal_note=internal_note.strip(),
        expected_status=expected_status,
    )
    if application.reviews_closed_at is None:
        application.reviews_closed_at = timezone.now()
        application.save(update_fields=["reviews_closed_at"])
    decision = Decision(
        application=application,
        outcome=outcome,
        decided_by=actor,
        conditions=conditions.strip() if outcome == Outcome.APPROVE else "",
        reasons=reasons.strip() if outcome == Outcome.REJECT else "",
        internal_note=internal_note.strip(),
        space_kind=space_kind if outcome == Outcome.APPROVE else "",
        area_m2=area_m2 if outcome == Outcome.APPROVE else None,
        move_in_on=move_in_on if outcome == Outcome.APPROVE else None,
        term_months=term_months if outcome == Outcome.APPROVE else None,
        waitlist_position=waitlist_position if outcome == Outcome.WAITLIST else None,
    )
    decision.full_clean(exclude=["application"])
    decision.save()
    audit.record(AuditAction.DECIDED, actor=actor, target=application, changes={"outcome": outcome.value})
    return decision


@transaction.atomic(durable=True)
def accept_offer(*, actor, application: Application) -> Onboarding:
    """The applicant accepts the place and its conditions: the onboarding checklist opens."""
    application = _lock(application)
    _move(application, "accept_offer", actor=actor)
    onboarding, _created = Onboarding.objects.get_or_create(application=application)
    return onboarding


@transaction.atomic(durable=True)
def record_onboarding(
    *,
    actor,
    application: Application,
    tenancy_signed_on: datetime.date | None = None,
    company_name: str = "",
    hk_br: str = "",
    company_registered_on: datetime.date | None = None,
    moved_in_on: datetime.date | None = None,
) -> Onboarding:
    """An officer records the formalities done so far. The Hong Kong company is recorded on the
    enterprise: a mainland or overseas enterprise's new Hong Kong company with its BR number; a
    Hong Kong enterprise is its own, so its BR number on the profile is confirmed."""
    application = _lock(application)
    require_officer_of(actor, application.unit_id, _("Only an officer of the call's unit can record onboarding."))
    if application.status != Status.ONBOARDING:
        raise DomainError(
            _("Onboarding is recorded while the application is onboarding: it is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="not_onboarding",
            status=409,
        )
    onboarding = Onboarding.objects.select_for_update().get(application=application)
    today = timezone.localdate()
    given = dict(zip(Onboarding.STEPS, (tenancy_signed_on, company_registered_on, moved_in_on), strict=True))
    for name, day in given.items():
        if day is not None and day > today:
            raise DomainError(_("Record a date that has come."), code="date_in_future", field=name)
    if company_registered_on is None and (company_name.strip() or hk_br.strip()):
        raise DomainError(
            _("Give the date the Hong Kong company was registered."), code="required", field="company_registered_on"
        )
    if company_registered_on is not None:
        _record_company(application.enterprise, name=company_name, hk_br=hk_br, registered_on=company_registered_on)
    changes = {}
    for name, day in given.items():
        if day is not None and getattr(onboarding, name) != day:
            setattr(onboarding, name, day)
            changes[name] = day.isoformat()
    if changes:
        onboarding.save(update_fields=list(changes))
        audit.record(AuditAction.ONBOARDING_RECORDED, actor=actor, target=application, changes=changes)
    return onboarding


def _record_company(enterprise, *, name: str, hk_br: str, registered_on) -> None:
    hk_br = normalize_hk_br(hk_br)  # as printed on the certificate, 12345678-000-01-26-7, too
    if enterprise.kind == Kind.HONG_KONG:
        if hk_br and hk_br != enterprise.hk_br:
            raise DomainError(
                _("A Hong Kong enterprise is its own Hong Kong company: its BR number is %(br)s.")
                % {"br": enterprise.hk_br},
                code="br_mismatch",
                field="hk_br",
            )
        return
    _required(name.strip(), "company_name", _("Give the Hong Kong company's name."))
    _required(hk_br, "hk_br", _("Give the Hong Kong company's Business Registration number."))
    entity = HongKongEntity.objects.filter(enterprise=enterprise).first() or HongKongEntity(enterprise=enterprise)
    entity.name, entity.hk_br, entity.registered_on = name.strip(), hk_br, registered_on
    entity.full_clean()
    entity.save()


@transaction.atomic(durable=True)
def admit(*, actor, application: Application, expected_status=None) -> Application:
    """Every formality done: the enterprise is admitted and joins the call's cohort."""
    application = _lock(application)
    _guard(application, "admit", actor=actor, expected_status=expected_status)  # who and when before what
    onboarding = Onboarding.objects.filter(application=application).first()
    if not (onboarding and onboarding.complete):
        raise DomainError(
            _("Record the tenancy, the Hong Kong company and the move-in before admitting."),
            code="onboarding_incomplete",
            status=409,
        )
    _move(application, "admit", actor=actor, expected_status=expected_status)
    return application


@transaction.atomic(durable=True)
def fail_onboarding(*, actor, application: Application, reasons: str, expected_status=None) -> Application:
    """The formalities were not completed: the application is declined and its place offered on."""
    application = _lock(application)
    _guard(application, "fail_onboarding", actor=actor, expected_status=expected_status)
    if not reasons.strip():
        raise DomainError(_("Tell the applicant why the onboarding ends."), code="reason_required", field="reasons")
    _move(application, "fail_onboarding", actor=actor, note=reasons.strip(), expected_status=expected_status)
    offer_freed_places(application.call)
    return application


def offer_freed_places(call) -> list[Application]:
    """While the call holds fewer places than its capacity, offer one to the first on its waiting
    list, in the order of their places (the ranking's order when they were waitlisted), with the
    space the last approval allocated. Runs in the caller's transaction."""
    offered = []
    template = (
        Decision.objects.filter(application__call=call, outcome=Outcome.APPROVE).order_by("-decided_at", "-id").first()
    )
    if template is None:
        return offered  # nothing was ever allocated: the officer decides the waiting list
    while Application.objects.filter(call=call, status__in=PLACE_STATES).count() < call.capacity:
        waiting = (
            Decision.objects.filter(
                application__call=call, application__status=Status.WAITLISTED, outcome=Outcome.WAITLIST
            )
            .order_by("waitlist_position", "decided_at", "id")
            .values_list("application_id", flat=True)
            .first()
        )
        if waiting is None:
            break
        application = _lock(Application(pk=waiting))
        if application.status != Status.WAITLISTED:
            continue
        _move(application, "offer_place", actor=None)
        Decision.objects.create(
            application=application,
            outcome=Outcome.APPROVE,
            conditions=template.conditions,
            space_kind=template.space_kind,
            area_m2=template.area_m2,
            move_in_on=max(template.move_in_on, timezone.localdate() + datetime.timedelta(days=30)),
            term_months=template.term_months,
        )
        offered.append(application)
    return offered

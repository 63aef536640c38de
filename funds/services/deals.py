"""A deal's life: sourcing it, moving it through the stages, its lead and internal notes.

Each change runs in its own transaction on the deal's row locked with ``select_for_update``,
checks the transition against ``workflow.TRANSITIONS`` (from which stage, by whom) and its gate
(``gates.blocked``), and writes together the new stage, a ``DealStageChange`` (the timeline),
the audit event and the domain event. Two managers acting at once are serialised by the lock:
the second is told the deal changed meanwhile.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.selectors import is_member
from enterprises.services.consent import require_consent
from hkhz_portal.core import audit, events
from hkhz_portal.core.errors import DomainError
from programs.workflow import Status

from ..audit_actions import AuditAction
from ..events import FundEventKind, transition_kind
from ..gates import GATED, blocked, with_gates
from ..models import Deal, DealNote, DealStageChange, DiligenceItem, DiligenceTemplateItem, Fund
from ..selectors import is_fund_manager
from ..workflow import FINAL_STAGES, NEEDS_REASON, OPEN_STAGES, TRANSITIONS, Side, Source, Stage

#: Transitions another use case takes, with what it records: a closing's investment, a vote's close.
TAKEN_OTHERWISE = frozenset({"close", "committee_rejected"})


def forbidden(message=None) -> DomainError:
    return DomainError(message or _("Only the fund's managers can do this."), code="forbidden", status=403)


def lock(deal: Deal) -> Deal:
    return Deal.objects.select_for_update(of=("self",)).select_related("fund", "enterprise").get(pk=deal.pk)


def require_open(deal: Deal) -> None:
    if deal.stage in FINAL_STAGES:
        raise DomainError(
            _("This deal is “%(stage)s”: nothing more happens to it.") % {"stage": deal.get_stage_display()},
            code="deal_closed",
            status=409,
        )


def _may_act(side: Side, user, deal: Deal) -> bool:
    if side == Side.SYSTEM:
        return user is None
    return user is not None and is_fund_manager(user, deal.fund)


def check_step(deal: Deal, name: str, *, actor, expected_stage=None):
    """Refuse ``actor`` taking ``name`` on ``deal`` for its role or stage (not its gate): a use
    case that records what the gate waits for (a closing's investment) checks this first."""
    transition = TRANSITIONS[name]
    if not _may_act(transition.by, actor, deal):
        raise forbidden()
    if expected_stage is not None and deal.stage != expected_stage:
        raise DomainError(
            _("This deal was moved to “%(stage)s” meanwhile. Reload the page to see it.")
            % {"stage": deal.get_stage_display()},
            code="changed_meanwhile",
            status=409,
        )
    if not transition.allowed_from(deal.stage):
        raise DomainError(
            _("A deal at “%(stage)s” cannot take the step “%(step)s”.")
            % {"stage": deal.get_stage_display(), "step": transition.label},
            code="invalid_transition",
            status=409,
        )
    return transition


def _guard(deal: Deal, name: str, *, actor, expected_stage=None):
    transition = check_step(deal, name, actor=actor, expected_stage=expected_stage)
    reason = name in GATED and blocked(with_gates(Deal.objects.filter(pk=deal.pk)).get(), name)
    if reason:
        raise DomainError(reason, code="not_ready", status=409)
    return transition


def _log(deal: Deal, name: str, *, from_stage, actor, note="") -> DealStageChange:
    change = DealStageChange.objects.create(
        deal=deal, transition=name, from_stage=from_stage, to_stage=deal.stage, actor=actor, note=note
    )
    payload = {"reference": deal.reference, "from": from_stage, "to": deal.stage}
    audit.record(AuditAction.DEAL_TRANSITION, actor=actor, target=deal, changes={"step": name, **payload})
    events.emit(transition_kind(name), target=deal, actor=actor, payload=payload)
    return change


def move(deal: Deal, name: str, *, actor, note="", expected_stage=None) -> DealStageChange:
    """Take transition ``name`` on a locked deal, recording it everywhere it belongs."""
    transition = _guard(deal, name, actor=actor, expected_stage=expected_stage)
    note = note.strip()
    if name in NEEDS_REASON and not note:
        raise DomainError(_("Say why."), code="reason_required", field="note")
    from_stage = deal.stage
    deal.stage = transition.target
    deal.stage_changed_at = timezone.now()
    fields = ["stage", "stage_changed_at"]
    if deal.stage == Stage.DECLINED:
        deal.decline_reason = note
        fields.append("decline_reason")
    deal.save(update_fields=fields)
    if name == "start_diligence":
        _draw_checklist(deal)
    return _log(deal, name, from_stage=from_stage, actor=actor, note=note)


def _draw_checklist(deal: Deal) -> None:
    """The deal's checklist: a copy of every template item in use, unless it has one already
    (a deal back in due diligence keeps its work)."""
    if deal.checklist.exists():
        return
    DiligenceItem.objects.bulk_create(
        DiligenceItem(
            deal=deal,
            area=item.area,
            order=item.order,
            title_en=item.title_en,
            title_zh_hans=item.title_zh_hans,
            title_zh_hant=item.title_zh_hant,
        )
        for item in DiligenceTemplateItem.objects.filter(is_active=True)
    )


@transaction.atomic(durable=True)
def take_step(*, actor, deal: Deal, name: str, note="", expected_stage=None) -> DealStageChange:
    """A fund manager takes transition ``name`` (recording a closing is ``portfolio.record_closing``)."""
    if name not in TRANSITIONS:
        raise DomainError(_("There is no such step."), code="unknown_transition", field="name")
    if name in TAKEN_OTHERWISE:
        raise DomainError(_("This step is taken otherwise."), code="invalid_transition", status=409)
    return move(lock(deal), name, actor=actor, note=note, expected_stage=expected_stage)


def _one_open_deal() -> DomainError:
    return DomainError(_("This enterprise already has a deal in the fund's pipeline."), code="deal_exists", status=409)


def create_deal(*, fund: Fund, enterprise, source: Source, actor, summary: str, amount_sought=None, application=None):
    """A new deal at "sourced", with its reference; the caller checked who may source it."""
    summary = summary.strip()
    if not summary:
        raise DomainError(_("Say what the investment is for."), code="summary_required", field="summary")
    if Deal.objects.filter(fund=fund, enterprise=enterprise, stage__in=OPEN_STAGES).exists():
        raise _one_open_deal()
    deal = Deal(
        fund=fund,
        enterprise=enterprise,
        source=source,
        application=application,
        summary=summary,
        amount_sought=amount_sought,
        requested_by=actor if source == Source.REQUEST else None,
        lead=actor if source == Source.STAFF else None,
        # A placeholder that fits the column whatever the ids, until the row's id gives the reference.
        reference=f"NEW-{uuid.uuid4().hex[:16]}",
    )
    try:
        with transaction.atomic():
            deal.save()
    except IntegrityError:
        # Another request sourced the same enterprise meanwhile (deal_one_open_per_enterprise).
        raise _one_open_deal() from None
    deal.reference = f"DEAL-{timezone.localtime(deal.created_at):%Y}-{deal.pk:05d}"
    deal.save(update_fields=["reference"])
    DealStageChange.objects.create(deal=deal, transition="source", from_stage="", to_stage=deal.stage, actor=actor)
    audit.record(AuditAction.DEAL_SOURCED, actor=actor, target=deal, changes={"source": source})
    events.emit(
        FundEventKind.DEAL_SOURCED,
        target=deal,
        actor=actor,
        payload={"reference": deal.reference, "source": source, "enterprise": enterprise.reference},
    )
    return deal


@transaction.atomic(durable=True)
def source_deal(*, actor, fund: Fund, enterprise, summary: str, amount_sought=None, application=None) -> Deal:
    """A fund manager puts an enterprise in the pipeline: on its own initiative, or from an
    admission (``application``, which must be the enterprise's and admitted)."""
    if not is_fund_manager(actor, fund):
        raise forbidden()
    source = Source.STAFF
    if application is not None:
        if application.enterprise_id != enterprise.pk or application.status != Status.ADMITTED:
            raise DomainError(
                _("Choose an admitted application of this enterprise."), code="not_admitted", field="application"
            )
        source = Source.ADMISSION
    return create_deal(
        fund=fund,
        enterprise=enterprise,
        source=source,
        actor=actor,
        summary=summary,
        amount_sought=amount_sought,
        application=application,
    )


@transaction.atomic(durable=True)
def request_investment(*, actor, fund: Fund, enterprise, summary: str, amount_sought=None) -> Deal:
    """A member of ``enterprise`` asks ``fund`` to invest, through the portal: the fund's
    managers find the request at "sourced" in their pipeline. What the member writes crosses
    the border, so it needs their consent."""
    if not is_member(actor, enterprise.pk):
        raise DomainError(
            _("Only the enterprise's members can ask the fund to invest in it."), code="forbidden", status=403
        )
    require_consent(actor)
    if amount_sought is not None and amount_sought.amount <= 0:
        raise DomainError(_("Enter an amount above zero."), code="invalid_amount", field="amount_sought")
    return create_deal(
        fund=fund,
        enterprise=enterprise,
        source=Source.REQUEST,
        actor=actor,
        summary=summary,
        amount_sought=amount_sought,
    )


@transaction.atomic(durable=True)
def set_lead(*, actor, deal: Deal, lead) -> Deal:
    """A manager gives the deal to a manager of the same fund (themselves included)."""
    deal = lock(deal)
    if not is_fund_manager(actor, deal.fund):
        raise forbidden()
    if lead is not None and not is_fund_manager(lead, deal.fund):
        raise DomainError(_("Choose one of the fund's managers."), code="not_a_manager", field="lead")
    deal.lead = lead
    deal.save(update_fields=["lead"])
    audit.record(AuditAction.DEAL_LEAD, actor=actor, target=deal, changes={"lead": lead.pk if lead else None})
    return deal


@transaction.atomic(durable=True)
def add_note(*, actor, deal: Deal, body: str) -> DealNote:
    """An internal note: the fund's managers read it, nobody else."""
    if not is_fund_manager(actor, deal.fund):
        raise forbidden()
    body = body.strip()
    if not body:
        raise DomainError(_("Write the note."), code="note_required", field="body")
    note = DealNote.objects.create(deal=deal, author=actor, body=body)
    audit.record(AuditAction.DEAL_NOTE, actor=actor, target=deal, changes={"note": note.pk})
    return note

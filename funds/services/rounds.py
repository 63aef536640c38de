"""An enterprise's financing rounds: recording one gives each fund its priority window."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from enterprises.selectors import is_member
from enterprises.services.consent import require_consent
from hkhz_portal.core import audit, events
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..events import FundEventKind
from ..models import FinancingRound, Fund, Instrument, PriorityWindow, RoundOffer, WindowState
from .windows import frozen_terms, open_window


def _check_amounts(**amounts: Money) -> None:
    for field, value in amounts.items():
        if value is None or value.amount <= 0:
            raise DomainError(_("Enter an amount above zero."), code="invalid_amount", field=field)


@transaction.atomic(durable=True)
def record_round(
    *,
    actor,
    enterprise,
    name: str,
    amount_sought: Money,
    pre_money: Money,
    instrument: str,
    closing_target: datetime.date,
    terms: str = "",
) -> FinancingRound:
    """A member of ``enterprise`` records a financing round; each fund's priority window opens
    with the round's terms frozen in it, counted from now (the notice's receipt)."""
    if not is_member(actor, enterprise.pk):
        raise DomainError(_("Only the enterprise's members can record its rounds."), code="forbidden", status=403)
    require_consent(actor)
    name = name.strip()
    if not name:
        raise DomainError(_("Name the round."), code="name_required", field="name")
    _check_amounts(amount_sought=amount_sought, pre_money=pre_money)
    if instrument not in Instrument.values:
        raise DomainError(_("Choose an instrument."), code="invalid_instrument", field="instrument")
    if closing_target <= timezone.localdate():
        raise DomainError(_("The target closing date is in the future."), code="past_closing", field="closing_target")
    round_ = FinancingRound.objects.create(
        enterprise=enterprise,
        name=name,
        amount_sought=amount_sought,
        pre_money=pre_money,
        instrument=instrument,
        terms=terms.strip(),
        closing_target=closing_target,
        created_by=actor,
    )
    audit.record(AuditAction.ROUND_RECORDED, actor=actor, target=round_, changes={"enterprise": enterprise.reference})
    events.emit(
        FundEventKind.ROUND_RECORDED,
        target=round_,
        actor=actor,
        payload={"round": round_.pk, "enterprise": enterprise.reference},
    )
    received_at = timezone.now()
    for fund in Fund.objects.all():
        open_window(fund, round_, actor=actor, received_at=received_at, terms=frozen_terms(round_))
    return round_


def is_better(offer: RoundOffer, terms: dict) -> bool:
    """Whether ``offer`` is better for an investor than the ``terms`` frozen in a window: the same
    instrument and currency at a lower pre-money valuation."""
    frozen = terms["pre_money"]
    return (
        offer.instrument == terms["instrument"]
        and str(offer.pre_money.currency) == frozen["currency"]
        and offer.pre_money.amount < Decimal(frozen["amount"])
    )


@transaction.atomic(durable=True)
def record_offer(
    *, actor, round_: FinancingRound, amount: Money, pre_money: Money, instrument: str, terms: str = ""
) -> RoundOffer:
    """A member records offering the round to other investors. A fund whose last window on the
    round was waived or expired, offered the round on worse terms than these, gets a new window
    (``revived_from`` the ended one) with these terms frozen in it."""
    round_ = FinancingRound.objects.select_for_update().select_related("enterprise").get(pk=round_.pk)
    if not is_member(actor, round_.enterprise_id):
        raise DomainError(_("Only the enterprise's members can record its rounds."), code="forbidden", status=403)
    _check_amounts(amount=amount, pre_money=pre_money)
    if instrument not in Instrument.values:
        raise DomainError(_("Choose an instrument."), code="invalid_instrument", field="instrument")
    offer = RoundOffer.objects.create(
        round=round_, amount=amount, pre_money=pre_money, instrument=instrument, terms=terms.strip(), created_by=actor
    )
    audit.record(AuditAction.ROUND_OFFERED, actor=actor, target=round_, changes={"offer": offer.pk})
    received_at = timezone.now()
    latest = PriorityWindow.objects.filter(round=round_).order_by("fund_id", "-notice_received_at", "-id")
    seen = set()
    for window in latest.select_related("fund"):
        if window.fund_id in seen:
            continue
        seen.add(window.fund_id)
        if window.state in (WindowState.WAIVED, WindowState.EXPIRED) and is_better(offer, window.terms):
            revived = frozen_terms(round_, amount=amount, pre_money=pre_money, instrument=instrument, terms=offer.terms)
            open_window(window.fund, round_, actor=actor, received_at=received_at, terms=revived, revived_from=window)
    return offer

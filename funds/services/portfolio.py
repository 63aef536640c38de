"""What the fund puts into its portfolio companies and gets back: the closing that makes a deal a
portfolio company, follow-on investments, and exits.

Each is recorded by a fund manager on the deal's locked row, with its ``CapitalTransaction``
(converted once to the fund's currency at the rate given) in the same transaction: an
investment or proceeds never exist without the capital movement the fund's figures add up.
A company the fund has left entirely (an exit selling all of its holding, or a write-off) takes
no more follow-ons or exits.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..models import Deal, Exit, ExitKind, Instrument, Investment, InvestmentKind, TransactionKind
from ..selectors import is_fund_manager
from ..workflow import Stage
from .capital import add_transaction
from .deals import check_step, forbidden, lock, move


def _percent(value, field: str) -> Decimal:
    value = Decimal(value)
    if not Decimal(0) < value <= Decimal(100):
        raise DomainError(_("Enter a percentage above 0 and up to 100."), code="invalid_percent", field=field)
    return value


def _past(day: datetime.date, field: str) -> datetime.date:
    if day > timezone.localdate():
        raise DomainError(_("Enter a date that is not in the future."), code="future_date", field=field)
    return day


def _terms(*, amount: Money, instrument, pre_money: Money | None, ownership_percent) -> dict:
    """An investment's terms checked: an equity round needs its pre-money valuation, in the
    amount's currency."""
    if instrument not in Instrument.values:
        raise DomainError(_("Choose an instrument."), code="invalid_instrument", field="instrument")
    if pre_money is None and instrument == Instrument.EQUITY:
        raise DomainError(
            _("Enter the pre-money valuation of an equity investment."), code="pre_money_required", field="pre_money"
        )
    if pre_money is not None:
        if pre_money.amount <= 0:
            raise DomainError(_("Enter a valuation above zero."), code="invalid_amount", field="pre_money")
        if pre_money.currency != amount.currency:
            raise DomainError(
                _("State the valuation in the investment's currency."), code="currency_mismatch", field="pre_money"
            )
    return {
        "instrument": instrument,
        "amount": amount,
        "pre_money": pre_money,
        "ownership_percent": _percent(ownership_percent, "ownership_percent"),
    }


def _invest(deal: Deal, kind, *, actor, fx_rate, closed_on, terms: dict) -> Investment:
    txn = add_transaction(
        fund=deal.fund,
        kind=TransactionKind.INVESTMENT,
        amount=terms["amount"],
        value_date=_past(closed_on, "closed_on"),
        actor=actor,
        fx_rate=fx_rate,
        deal=deal,
        counterparty=deal.enterprise.legal_name_en,
    )
    investment = Investment.objects.create(
        deal=deal, kind=kind, closed_on=closed_on, transaction=txn, recorded_by=actor, **terms
    )
    audit.record(
        AuditAction.INVESTMENT_RECORDED,
        actor=actor,
        target=deal,
        changes={
            "kind": kind,
            "instrument": terms["instrument"],
            "amount": str(terms["amount"].amount),
            "currency": str(terms["amount"].currency),
            "rate": str(fx_rate),
            "ownership_percent": str(terms["ownership_percent"]),
        },
    )
    return investment


@transaction.atomic(durable=True)
def record_closing(
    *,
    actor,
    deal: Deal,
    amount: Money,
    instrument,
    ownership_percent,
    closed_on: datetime.date,
    fx_rate=Decimal(1),
    pre_money: Money | None = None,
    expected_stage=None,
) -> Investment:
    """The deal at "closing" is closed: its initial investment and the capital it took are
    recorded, and the deal becomes a portfolio company."""
    deal = lock(deal)
    check_step(deal, "close", actor=actor, expected_stage=expected_stage)
    terms = _terms(amount=amount, instrument=instrument, pre_money=pre_money, ownership_percent=ownership_percent)
    investment = _invest(deal, InvestmentKind.INITIAL, actor=actor, fx_rate=fx_rate, closed_on=closed_on, terms=terms)
    move(deal, "close", actor=actor)
    return investment


def left_entirely(exits) -> bool:
    """Whether the fund has left a company, given its ``exits``: one sold all that was left of the
    holding, or wrote it off."""
    return any(e.stake_sold_percent == 100 or e.kind == ExitKind.WRITE_OFF for e in exits)


def _portfolio_company(deal: Deal, actor) -> Deal:
    """``deal`` locked, refused unless ``actor`` manages its fund and the fund still holds it."""
    deal = lock(deal)
    if not is_fund_manager(actor, deal.fund):
        raise forbidden()
    if deal.stage != Stage.PORTFOLIO:
        raise DomainError(
            _("Only a portfolio company takes follow-ons and exits."), code="not_in_portfolio", status=409
        )
    if left_entirely(deal.exits.all()):
        raise DomainError(_("The fund has left this company entirely."), code="exited", status=409)
    return deal


@transaction.atomic(durable=True)
def record_follow_on(
    *,
    actor,
    deal: Deal,
    amount: Money,
    instrument,
    ownership_percent,
    closed_on: datetime.date,
    fx_rate=Decimal(1),
    pre_money: Money | None = None,
) -> Investment:
    """A further investment in a portfolio company, with the fund's ownership after it."""
    deal = _portfolio_company(deal, actor)
    terms = _terms(amount=amount, instrument=instrument, pre_money=pre_money, ownership_percent=ownership_percent)
    return _invest(deal, InvestmentKind.FOLLOW_ON, actor=actor, fx_rate=fx_rate, closed_on=closed_on, terms=terms)


@transaction.atomic(durable=True)
def record_exit(
    *,
    actor,
    deal: Deal,
    kind,
    stake_sold_percent,
    exited_on: datetime.date,
    proceeds: Money | None = None,
    fx_rate=Decimal(1),
    note="",
) -> Exit:
    """The fund sells some or all of its holding (the proceeds are a distribution), or writes it
    off (no proceeds)."""
    deal = _portfolio_company(deal, actor)
    if kind not in ExitKind.values:
        raise DomainError(_("Choose how the fund exits."), code="invalid_kind", field="kind")
    stake = _percent(stake_sold_percent, "stake_sold_percent")
    _past(exited_on, "exited_on")
    txn = None
    if kind == ExitKind.WRITE_OFF:
        if proceeds is not None and proceeds.amount:
            raise DomainError(_("A write-off has no proceeds."), code="write_off_proceeds", field="proceeds")
        stake = Decimal(100)
        proceeds = Money(0, deal.fund.currency)
    else:
        if proceeds is None:
            raise DomainError(_("Enter the proceeds."), code="proceeds_required", field="proceeds")
        txn = add_transaction(
            fund=deal.fund,
            kind=TransactionKind.DISTRIBUTION,
            amount=proceeds,
            value_date=exited_on,
            actor=actor,
            fx_rate=fx_rate,
            deal=deal,
            note=note,
        )
    exit_ = Exit.objects.create(
        deal=deal,
        kind=kind,
        proceeds=proceeds,
        stake_sold_percent=stake,
        exited_on=exited_on,
        transaction=txn,
        note=note.strip(),
        recorded_by=actor,
    )
    audit.record(
        AuditAction.EXIT_RECORDED,
        actor=actor,
        target=deal,
        changes={
            "kind": kind,
            "proceeds": str(proceeds.amount),
            "currency": str(proceeds.currency),
            "stake_sold_percent": str(stake),
        },
    )
    return exit_

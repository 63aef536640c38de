"""The fund's capital, all in Decimal with its currency: a transaction is recorded once, with
the rate converting it to the fund's currency, and every figure is a sum of transactions.

Committed is what investors promised; called, what the fund asked them to pay in; invested,
what went into enterprises (closings and follow-ons); distributed, exit proceeds; remaining, the
commitments not yet invested."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..models import CapitalTransaction, Fund, TransactionKind
from ..selectors import is_fund_manager
from .deals import forbidden
from .windows import CENT


def convert(amount: Money, rate: Decimal, currency: str) -> Decimal:
    """``amount`` in ``currency`` at ``rate`` (``currency`` for one unit of the amount's), to the
    cent, half up; the rate must be 1 when the currencies are the same."""
    rate = Decimal(rate)
    if rate <= 0:
        raise DomainError(_("Enter an exchange rate above zero."), code="invalid_rate", field="fx_rate")
    if str(amount.currency) == currency and rate != 1:
        raise DomainError(
            _("The amount is in the fund's currency: the exchange rate is 1."), code="invalid_rate", field="fx_rate"
        )
    return (amount.amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def add_transaction(
    *,
    fund: Fund,
    kind,
    amount: Money,
    value_date: datetime.date,
    actor,
    fx_rate=Decimal(1),
    deal=None,
    counterparty="",
    note="",
) -> CapitalTransaction:
    """Record one movement of capital in the caller's transaction (a closing's, an exit's)."""
    if amount.amount <= 0:
        raise DomainError(_("Enter an amount above zero."), code="invalid_amount", field="amount")
    txn = CapitalTransaction.objects.create(
        fund=fund,
        kind=kind,
        deal=deal,
        counterparty=counterparty.strip(),
        amount=amount,
        fx_rate=Decimal(fx_rate),
        fund_amount=convert(amount, fx_rate, fund.currency),
        value_date=value_date,
        note=note.strip(),
        recorded_by=actor,
    )
    audit.record(
        AuditAction.CAPITAL_RECORDED,
        actor=actor,
        target=fund,
        changes={"kind": kind, "amount": str(amount.amount), "currency": str(amount.currency), "rate": str(fx_rate)},
    )
    return txn


@transaction.atomic(durable=True)
def record_capital(*, actor, fund: Fund, kind, amount: Money, value_date, fx_rate=Decimal(1), counterparty="", note=""):
    """A manager records a commitment or a capital call (investments and exit proceeds are
    recorded with their closing or exit)."""
    if not is_fund_manager(actor, fund):
        raise forbidden()
    if kind not in (TransactionKind.COMMITMENT, TransactionKind.CALL):
        raise DomainError(_("Record investments and exits on their deal."), code="invalid_kind", field="kind")
    return add_transaction(
        fund=fund,
        kind=kind,
        amount=amount,
        value_date=value_date,
        actor=actor,
        fx_rate=fx_rate,
        counterparty=counterparty,
        note=note,
    )


@dataclass(frozen=True)
class Figures:
    committed: Money
    called: Money
    invested: Money
    distributed: Money
    remaining: Money
    target: Money

    @property
    def uncalled(self) -> Money:
        return self.committed - self.called


def figures(fund: Fund, *, until: datetime.date | None = None) -> Figures:
    """The fund's figures from its transactions (up to ``until``, inclusive), in its currency."""
    transactions = fund.transactions.all()
    if until is not None:
        transactions = transactions.filter(value_date__lte=until)
    sums = dict(transactions.order_by().values_list("kind").annotate(total=Sum("fund_amount")))

    def total(kind):
        return Money(sums.get(kind) or Decimal("0.00"), fund.currency)

    committed = total(TransactionKind.COMMITMENT)
    invested = total(TransactionKind.INVESTMENT)
    return Figures(
        committed=committed,
        called=total(TransactionKind.CALL),
        invested=invested,
        distributed=total(TransactionKind.DISTRIBUTION),
        remaining=committed - invested,
        target=fund.target_size,
    )

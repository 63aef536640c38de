"""Priority windows: when one opens, and with which terms frozen in it.

A window opens for each fund when an enterprise records a financing round (the notice's
receipt is the moment it is recorded). It lasts the fund's ``window_days``: calendar days, or
working days on the enterprise's calendar (the mainland's for a mainland enterprise, with its
make-up working weekends; Hong Kong's otherwise) if the fund counts in working days; either
way it ends at midnight (portal time) after its last day.

It ends exactly once, from open: **exercised** or **waived** by one of the fund's managers, or
**expired** by the beat once its end has passed. Each ending locks the window's row and checks
it is still open, so of two endings racing the second is refused (409) or, the beat's, skipped.
Before the end the fund's managers are reminded 7 and 2 days ahead, once each (``WindowReminder``).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from hkhz_portal.core import audit, events
from hkhz_portal.core.calendars import Calendar, working_days_after
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..events import FundEventKind
from ..models import Deal, Fund, PriorityWindow, WindowReminder, WindowState
from ..selectors import is_fund_manager
from ..workflow import Stage
from .deals import forbidden

CENT = Decimal("0.01")


def calendar_of(enterprise) -> Calendar:
    return Calendar.CN if enterprise.kind == "mainland" else Calendar.HK


def window_end(fund: Fund, enterprise, received_at: datetime.datetime) -> datetime.datetime:
    """The moment a window whose notice was received at ``received_at`` ends."""
    day = timezone.localdate(received_at)
    if fund.window_business_days:
        last = working_days_after(day, fund.window_days, calendar_of(enterprise))
    else:
        last = day + datetime.timedelta(days=fund.window_days)
    midnight = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight)


def _money(value) -> dict:
    return {"amount": str(value.amount.quantize(CENT)), "currency": str(value.currency)}


def frozen_terms(round_, *, amount=None, pre_money=None, instrument=None, terms=None) -> dict:
    """The terms a window keeps: the round's, or those of a later offer (the keywords)."""
    return {
        "name": round_.name,
        "amount_sought": _money(amount if amount is not None else round_.amount_sought),
        "pre_money": _money(pre_money if pre_money is not None else round_.pre_money),
        "instrument": instrument or round_.instrument,
        "terms": round_.terms if terms is None else terms,
        "closing_target": round_.closing_target.isoformat(),
    }


def open_window(fund: Fund, round_, *, actor, received_at, terms: dict, revived_from=None) -> PriorityWindow:
    """Open ``fund``'s window on ``round_`` in the caller's transaction."""
    window = PriorityWindow.objects.create(
        fund=fund,
        round=round_,
        state=WindowState.OPEN,
        notice_received_at=received_at,
        ends_at=window_end(fund, round_.enterprise, received_at),
        terms=terms,
        revived_from=revived_from,
    )
    kind = FundEventKind.WINDOW_REVIVED if revived_from else FundEventKind.WINDOW_OPENED
    payload = {"window": window.pk, "round": round_.pk, "ends_at": window.ends_at.isoformat()}
    audit.record(AuditAction.WINDOW_OPENED, actor=actor, target=window, changes=payload)
    events.emit(kind, target=window, actor=actor, payload=payload)
    return window


#: Days before a window's end at which the fund's managers are reminded, the earliest first.
REMINDER_DAYS = (7, 2)

ENDINGS = {
    WindowState.EXERCISED: FundEventKind.WINDOW_EXERCISED,
    WindowState.WAIVED: FundEventKind.WINDOW_WAIVED,
    WindowState.EXPIRED: FundEventKind.WINDOW_EXPIRED,
}


def amount_sought(window: PriorityWindow) -> Money:
    """The amount sought frozen in the window: the most the fund may commit."""
    frozen = window.terms["amount_sought"]
    return Money(Decimal(frozen["amount"]), frozen["currency"])


def _lock(window: PriorityWindow) -> PriorityWindow:
    return (
        PriorityWindow.objects.select_for_update(of=("self",))
        .select_related("fund", "round__enterprise")
        .get(pk=window.pk)
    )


def _require_open(window: PriorityWindow, now) -> None:
    if window.state != WindowState.OPEN:
        raise DomainError(
            _("This window was “%(state)s” meanwhile. Reload the page to see it.")
            % {"state": window.get_state_display()},
            code="window_ended",
            status=409,
        )
    if window.ends_at <= now:
        raise DomainError(
            _("This window ended on %(end)s: it can no longer be exercised or waived.")
            % {"end": formats.date_format(timezone.localtime(window.ends_at), "DATETIME_FORMAT")},
            code="window_ended",
            status=409,
        )


def _end(window: PriorityWindow, state: WindowState, *, actor, now, changes=None) -> PriorityWindow:
    """Record the window's one ending, on its locked row, with its audit and domain events."""
    window.state = state
    window.ended_at = now
    window.ended_by = actor
    window.save()
    payload = {"window": window.pk, "round": window.round_id, "state": state, **(changes or {})}
    audit.record(AuditAction.WINDOW_ENDED, actor=actor, target=window, changes=payload)
    events.emit(ENDINGS[state], target=window, actor=actor, payload=payload)
    return window


def _ending_by_manager(actor, window: PriorityWindow, now) -> PriorityWindow:
    window = _lock(window)
    if not is_fund_manager(actor, window.fund):
        raise forbidden()
    _require_open(window, now)
    return window


def window_deals(window: PriorityWindow):
    """The deals an exercise may go with: the fund's with the round's enterprise, not declined."""
    return Deal.objects.filter(fund_id=window.fund_id, enterprise_id=window.round.enterprise_id).exclude(
        stage=Stage.DECLINED
    )


@transaction.atomic(durable=True)
def exercise(*, actor, window: PriorityWindow, commitment: Money, decision: str = "", deal: Deal | None = None):
    """A manager exercises the fund's priority right: a commitment up to the amount sought frozen
    in the window, in its currency, with an optional note and the deal it goes with."""
    now = timezone.now()
    window = _ending_by_manager(actor, window, now)
    ceiling = amount_sought(window)
    if commitment is None or commitment.amount <= 0:
        raise DomainError(_("Enter an amount above zero."), code="invalid_amount", field="commitment")
    if commitment.currency != ceiling.currency:
        raise DomainError(
            _("Commit in the round's currency, %(currency)s.") % {"currency": ceiling.currency},
            code="wrong_currency",
            field="commitment",
        )
    if commitment > ceiling:
        raise DomainError(
            _("The fund may commit up to the amount sought, %(amount)s.") % {"amount": ceiling},
            code="above_amount_sought",
            field="commitment",
        )
    if deal is not None and not window_deals(window).filter(pk=deal.pk).exists():
        raise DomainError(_("Choose a deal of this fund with this enterprise."), code="invalid_deal", field="deal")
    window.commitment = commitment
    window.decision = decision.strip()
    window.deal = deal
    changes = {"commitment": {"amount": str(commitment.amount), "currency": str(commitment.currency)}}
    if deal is not None:
        changes["deal"] = deal.reference
    return _end(window, WindowState.EXERCISED, actor=actor, now=now, changes=changes)


@transaction.atomic(durable=True)
def waive(*, actor, window: PriorityWindow, decision: str) -> PriorityWindow:
    """A manager waives the fund's priority right, saying why."""
    now = timezone.now()
    window = _ending_by_manager(actor, window, now)
    decision = decision.strip()
    if not decision:
        raise DomainError(_("Record the fund's decision."), code="decision_required", field="decision")
    window.decision = decision
    return _end(window, WindowState.WAIVED, actor=actor, now=now)


@transaction.atomic(durable=True)
def expire_due(now=None, *, limit: int = 500) -> int:
    """Expire every open window whose end has passed (the beat, ``funds.expire_windows``).
    A window a manager is ending meanwhile is locked, so skipped: its own ending stands, and a
    window still open at the next beat is expired then. Returns how many expired."""
    now = now or timezone.now()
    due = (
        PriorityWindow.objects.filter(state=WindowState.OPEN, ends_at__lte=now)
        .order_by("ends_at", "pk")
        .select_for_update(skip_locked=True, of=("self",))
    )
    expired = 0
    for window in due[:limit]:
        _end(window, WindowState.EXPIRED, actor=None, now=now)
        expired += 1
    return expired


def _reminder_due(days: int, now) -> Q:
    """The reminder ``days`` ahead is due and neither it nor a later one was sent."""
    reminded = WindowReminder.objects.filter(window=OuterRef("pk"), days_before__lte=days)
    return Q(ends_at__lte=now + datetime.timedelta(days=days)) & ~Exists(reminded)


def _days_before(window: PriorityWindow, now) -> int:
    """The reminder due now: the latest of ``REMINDER_DAYS`` whose moment has passed."""
    return min(days for days in REMINDER_DAYS if window.ends_at - datetime.timedelta(days=days) <= now)


@transaction.atomic(durable=True)
def remind_due(now=None, *, limit: int = 500) -> int:
    """Tell the fund's managers that an open window ends in 7 days, and again in 2, once each
    (the beat, ``funds.remind_windows``). A window first found within 2 days of its end is
    reminded of that only. Returns the number of reminders sent."""
    now = now or timezone.now()
    candidates = (
        PriorityWindow.objects.filter(state=WindowState.OPEN, ends_at__gt=now)
        .filter(_reminder_due(REMINDER_DAYS[0], now) | _reminder_due(REMINDER_DAYS[1], now))
        .order_by("ends_at", "pk")
        .select_for_update(skip_locked=True, of=("self",))
    )
    sent = 0
    for window in candidates[:limit]:
        days = _days_before(window, now)
        # Read under the row's lock: a beat that reminded meanwhile has committed its row.
        if window.reminders.filter(days_before__lte=days).exists():
            continue
        WindowReminder.objects.create(window=window, days_before=days)
        events.emit(
            FundEventKind.WINDOW_ENDING,
            target=window,
            payload={
                "window": window.pk,
                "round": window.round_id,
                "ends_at": window.ends_at.isoformat(),
                "days_before": days,
            },
        )
        sent += 1
    return sent

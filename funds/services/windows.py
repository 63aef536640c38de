"""Priority windows: when one opens, and with which terms frozen in it.

A window opens for each fund when an enterprise records a financing round (the notice's
receipt is the moment it is recorded). It lasts the fund's ``window_days``: calendar days, or
working days on the enterprise's calendar (the mainland's for a mainland enterprise, with its
make-up working weekends; Hong Kong's otherwise) if the fund counts in working days; either
way it ends at midnight (portal time) after its last day.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from hkhz_portal.core import audit, events
from hkhz_portal.core.calendars import Calendar, working_days_after

from ..audit_actions import AuditAction
from ..events import FundEventKind
from ..models import Fund, PriorityWindow, WindowState

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

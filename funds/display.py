"""The fund as an enterprise sees it: its requests for investment by a status that says no more
than where the request stands (never the stage's internals: the checklist, the committee), and
each fund's priority window on its rounds by what became of it. Pages, the dashboard panel and
the API all read these."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from .models import Deal, PriorityWindow, WindowState
from .workflow import Stage


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    INVESTED = "invested", _("Invested")
    DECLINED = "declined", _("Declined")


STATUS_OF_STAGE = {
    Stage.SOURCED: RequestStatus.RECEIVED,
    Stage.SCREENING: RequestStatus.RECEIVED,
    Stage.DUE_DILIGENCE: RequestStatus.UNDER_CONSIDERATION,
    Stage.COMMITTEE: RequestStatus.UNDER_CONSIDERATION,
    Stage.TERM_SHEET: RequestStatus.UNDER_CONSIDERATION,
    Stage.CLOSING: RequestStatus.UNDER_CONSIDERATION,
    Stage.PORTFOLIO: RequestStatus.INVESTED,
    Stage.DECLINED: RequestStatus.DECLINED,
}

STATUS_HELP = {
    RequestStatus.RECEIVED: _("The fund has your request and will look at it."),
    RequestStatus.UNDER_CONSIDERATION: _("The fund is assessing an investment; it will contact you about terms."),
    RequestStatus.INVESTED: _("The fund invested in your enterprise."),
    RequestStatus.DECLINED: _("The fund decided not to invest."),
}


@dataclass(frozen=True)
class EnterpriseRequest:
    """A deal as its enterprise may read it: nothing here is the fund's internal record."""

    reference: str
    fund: str
    status: RequestStatus
    help: str
    created_at: datetime.datetime
    amount_sought: Money | None
    #: What the enterprise wrote, on its own requests; the fund's own summary is not shown.
    summary: str
    #: Why the fund declined, when it did.
    reason: str


def enterprise_request(deal: Deal) -> EnterpriseRequest:
    status = STATUS_OF_STAGE[deal.stage]
    return EnterpriseRequest(
        reference=deal.reference,
        fund=deal.fund.name,
        status=status,
        help=str(STATUS_HELP[status]),
        created_at=deal.created_at,
        amount_sought=deal.amount_sought,
        summary=deal.summary if deal.requested_by_id else "",
        reason=deal.reason if status == RequestStatus.DECLINED else "",
    )


@dataclass(frozen=True)
class EnterpriseWindow:
    """A fund's priority window on the enterprise's round, as the enterprise may read it: its
    state, until when it is open, and the commitment if the fund exercised it; never the fund's
    decision note."""

    fund: str
    fund_slug: str
    state: WindowState
    notice_received_at: datetime.datetime
    ends_at: datetime.datetime
    #: The last day the fund may exercise (the window ends at midnight after it).
    last_day: datetime.date
    ended_at: datetime.datetime | None
    commitment: Money | None
    revived: bool


def enterprise_window(window: PriorityWindow) -> EnterpriseWindow:
    return EnterpriseWindow(
        fund=window.fund.name,
        fund_slug=window.fund.slug,
        state=WindowState(window.state),
        notice_received_at=window.notice_received_at,
        ends_at=window.ends_at,
        last_day=timezone.localdate(window.ends_at) - datetime.timedelta(days=1),
        ended_at=window.ended_at,
        commitment=window.commitment if window.state == WindowState.EXERCISED else None,
        revived=window.revived_from_id is not None,
    )


def current_windows(round_) -> list[EnterpriseWindow]:
    """Each fund's latest window on ``round_`` (a revived one stands for the one it revives),
    from the round's prefetched ``windows`` (``selectors.with_windows``), in the funds' order."""
    latest = {}
    for window in sorted(round_.windows.all(), key=lambda w: (w.notice_received_at, w.pk)):
        latest[window.fund_id] = window
    return [enterprise_window(w) for w in sorted(latest.values(), key=lambda w: w.fund.slug)]

"""Who is told of the fund's events, and in which words (each reader's language).

The fund's managers hear of an enterprise's request for investment, of each priority window
opened or revived, ending soon, and ended (but not of their own doing), and of each committee
vote closed; the members of the meeting hear of its votes closed too. The enterprise (every
member) hears when its request for investment is declined (with the reason), when the fund
invested, and when a window on one of its rounds ends, exercised or not. Nobody is told of a
note, a checklist item or a vote: a vote's notice names the outcome only.

The events these read: a deal's on the deal, a window's on the window (or naming it in
``payload["window"]``), a vote closed on its agenda item (or naming it in ``payload["item"]``).
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from enterprises.templatetags.enterprise_format import money
from hkhz_portal.core import events

from .events import FundEventKind, transition_kind
from .models import AgendaItem, Deal, Outcome, PriorityWindow, WindowState
from .selectors import fund_managers, is_fund_manager
from .workflow import TRANSITIONS, Source

OTHER_LABELS = {
    FundEventKind.DEAL_SOURCED: _("A deal entered the fund's pipeline"),
    FundEventKind.VOTE_CLOSED: _("A committee vote closed"),
    FundEventKind.ROUND_RECORDED: _("An enterprise recorded a financing round"),
    FundEventKind.WINDOW_OPENED: _("A priority window opened"),
    FundEventKind.WINDOW_EXERCISED: _("The fund exercised a priority window"),
    FundEventKind.WINDOW_WAIVED: _("The fund waived a priority window"),
    FundEventKind.WINDOW_EXPIRED: _("A priority window expired"),
    FundEventKind.WINDOW_REVIVED: _("A priority window revived on better terms"),
    FundEventKind.WINDOW_ENDING: _("A priority window ends soon"),
}

DECLINED = (
    _("%(fund)s declined your request for investment"),
    _("%(fund)s will not invest in %(enterprise)s for now: %(reason)s"),
)
#: What the enterprise reads when its deal ends, by the step that ended it: (title, body).
ENTERPRISE_DEAL_TEXTS = {
    "decline": DECLINED,
    "committee_rejected": DECLINED,
    "close": (
        _("%(fund)s invested in %(enterprise)s"),
        _("The investment of %(fund)s in %(enterprise)s is closed. Welcome to the fund's portfolio."),
    ),
}

#: What the enterprise reads when a window on its round ends, by how it ended.
ENTERPRISE_WINDOW_TEXTS = {
    WindowState.EXERCISED: (
        _("%(round)s: %(fund)s exercised its priority right"),
        _("%(fund)s will invest %(commitment)s in your round “%(round)s”."),
    ),
    WindowState.WAIVED: (
        _("%(round)s: %(fund)s waived its priority right"),
        _("%(fund)s will not invest in your round “%(round)s”: you may offer it to other investors."),
    ),
    WindowState.EXPIRED: (
        _("%(round)s: the priority window of %(fund)s ended"),
        _(
            "%(fund)s did not exercise its priority right on your round “%(round)s” in time: you may offer it "
            "to other investors."
        ),
    ),
}

#: What the fund's managers read of a window, by event.
MANAGER_WINDOW_TEXTS = {
    FundEventKind.WINDOW_OPENED: (
        _("%(enterprise)s: a priority window opened on “%(round)s”"),
        _("%(enterprise)s is raising %(amount)s at a pre-money valuation of %(pre_money)s. The window ends %(ends)s."),
    ),
    FundEventKind.WINDOW_REVIVED: (
        _("%(enterprise)s: the priority window on “%(round)s” revived"),
        _(
            "%(enterprise)s offered the round to others on better terms: %(amount)s at a pre-money valuation of "
            "%(pre_money)s. The fund may exercise on these terms until %(ends)s."
        ),
    ),
    FundEventKind.WINDOW_ENDING: (
        _("%(enterprise)s: the priority window on “%(round)s” ends %(ends)s"),
        _("Exercise or waive the fund's priority right before it ends."),
    ),
    FundEventKind.WINDOW_EXERCISED: (
        _("%(enterprise)s: the fund exercised its window on “%(round)s”"),
        _("A commitment of %(commitment)s was recorded."),
    ),
    FundEventKind.WINDOW_WAIVED: (
        _("%(enterprise)s: the fund waived its window on “%(round)s”"),
        _("The fund's decision is recorded on the window's page."),
    ),
    FundEventKind.WINDOW_EXPIRED: (
        _("%(enterprise)s: the priority window on “%(round)s” expired"),
        _("It ended %(ends)s without being exercised or waived."),
    ),
}

WINDOW_ENDED = {
    FundEventKind.WINDOW_EXERCISED: WindowState.EXERCISED,
    FundEventKind.WINDOW_WAIVED: WindowState.WAIVED,
    FundEventKind.WINDOW_EXPIRED: WindowState.EXPIRED,
}


def _others(event, users) -> list:
    """``users`` but the one who acted."""
    return [user for user in users if user.pk != event.actor_id]


def _deal(event) -> Deal:
    return Deal.objects.select_related("fund", "enterprise").get(pk=event.target_id)


def _window(event) -> PriorityWindow:
    pk = event.payload.get("window", event.target_id)
    return PriorityWindow.objects.select_related("fund", "round__enterprise").get(pk=pk)


def _item(event) -> AgendaItem:
    pk = event.payload.get("item", event.target_id)
    return AgendaItem.objects.select_related("meeting", "deal__fund", "deal__enterprise").get(pk=pk)


def _enterprise_members(enterprise_id) -> list:
    return list(get_user_model().objects.filter(memberships__enterprise_id=enterprise_id))


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _message(title, body, facts: dict, url: str) -> events.Message:
    return events.Message(title=str(title % facts), body=str(body % facts), url=url)


# --- Deals ---------------------------------------------------------------------------------------


def managers_of_requested_deal(event) -> list:
    """A deal the enterprise asked for reaches the fund's managers; one they sourced, nobody."""
    if event.payload.get("source") != Source.REQUEST:
        return []
    return _others(event, fund_managers(_deal(event).fund))


def requested_message(event, user) -> events.Message:
    deal = _deal(event)
    facts = {"reference": deal.reference, "enterprise": deal.enterprise.local_name, "summary": deal.summary}
    title = _("%(reference)s: %(enterprise)s asks the fund to invest")
    return _message(title, "%(summary)s", facts, reverse("funds:deal", args=[deal.reference]))


def enterprise_of_ended_deal(event) -> list:
    """The enterprise hears that the fund invested, and that a request of its own was declined
    (a deal the fund sourced and dropped was never the enterprise's to hear of)."""
    deal = _deal(event)
    if event.kind != transition_kind("close") and deal.source != Source.REQUEST:
        return []
    return _others(event, _enterprise_members(deal.enterprise_id))


def ended_deal_message(event, user) -> events.Message:
    deal = _deal(event)
    facts = {"fund": deal.fund.name, "enterprise": deal.enterprise.local_name, "reason": deal.reason}
    url = reverse("funds:enterprise_funding", args=[deal.enterprise.reference])
    return _message(*ENTERPRISE_DEAL_TEXTS[event.kind.removeprefix("deal.")], facts, url)


# --- The committee -------------------------------------------------------------------------------


def vote_readers(event) -> list:
    """The fund's managers and the meeting's members, but the one who closed the vote."""
    item = _item(event)
    return _others(event, [*fund_managers(item.deal.fund), *item.meeting.members.all()])


def vote_closed_message(event, user) -> events.Message:
    """The outcome only: each vote is read on the meeting's page, by those who may."""
    item = _item(event)
    deal = item.deal
    facts = {
        "reference": deal.reference,
        "enterprise": deal.enterprise.local_name,
        "meeting": item.meeting.title,
        "outcome": Outcome(item.outcome).label,
    }
    title = _("%(reference)s: the committee's vote closed (%(outcome)s)")
    body = _("The vote on %(enterprise)s at “%(meeting)s” closed: %(outcome)s.")
    if is_fund_manager(user, deal.fund):
        url = reverse("funds:deal", args=[deal.reference])
    else:
        url = reverse("funds:meeting", args=[item.meeting_id])
    return _message(title, body, facts, url)


# --- Priority windows ----------------------------------------------------------------------------


def window_managers(event) -> list:
    return _others(event, fund_managers(_window(event).fund))


def _frozen_money(value: dict) -> str:
    return money(Money(Decimal(value["amount"]), value["currency"]))


def _window_facts(window: PriorityWindow) -> dict:
    terms = window.terms
    return {
        "fund": window.fund.name,
        "enterprise": window.round.enterprise.local_name,
        "round": terms["name"],
        "amount": _frozen_money(terms["amount_sought"]),
        "pre_money": _frozen_money(terms["pre_money"]),
        "ends": _when(window.ends_at),
        "commitment": money(window.commitment),
    }


def manager_window_message(event, user) -> events.Message:
    window = _window(event)
    title, body = MANAGER_WINDOW_TEXTS[event.kind]
    return _message(title, body, _window_facts(window), reverse("funds:window", args=[window.pk]))


def window_ended_readers(event) -> list:
    """The enterprise whose round it is, and the fund's managers (but the one who ended it)."""
    window = _window(event)
    return _others(event, [*_enterprise_members(window.round.enterprise_id), *fund_managers(window.fund)])


def window_ended_message(event, user) -> events.Message:
    window = _window(event)
    if is_fund_manager(user, window.fund):
        return manager_window_message(event, user)
    title, body = ENTERPRISE_WINDOW_TEXTS[WINDOW_ENDED[event.kind]]
    url = reverse("funds:round", args=[window.round.enterprise.reference, window.round_id])
    return _message(title, body, _window_facts(window), url)


def register():
    told = {
        transition_kind("decline"): (enterprise_of_ended_deal, ended_deal_message),
        transition_kind("committee_rejected"): (enterprise_of_ended_deal, ended_deal_message),
        transition_kind("close"): (enterprise_of_ended_deal, ended_deal_message),
        FundEventKind.DEAL_SOURCED: (managers_of_requested_deal, requested_message),
        FundEventKind.VOTE_CLOSED: (vote_readers, vote_closed_message),
        FundEventKind.WINDOW_OPENED: (window_managers, manager_window_message),
        FundEventKind.WINDOW_REVIVED: (window_managers, manager_window_message),
        FundEventKind.WINDOW_ENDING: (window_managers, manager_window_message),
        FundEventKind.WINDOW_EXERCISED: (window_ended_readers, window_ended_message),
        FundEventKind.WINDOW_WAIVED: (window_ended_readers, window_ended_message),
        FundEventKind.WINDOW_EXPIRED: (window_ended_readers, window_ended_message),
    }
    for name, transition in TRANSITIONS.items():
        kind = transition_kind(name)
        audience, message = told.get(kind, (None, None))
        events.register_kind(kind, label=transition.label, recipients=audience, message=message)
    for kind, label in OTHER_LABELS.items():
        audience, message = told.get(kind, (None, None))
        events.register_kind(kind, label=label, recipients=audience, message=message)

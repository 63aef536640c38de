"""Who is told of the fund's events, in the portal and by e-mail: the managers of an enterprise's
request, of windows opened, revived, ending and ended, and of votes closed; the meeting's members
of its votes closed; the enterprise of its request declined (with the reason) or invested and of a
window on its round ending, exercised or not. Nobody is told of their own doing, and no notice
carries a note or a vote.

The committee's and the windows' use cases are other modules': their events are emitted here as
those services do (on the agenda item, on the window)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from djmoney.money import Money

from funds.events import FundEventKind, transition_kind
from funds.models import (
    AgendaItem,
    CommitteeMeeting,
    ConflictDeclaration,
    Investment,
    InvestmentKind,
    Outcome,
    PriorityWindow,
    TransactionKind,
    Vote,
    VoteChoice,
    WindowState,
)
from funds.services import capital
from funds.services import deals as deal_services
from funds.services.rounds import record_offer
from funds.workflow import Source, Stage
from hkhz_portal.core import events
from hkhz_portal.core.models import Notification
from tests.factories import EnterpriseFactory, member_of

from .factories import deal_at, manager_of, recorded_round, sourced_deal

pytestmark = pytest.mark.django_db

NOTE = "Founder's previous company went bankrupt; ask the auditors."
FIRM = "Hangzhou Notice Biotech Co., Ltd."
COMMENT = "The valuation is rich but the team is strong."


@pytest.fixture
def act(eager_tasks, django_capture_on_commit_callbacks):
    """Do something as the pages do, and let the worker tell whom it tells (in-process)."""

    def run(step):
        with django_capture_on_commit_callbacks(execute=True):
            return step()

    return run


@pytest.fixture
def colleague(fund):
    """The fund's second manager."""
    return manager_of(fund, full_name="Manager Lau")


@pytest.fixture
def enterprise():
    return EnterpriseFactory(legal_name_en=FIRM)


@pytest.fixture
def owner(enterprise):
    return member_of(enterprise, "owner", full_name="Owner Chen")


@pytest.fixture
def partner(enterprise, owner):
    """Another member of the enterprise."""
    return member_of(enterprise, full_name="Member Ho")


def told(kind) -> dict[str, Notification]:
    notes = Notification.objects.filter(kind=kind).select_related("recipient")
    names = [note.recipient.full_name for note in notes]
    assert len(names) == len(set(names)), f"someone was told twice of {kind}: {names}"
    return {note.recipient.full_name: note for note in notes}


def requested(fund, enterprise, owner):
    """The enterprise's own request for investment, as ``deals.request_investment`` makes it."""
    with transaction.atomic():
        return deal_services.create_deal(
            fund=fund,
            enterprise=enterprise,
            source=Source.REQUEST,
            actor=owner,
            summary="Series B for our CAR-T line.",
            amount_sought=Money("30000000.00", "CNY"),
        )


def test_a_request_for_investment_tells_the_funds_managers(act, fund, manager, colleague, enterprise, owner):
    deal = act(lambda: requested(fund, enterprise, owner))
    notes = told(FundEventKind.DEAL_SOURCED)
    assert set(notes) == {"Manager Chan", "Manager Lau"}
    note = notes["Manager Chan"]
    assert note.title == f"{deal.reference}: {FIRM} asks the fund to invest"
    assert note.body == "Series B for our CAR-T line."
    assert note.url == f"/fund/deals/{deal.reference}/"
    assert sorted(message.to[0] for message in mail.outbox) == sorted([manager.email, colleague.email])


def test_a_deal_the_fund_sources_tells_nobody(act, fund, manager, colleague, enterprise, owner):
    act(lambda: sourced_deal(fund, manager, enterprise=enterprise))
    assert not Notification.objects.exists()


def test_the_enterprise_hears_its_request_was_declined_with_the_reason(
    act, fund, manager, colleague, enterprise, owner, partner
):
    deal = requested(fund, enterprise, owner)
    act(lambda: deal_services.add_note(actor=manager, deal=deal, body=NOTE))
    act(lambda: deal_services.take_step(actor=manager, deal=deal, name="decline", note="Outside our mandate."))
    notes = told(transition_kind("decline"))
    assert set(notes) == {"Owner Chen", "Member Ho"}
    note = notes["Member Ho"]
    assert note.title == f"{fund.name} declined your request for investment"
    assert note.body == f"{fund.name} will not invest in {FIRM} for now: Outside our mandate."
    assert note.url == f"/enterprises/{enterprise.reference}/funding/"
    assert not Notification.objects.filter(body__contains="bankrupt").exists()


def test_a_deal_the_fund_sourced_and_declined_is_not_the_enterprises_to_hear_of(act, fund, manager, enterprise, owner):
    deal = sourced_deal(fund, manager, enterprise=enterprise)
    act(lambda: deal_services.take_step(actor=manager, deal=deal, name="decline", note="Too early."))
    assert not Notification.objects.exists()


def test_a_committees_rejection_tells_the_enterprise_its_request_was_declined(
    act, fund, manager, enterprise, owner, checklist_templates
):
    deal = requested(fund, enterprise, owner)
    for name in ("screen", "start_diligence"):
        deal_services.take_step(actor=manager, deal=deal, name=name)
    deal.checklist.update(status="done", signed_off_by=manager, signed_off_at=timezone.now())
    deal_services.take_step(actor=manager, deal=deal, name="to_committee")

    def reject():
        with transaction.atomic():
            deal_services.move(
                deal_services.lock(deal), "committee_rejected", actor=None, note="The investment committee rejected it."
            )

    act(reject)
    note = told(transition_kind("committee_rejected"))["Owner Chen"]
    assert note.body.endswith("for now: The investment committee rejected it.")


def test_the_enterprise_hears_the_fund_invested(act, fund, manager, enterprise, owner, checklist_templates):
    deal = deal_at(Stage.CLOSING, fund, manager, enterprise=enterprise)

    def close():
        with transaction.atomic():
            locked = deal_services.lock(deal)
            txn = capital.add_transaction(
                fund=fund,
                kind=TransactionKind.INVESTMENT,
                amount=Money("20000000.00", "CNY"),
                value_date=datetime.date(2026, 6, 30),
                actor=manager,
                deal=locked,
            )
            Investment.objects.create(
                deal=locked,
                kind=InvestmentKind.INITIAL,
                instrument="equity",
                amount=txn.amount,
                pre_money=Money("80000000.00", "CNY"),
                ownership_percent=Decimal("20"),
                closed_on=txn.value_date,
                transaction=txn,
                recorded_by=manager,
            )
            deal_services.move(locked, "close", actor=manager)

    act(close)
    notes = told(transition_kind("close"))
    assert set(notes) == {"Owner Chen"}
    assert notes["Owner Chen"].title == f"{fund.name} invested in {FIRM}"


def test_the_steps_in_between_tell_nobody(act, fund, manager, colleague, enterprise, owner):
    deal = requested(fund, enterprise, owner)
    act(lambda: deal_services.take_step(actor=manager, deal=deal, name="screen"))
    assert not Notification.objects.filter(kind=transition_kind("screen")).exists()


@pytest.fixture
def closed_item(fund, manager, members, checklist_templates, enterprise):
    """A meeting of the three members with a deal on its agenda: the third declared a conflict,
    the others voted; the chair closed the vote."""
    deal = deal_at(Stage.COMMITTEE, fund, manager, enterprise=enterprise)
    chair = members[0]
    meeting = CommitteeMeeting.objects.create(
        fund=fund, title="June committee", scheduled_for=timezone.now(), chair=chair
    )
    meeting.members.set(members)
    item = AgendaItem.objects.create(meeting=meeting, deal=deal)
    ConflictDeclaration.objects.create(item=item, member=members[2], conflicted=True, note="Board seat")
    for member in members[:2]:
        ConflictDeclaration.objects.create(item=item, member=member, conflicted=False)
        Vote.objects.create(item=item, member=member, choice=VoteChoice.APPROVE, comment=COMMENT)
    AgendaItem.objects.filter(pk=item.pk).update(closed_at=timezone.now(), closed_by=chair, outcome=Outcome.APPROVED)
    return item


def test_a_closed_vote_tells_the_managers_and_the_meetings_members_the_outcome_only(
    act, fund, manager, colleague, members, closed_item, owner
):
    def close():
        with transaction.atomic():
            events.emit(
                FundEventKind.VOTE_CLOSED, target=closed_item, actor=members[0], payload={"outcome": "approved"}
            )

    act(close)
    notes = told(FundEventKind.VOTE_CLOSED)
    assert set(notes) == {"Manager Chan", "Manager Lau", "Member Li", "Member Ho"}  # not the chair who closed it
    reference = closed_item.deal.reference
    assert notes["Member Li"].title == f"{reference}: the committee's vote closed (Approved)"
    assert notes["Member Li"].body == f"The vote on {FIRM} at “June committee” closed: Approved."
    assert notes["Member Li"].url == f"/fund/committee/{closed_item.meeting_id}/"
    assert notes["Manager Chan"].url == f"/fund/deals/{reference}/"
    assert not Notification.objects.filter(body__contains="valuation is rich").exists()
    assert not Notification.objects.filter(recipient=owner).exists()


@pytest.fixture
def window(act, fund, enterprise, owner):
    """The fund's window on the enterprise's new round (its notices already sent)."""
    round_ = act(lambda: recorded_round(enterprise, owner, name="Series A"))
    return PriorityWindow.objects.select_related("round").get(round=round_)


def test_a_round_tells_the_managers_that_a_window_opened_and_when_it_ends(
    fund, manager, colleague, window, owner, partner
):
    assert not Notification.objects.filter(kind=FundEventKind.ROUND_RECORDED).exists()
    notes = told(FundEventKind.WINDOW_OPENED)
    assert set(notes) == {"Manager Chan", "Manager Lau"}
    note = notes["Manager Chan"]
    assert note.title == f"{FIRM}: a priority window opened on “Series A”"
    assert note.body.startswith(
        f"{FIRM} is raising CNY 20,000,000.00 at a pre-money valuation of CNY 80,000,000.00. The window ends "
    )
    assert note.url == f"/fund/windows/{window.pk}/"


def end(window, state, actor, **fields):
    """The window ended as ``funds.services.windows`` ends it, with its event."""
    kind = {
        WindowState.EXERCISED: FundEventKind.WINDOW_EXERCISED,
        WindowState.WAIVED: FundEventKind.WINDOW_WAIVED,
        WindowState.EXPIRED: FundEventKind.WINDOW_EXPIRED,
    }[state]

    def run():
        with transaction.atomic():
            PriorityWindow.objects.filter(pk=window.pk).update(
                state=state, ended_at=timezone.now(), ended_by=actor, **fields
            )
            events.emit(kind, target=window, actor=actor, payload={"window": window.pk})

    return run


def test_an_exercised_window_tells_the_enterprise_the_commitment_and_the_other_managers(
    act, fund, manager, colleague, window, owner, partner
):
    commitment = Money("15000000.00", "CNY")
    act(end(window, WindowState.EXERCISED, manager, commitment=commitment, decision=NOTE))
    notes = told(FundEventKind.WINDOW_EXERCISED)
    assert set(notes) == {"Owner Chen", "Member Ho", "Manager Lau"}
    note = notes["Owner Chen"]
    assert note.title == f"Series A: {fund.name} exercised its priority right"
    assert note.body == f"{fund.name} will invest CNY 15,000,000.00 in your round “Series A”."
    assert note.url == f"/enterprises/{window.round.enterprise.reference}/funding/rounds/{window.round_id}/"
    assert notes["Manager Lau"].url == f"/fund/windows/{window.pk}/"
    assert not Notification.objects.filter(body__contains="bankrupt").exists()  # the decision is the fund's


def test_a_waived_or_expired_window_tells_the_enterprise_it_may_offer_the_round_to_others(
    act, fund, manager, colleague, window, enterprise, owner
):
    act(end(window, WindowState.WAIVED, manager, decision=NOTE))
    waived = told(FundEventKind.WINDOW_WAIVED)
    assert set(waived) == {"Owner Chen", "Manager Lau"}
    assert "you may offer it to other investors" in waived["Owner Chen"].body
    assert "bankrupt" not in waived["Owner Chen"].body

    later = act(lambda: recorded_round(enterprise, owner, name="Series B"))
    expiring = PriorityWindow.objects.get(round=later)
    act(end(expiring, WindowState.EXPIRED, None))
    expired = told(FundEventKind.WINDOW_EXPIRED)
    assert set(expired) == {"Owner Chen", "Manager Chan", "Manager Lau"}  # a beat task acted: nobody is left out
    assert expired["Owner Chen"].title == f"Series B: the priority window of {fund.name} ended"
    assert expired["Manager Chan"].title == f"{FIRM}: the priority window on “Series B” expired"


def test_a_revived_window_and_one_ending_soon_tell_the_managers_only(
    act, fund, manager, colleague, window, enterprise, owner
):
    act(end(window, WindowState.WAIVED, manager, decision="Too expensive."))
    act(
        lambda: record_offer(
            actor=owner,
            round_=window.round,
            amount=Money("20000000.00", "CNY"),
            pre_money=Money("60000000.00", "CNY"),
            instrument="equity",
        )
    )
    revived = told(FundEventKind.WINDOW_REVIVED)
    assert set(revived) == {"Manager Chan", "Manager Lau"}
    assert "pre-money valuation of CNY 60,000,000.00" in revived["Manager Chan"].body

    new = PriorityWindow.objects.get(revived_from=window)

    def remind():
        with transaction.atomic():
            events.emit(FundEventKind.WINDOW_ENDING, target=new, payload={"window": new.pk, "days_before": 7})

    act(remind)
    ending = told(FundEventKind.WINDOW_ENDING)
    assert set(ending) == {"Manager Chan", "Manager Lau"}
    assert ending["Manager Lau"].title.startswith(f"{FIRM}: the priority window on “Series A” ends ")
    assert ending["Manager Lau"].body == "Exercise or waive the fund's priority right before it ends."

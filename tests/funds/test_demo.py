"""The fund's demo data (``funds.demo``), as people trying the demo meet it: twenty deals at every
stage with a past, two committee meetings with votes (one with a member recused), five portfolio
companies (one in USD at a stored rate) with a follow-on and an exit, capital in CNY and HKD, two
open priority windows (one ending within a week), one exercised and one waived. Seeding takes
seconds, so one test seeds twice and checks each in turn."""

import datetime
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from funds.gates import blocked, with_gates
from funds.models import (
    AgendaItem,
    CapitalTransaction,
    CommitteeMeeting,
    Condition,
    ConflictDeclaration,
    Deal,
    DealStageChange,
    DiligenceTemplateItem,
    Exit,
    Fund,
    Investment,
    PriorityWindow,
    Vote,
    WindowState,
)
from funds.selectors import committee_members, fund_managers
from funds.services.capital import figures
from funds.workflow import Source, Stage

pytestmark = pytest.mark.django_db

MODELS = (
    Fund,
    Deal,
    DealStageChange,
    CommitteeMeeting,
    AgendaItem,
    Vote,
    Investment,
    CapitalTransaction,
    PriorityWindow,
)


def test_the_demo_shows_the_fund_at_work(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("seed_demo", password="demo-password-1", stdout=out)
    assert "Demo fund: 20 deals created, 0 already present." in out.getvalue()
    counts = [model.objects.count() for model in MODELS]
    call_command("seed_demo", stdout=out)
    assert "Demo fund: 0 deals created, 20 already present." in out.getvalue()
    assert [model.objects.count() for model in MODELS] == counts

    the_fund_has_its_people_and_a_template_in_three_languages()
    the_deals_stand_at_every_stage_with_a_past()
    the_committee_met_twice_and_a_member_recused()
    the_portfolio_has_five_companies_and_the_capital_adds_up()
    the_windows_are_open_ending_soon_exercised_and_waived()


def the_fund_has_its_people_and_a_template_in_three_languages():
    fund = Fund.objects.get()
    assert (fund.currency, fund.target_size.amount, fund.unit.code) == ("CNY", Decimal("500000000.00"), "fund")
    assert fund.name_zh_hant == "杭港科技成果轉化基金"
    assert fund_managers(fund).count() == 2
    assert committee_members(fund).count() == 4
    template = list(DiligenceTemplateItem.objects.all())
    assert {item.area for item in template} == {"financial", "legal", "ip", "regulatory", "team"}
    assert all(item.title_en and item.title_zh_hans and item.title_zh_hant for item in template)


def the_deals_stand_at_every_stage_with_a_past():
    deals = list(with_gates(Deal.objects.all()))
    assert len(deals) == 20
    assert set(Counter(deal.stage for deal in deals)) == set(Stage)
    assert {deal.source for deal in deals} == set(Source)
    now = timezone.now()
    for deal in deals:
        log = list(deal.stage_changes.order_by("created_at", "id"))
        assert log[0].created_at == deal.created_at and log[-1].to_stage == deal.stage
        assert log[-1].created_at == deal.stage_changed_at <= now
        assert [change.created_at for change in log] == sorted(change.created_at for change in log)
        assert deal.enterprise.memberships.exists()
        if deal.stage == Stage.DECLINED:
            assert deal.decline_reason
        if deal.stage in (Stage.TERM_SHEET, Stage.CLOSING, Stage.PORTFOLIO):
            assert blocked(deal, "issue_term_sheet") is None  # approved, conditions met, checklist signed
    assert min(deal.created_at for deal in deals) < now - datetime.timedelta(days=200)
    diligence = [deal for deal in deals if deal.stage == Stage.DUE_DILIGENCE]
    assert all(deal.checklist_unsigned and deal.documents.exists() for deal in diligence)
    assert Deal.objects.filter(notes__isnull=False).exists()


def the_committee_met_twice_and_a_member_recused():
    meetings = list(CommitteeMeeting.objects.prefetch_related("members", "agenda"))
    assert len(meetings) == 2
    assert all(meeting.chair in meeting.members.all() for meeting in meetings)
    outcomes = Counter(AgendaItem.objects.values_list("outcome", flat=True))
    assert {"approved", "approved_with_conditions", "rejected", "no_quorum", ""} == set(outcomes)
    recused = ConflictDeclaration.objects.get(conflicted=True)
    assert recused.note and not Vote.objects.filter(item=recused.item, member=recused.member).exists()
    assert recused.item.tally["conflicted"] == 1 and recused.item.tally["approve"] == 3
    assert Condition.objects.count() == 2 and not Condition.objects.filter(met_at__isnull=True).exists()
    rejected = AgendaItem.objects.get(outcome="rejected").deal
    assert rejected.stage == Stage.DECLINED and rejected.decline_reason == "The investment committee rejected the deal."
    open_item = AgendaItem.objects.get(closed_at__isnull=True)
    assert open_item.deal.stage == Stage.COMMITTEE and open_item.votes.exists()


def the_portfolio_has_five_companies_and_the_capital_adds_up():
    portfolio = Deal.objects.filter(stage=Stage.PORTFOLIO)
    assert portfolio.count() == 5
    assert Investment.objects.filter(kind="initial", deal__in=portfolio).count() == 5
    assert Investment.objects.filter(kind="follow_on").count() == 1
    in_usd = Investment.objects.get(amount_currency="USD")
    assert in_usd.transaction.fx_rate == Decimal("7.12340000")
    assert in_usd.transaction.fund_amount == Decimal("24931900.00")
    assert Exit.objects.get().transaction.kind == "distribution"
    currencies = set(
        CapitalTransaction.objects.filter(kind__in=["commitment", "call"]).values_list("amount_currency", flat=True)
    )
    assert currencies == {"CNY", "HKD"}
    fund = Fund.objects.get()
    shown = figures(fund)
    assert shown.committed.amount == Decimal("200000000.00") + Decimal("138225000.00") + Decimal("80000000.00")
    assert Decimal(0) < shown.invested.amount < shown.called.amount < shown.committed.amount


def the_windows_are_open_ending_soon_exercised_and_waived():
    windows = list(PriorityWindow.objects.select_related("round"))
    states = Counter(window.state for window in windows)
    assert states == {WindowState.OPEN: 2, WindowState.EXERCISED: 1, WindowState.WAIVED: 1}
    now = timezone.now()
    ends = sorted(window.ends_at - now for window in windows if window.state == WindowState.OPEN)
    assert datetime.timedelta(0) < ends[0] <= datetime.timedelta(days=7) < ends[1]
    exercised = next(window for window in windows if window.state == WindowState.EXERCISED)
    assert exercised.commitment.amount <= Decimal(exercised.terms["amount_sought"]["amount"])
    for window in windows:
        assert window.notice_received_at < now and window.round.created_at == window.notice_received_at
        if window.state != WindowState.OPEN:
            assert window.decision and window.ended_by and window.ended_at < now

"""The transformation fund's demo data for ``seed_demo`` (registered in ``FundsConfig.ready``,
after the service centres'): the fund, its due-diligence template in three languages, its
capital (commitments and calls in CNY and HKD), twenty deals on the demo enterprises at every
stage, two committee meetings with their votes (one with a member recused), five portfolio
companies (one invested in USD at a stored rate, one with a follow-on and a partial exit), and
the priority windows of four financing rounds: two open (one ending within a week, the other on
the demo applicant's firm), one exercised, one waived.

Sourcing, the steps of the pipeline, notes, capital calls, conditions met, rounds and offers go
through the fund's services. The committee's votes and closes, the checklist's sign-offs, the
closings and exits and the windows' ends are written directly, as those use cases would write
them. Each deal is then dated back (its sourcing, each step, its time in its stage), so the
board shows a pipeline with a past. Seeding again adds nothing: the fund's deals are there.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from djmoney.money import Money

from enterprises.demo import pdf_bytes
from enterprises.models import Enterprise
from hkhz_portal.accounts.models import Unit
from programs.demo import owner_of
from programs.models import Application
from programs.workflow import Status

from .models import (
    AgendaItem,
    CommitteeMeeting,
    Condition,
    ConflictDeclaration,
    Deal,
    DealDocument,
    DealStageChange,
    DiligenceArea,
    DiligenceItem,
    DiligenceTemplateItem,
    Exit,
    ExitKind,
    FinancingRound,
    Fund,
    Investment,
    InvestmentKind,
    ItemStatus,
    Outcome,
    PriorityWindow,
    TransactionKind,
    Vote,
    VoteChoice,
    WindowState,
)
from .services import capital, committee, deals, rounds
from .services.committee import REJECTED_REASON
from .services.windows import window_end
from .workflow import Source, Stage

#: The fund's people (``hkhz_portal.accounts.demo``): two managers, and the committee, chair first.
MANAGERS = ["fund@demo.hkhz.local", "fund2@demo.hkhz.local"]
COMMITTEE = [
    "committee@demo.hkhz.local",
    "committee2@demo.hkhz.local",
    "committee3@demo.hkhz.local",
    "committee4@demo.hkhz.local",
]

FUND = {
    "slug": "hkhz-fund",
    "currency": "CNY",
    "target_size": Money("500000000.00", "CNY"),
    "vintage": 2025,
    "quorum": 3,
    "majority_percent": 50,
    "chair_casting_vote": True,
    "window_days": 30,
}

#: (area, English, Simplified, Traditional)
# fmt: off
TEMPLATE = [
    (
        DiligenceArea.FINANCIAL,
        "Audited accounts for the last two years",
        "近两年经审计财务报表",
        "近兩年經審計財務報表",
    ),
    (DiligenceArea.FINANCIAL, "Cash runway and use of proceeds", "现金跑道及资金用途", "現金跑道及資金用途"),
    (DiligenceArea.LEGAL, "Corporate structure and cap table", "公司架构及股权结构表", "公司架構及股權結構表"),
    (DiligenceArea.LEGAL, "Material contracts and litigation", "重大合同及诉讼", "重大合約及訴訟"),
    (DiligenceArea.IP, "Patent ownership and assignments", "专利权属及转让", "專利權屬及轉讓"),
    (DiligenceArea.IP, "Freedom to operate", "自由实施分析", "自由實施分析"),
    (DiligenceArea.REGULATORY, "Regulatory pathway and approvals", "注册路径及审批", "註冊路徑及審批"),
    (DiligenceArea.REGULATORY, "Cross-border data compliance", "跨境数据合规", "跨境數據合規"),
    (DiligenceArea.TEAM, "Founders' background checks", "创始人背景调查", "創辦人背景調查"),
    (DiligenceArea.TEAM, "Key staff retention and incentives", "核心员工留任及激励", "核心員工留任及激勵"),
]
# fmt: on


@dataclass(frozen=True)
class Plan:
    """One deal: the enterprise (sourced from its admission to the Park, its own request or by
    the fund), where it stands, the amount sought in CNY, and how many days ago it was sourced
    and entered its stage."""

    firm: str
    stage: Stage
    amount: str
    summary: str
    source: Source = Source.STAFF
    age: int = 30
    in_stage: int = 5
    note: str = ""
    reason: str = ""


# fmt: off
PLANS = [
    Plan("Hangzhou Tonglu Carbon Accounting Co., Ltd.", Stage.SOURCED, "8000000.00",
         "Seed extension for a carbon-accounting SaaS serving Zhejiang exporters facing the EU CBAM.",
         Source.REQUEST, age=2, in_stage=2),
    Plan("Hangzhou Chun'an Eco Agritech Co., Ltd.", Stage.SOURCED, "15000000.00",
         "Biological pesticides for tea gardens; Series A to build a Hong Kong sales company.", age=4, in_stage=4),
    Plan("Hangzhou Lin'an Solar Storage Co., Ltd.", Stage.SCREENING, "25000000.00",
         "Series A for a sodium-ion storage line; two pilot projects with State Grid Zhejiang.",
         Source.REQUEST, age=12, in_stage=9, note="Check the pilot contracts: are they binding or letters of intent?"),
    Plan("Hangzhou Liangzhu Cell Therapy Co., Ltd.", Stage.SCREENING, "12000000.00",
         "CAR-T for solid tumours; a Pre-A round to fund its first Hong Kong clinical site.",
         Source.REQUEST, age=9, in_stage=6),
    Plan("Hangzhou Jiande Precision Machinery Co., Ltd.", Stage.SCREENING, "18000000.00",
         "Precision spindles for semiconductor equipment; import substitution story.", age=20, in_stage=15),
    Plan("Hangzhou Xiaoshan Hydrogen Energy Co., Ltd.", Stage.DUE_DILIGENCE, "40000000.00",
         "Series B for PEM electrolysers; the fund would co-lead with a Hong Kong family office.",
         age=45, in_stage=21, note="Management accounts show a 14-month runway without this round."),
    Plan("Hangzhou Zijingang RNAi Bio Co., Ltd.", Stage.DUE_DILIGENCE, "30000000.00",
         "Admitted to the Park; siRNA delivery platform, the IP position needs care after an early publication.",
         Source.ADMISSION, age=38, in_stage=16, note="Ask counsel for a freedom-to-operate opinion before committee."),
    Plan("Hangzhou Qiantang Smart Manufacturing Co., Ltd.", Stage.DUE_DILIGENCE, "22000000.00",
         "Machine-vision quality control for textile mills; revenue CNY 60 million last year.", age=30, in_stage=10),
    Plan("Hangzhou Shangcheng ADC Pharma Co., Ltd.", Stage.COMMITTEE, "50000000.00",
         "Admitted to the Park; Series B for SC-ADC-07, cleared for trials by the NMPA.", Source.ADMISSION,
         age=70, in_stage=12),
    Plan("Hangzhou Linping Vaccine Bio Co., Ltd.", Stage.COMMITTEE, "20000000.00",
         "Recombinant zoster vaccine in phase II; the round funds phase III preparation.", age=75, in_stage=14),
    Plan("Hangzhou Binjiang Vision AI Co., Ltd.", Stage.TERM_SHEET, "35000000.00",
         "Edge vision chips for industrial robots; strong design wins with two robot makers.", age=90, in_stage=6),
    Plan("Hangzhou Xiaoshan Chip Design Co., Ltd.", Stage.TERM_SHEET, "28000000.00",
         "RISC-V microcontrollers for appliances; Series A+ with a strategic investor.",
         Source.REQUEST, age=85, in_stage=4),
    Plan("Hangzhou Binjiang Medical Robotics Co., Ltd.", Stage.CLOSING, "45000000.00",
         "Admitted to the Park; orthopaedic surgical robot with NMPA class III approval.", Source.ADMISSION,
         age=260, in_stage=10),
    Plan("Hangzhou Qiantang Biologics Co., Ltd.", Stage.PORTFOLIO, "30000000.00",
         "Bispecific antibody CDMO; Hong Kong subsidiary in the Science Park.", age=300, in_stage=200),
    Plan("Hangzhou Binjiang Gene Medicine Co., Ltd.", Stage.PORTFOLIO, "25000000.00",
         "AAV gene therapy BJ-GT01; the round funds the FDA IND.", Source.REQUEST, age=280, in_stage=180),
    Plan("Harbourview MedTech Limited", Stage.PORTFOLIO, "20000000.00",
         "Wearable ECG patch, Hong Kong company assembling in Binjiang.", age=270, in_stage=170),
    Plan("Hangzhou Xihu Cardiac Devices Co., Ltd.", Stage.PORTFOLIO, "24000000.00",
         "Admitted to the Park; transcatheter valve in a multicentre trial.", Source.ADMISSION, age=250, in_stage=160),
    Plan("Hangzhou Binjiang IoT Modules Co., Ltd.", Stage.PORTFOLIO, "16000000.00",
         "NB-IoT modules for smart meters; profitable, expanding to Southeast Asia.", age=250, in_stage=150),
    Plan("Hangzhou Yuhang Data Exchange Co., Ltd.", Stage.DECLINED, "10000000.00",
         "Data brokerage platform.", Source.REQUEST, age=60, in_stage=50,
         reason="Outside the fund's mandate: the fund invests in technology transfer, not data brokerage."),
    Plan("Hangzhou Fuyang Bio-based Fibre Co., Ltd.", Stage.DECLINED, "26000000.00",
         "Bio-based nylon fibre; scale-up plant in Fuyang.", Source.REQUEST, age=260, in_stage=215),
]
# fmt: on

#: The portfolio's closings: (firm, amount, fx rate to CNY, instrument, pre-money, ownership %, days ago).
CLOSINGS = {
    "Hangzhou Qiantang Biologics Co., Ltd.": (
        Money("30000000.00", "CNY"),
        "1",
        "equity",
        "150000000.00",
        "16.6667",
        200,
    ),
    "Hangzhou Binjiang Gene Medicine Co., Ltd.": (
        Money("3500000.00", "USD"),
        "7.1234",
        "equity",
        "110000000.00",
        "18.4",
        180,
    ),
    # A note and a SAFE: the ownership they convert to at their valuation cap.
    "Harbourview MedTech Limited": (
        Money("20000000.00", "CNY"),
        "1",
        "convertible_note",
        "90000000.00",
        "18.1818",
        170,
    ),
    "Hangzhou Xihu Cardiac Devices Co., Ltd.": (Money("24000000.00", "CNY"), "1", "equity", "126000000.00", "16", 160),
    "Hangzhou Binjiang IoT Modules Co., Ltd.": (Money("16000000.00", "CNY"), "1", "safe", "64000000.00", "20", 150),
}

#: (kind, counterparty, amount, rate to CNY, days ago)
CAPITAL = [
    (TransactionKind.COMMITMENT, "Hangzhou Municipal Guidance Fund", Money("200000000.00", "CNY"), "1", 400),
    (TransactionKind.COMMITMENT, "Hong Kong Investment Corporation", Money("150000000.00", "HKD"), "0.9215", 390),
    (TransactionKind.COMMITMENT, "Binjiang Industrial Investment Group", Money("80000000.00", "CNY"), "1", 380),
    (TransactionKind.CALL, "Hangzhou Municipal Guidance Fund", Money("60000000.00", "CNY"), "1", 320),
    (TransactionKind.CALL, "Hong Kong Investment Corporation", Money("45000000.00", "HKD"), "0.9187", 318),
    (TransactionKind.CALL, "Binjiang Industrial Investment Group", Money("24000000.00", "CNY"), "1", 315),
    (TransactionKind.CALL, "Hangzhou Municipal Guidance Fund", Money("30000000.00", "CNY"), "1", 40),
    (TransactionKind.CALL, "Hong Kong Investment Corporation", Money("22500000.00", "HKD"), "0.9231", 38),
]

#: The financing rounds of the windows: (firm, name, sought, pre-money, instrument, days the notice is old, fate).
ROUNDS = [
    ("Hangzhou Qiantang Diagnostics Co., Ltd.", "Series B", "60000000.00", "300000000.00", "equity", 25, "open"),
    # The demo applicant's firm: its funding page shows the window open.
    ("Qiantang Biologics (Hong Kong) Limited", "Series A", "30000000.00", "120000000.00", "equity", 3, "open"),
    ("Hangzhou Xihu Cardiac Devices Co., Ltd.", "Series B", "80000000.00", "400000000.00", "equity", 40, "exercised"),
    ("Hangzhou Linping Graphene Materials Co., Ltd.", "Pre-A", "15000000.00", "60000000.00", "safe", 70, "waived"),
]
#: What the fund decided on a window it ended.
DECISIONS = {
    "exercised": "Follow our initial investment pro rata; the trial data support the valuation.",
    "waived": "The valuation is beyond what the fund pays for a pre-revenue company.",
}


def _days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _people():
    users = get_user_model().objects
    return [users.get(email=email) for email in MANAGERS], [users.get(email=email) for email in COMMITTEE]


def seed_fund() -> tuple[Fund, bool]:
    unit = Unit.objects.get(code="fund")
    names = {f"name_{variant}": getattr(unit, f"name_{variant}") for variant in ("en", "zh_hans", "zh_hant")}
    return Fund.objects.get_or_create(slug=FUND["slug"], defaults={**FUND, **names, "unit": unit})


def seed_template() -> None:
    if DiligenceTemplateItem.objects.exists():
        return
    DiligenceTemplateItem.objects.bulk_create(
        DiligenceTemplateItem(area=area, order=order, title_en=en, title_zh_hans=hans, title_zh_hant=hant)
        for order, (area, en, hans, hant) in enumerate(TEMPLATE)
    )


def seed_capital(fund: Fund, manager) -> None:
    for kind, counterparty, amount, rate, days in CAPITAL:
        capital.record_capital(
            actor=manager,
            fund=fund,
            kind=kind,
            amount=amount,
            fx_rate=Decimal(rate),
            value_date=timezone.localdate() - datetime.timedelta(days=days),
            counterparty=counterparty,
        )


def _source(plan: Plan, fund: Fund, manager) -> Deal:
    amount = Money(plan.amount, "CNY")
    enterprise = Enterprise.objects.get(legal_name_en=plan.firm)
    if plan.source == Source.ADMISSION:
        application = Application.objects.get(enterprise=enterprise, status=Status.ADMITTED)
        return deals.source_deal(
            actor=manager,
            fund=fund,
            enterprise=enterprise,
            summary=plan.summary,
            amount_sought=amount,
            application=application,
        )
    if plan.source == Source.REQUEST:
        with transaction.atomic():
            return deals.create_deal(
                fund=fund,
                enterprise=enterprise,
                source=Source.REQUEST,
                actor=owner_of(enterprise),
                summary=plan.summary,
                amount_sought=amount,
            )
    return deals.source_deal(
        actor=manager, fund=fund, enterprise=enterprise, summary=plan.summary, amount_sought=amount
    )


def _work_checklist(deal: Deal, owner, reviewer, *, signed: bool) -> None:
    """The checklist worked through: every item signed off (a deal past due diligence), or half
    of it done and signed, a red flag raised and the rest under way, with one piece of evidence."""
    items = list(deal.checklist.order_by("area", "order", "id"))
    now = timezone.now()
    for index, item in enumerate(items):
        item.owner = owner
        item.status = ItemStatus.DONE
        if signed or index < len(items) // 2:
            item.signed_off_by, item.signed_off_at = reviewer, now
        elif index == len(items) // 2:
            item.status, item.finding = ItemStatus.FLAGGED, "The finding needs the committee's attention."
        else:
            item.status = ItemStatus.IN_PROGRESS
    DiligenceItem.objects.bulk_update(items, ["owner", "status", "finding", "signed_off_by", "signed_off_at"])
    name = f"{deal.reference} audited accounts.pdf"
    content = pdf_bytes(name)
    DealDocument.objects.create(
        deal=deal,
        item=items[0],
        file=ContentFile(content, name="accounts.pdf"),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        uploaded_by=owner,
    )


def _take_to(deal: Deal, plan: Plan, managers) -> list:
    """Move a sourced deal as far as the pipeline lets it go without the committee; return the
    steps still to take after the committee's vote."""
    lead, reviewer = managers
    if plan.note:
        deals.add_note(actor=lead, deal=deal, body=plan.note)
    if plan.stage == Stage.SOURCED:
        return []
    if plan.stage == Stage.DECLINED and plan.reason:
        deals.take_step(actor=lead, deal=deal, name="screen")
        deals.take_step(actor=lead, deal=deal, name="decline", note=plan.reason)
        return []
    deals.take_step(actor=lead, deal=deal, name="screen")
    if plan.stage == Stage.SCREENING:
        return []
    deals.take_step(actor=lead, deal=deal, name="start_diligence")
    _work_checklist(deal, lead, reviewer, signed=plan.stage != Stage.DUE_DILIGENCE)
    if plan.stage == Stage.DUE_DILIGENCE:
        return []
    deals.take_step(actor=lead, deal=deal, name="to_committee")
    return {
        Stage.TERM_SHEET: ["issue_term_sheet"],
        Stage.CLOSING: ["issue_term_sheet", "start_closing"],
        Stage.PORTFOLIO: ["issue_term_sheet", "start_closing", "close"],
    }.get(plan.stage, [])


# --- The committee -------------------------------------------------------------------------------


def _tally(votes: dict, conflicted: int) -> dict:
    counts = {choice: sum(1 for vote, _comment in votes.values() if vote == choice) for choice in VoteChoice.values}
    return {**counts, "conflicted": conflicted, "eligible": len(votes)}


def _put(meeting, deal, order, *, votes: dict, recused=(), outcome=None, conditions=()) -> AgendaItem:
    """``deal`` on ``meeting``'s agenda: each member declared (``recused`` a conflict), voted as
    ``votes`` says ({member: (choice, comment)}), and the vote closed with ``outcome`` (left open
    when ``None``)."""
    item = AgendaItem.objects.create(meeting=meeting, deal=deal, order=order)
    for member in meeting.members.all():
        conflicted = member in recused
        note = "Sits on the board of a competitor's parent company." if conflicted else ""
        ConflictDeclaration.objects.create(item=item, member=member, conflicted=conflicted, note=note)
    for member, (choice, comment) in votes.items():
        Vote.objects.create(item=item, member=member, choice=choice, comment=comment)
    if outcome is not None:
        item.closed_at, item.closed_by, item.outcome = meeting.scheduled_for, meeting.chair, outcome
        item.tally = _tally(votes, len(recused))
        item.save(update_fields=["closed_at", "closed_by", "outcome", "tally"])
    for text in conditions:
        Condition.objects.create(deal=deal, item=item, text=text)
    return item


def _all_approve(members, comment="Within the mandate; the diligence is thorough.") -> dict:
    return dict.fromkeys(members, (VoteChoice.APPROVE, comment))


def _meeting(fund: Fund, members, *, title: str, days_ago: int, location: str, created_by) -> CommitteeMeeting:
    """A meeting of all ``members``, the first of them in the chair."""
    meeting = CommitteeMeeting.objects.create(
        fund=fund,
        title=title,
        scheduled_for=_days_ago(days_ago),
        location=location,
        chair=members[0],
        created_by=created_by,
    )
    meeting.members.set(members)
    return meeting


def seed_meetings(fund: Fund, by_firm: dict, managers, members) -> None:
    first = _meeting(
        fund,
        members,
        title="Investment committee, first closing round",
        days_ago=215,
        location="Hong Kong Science Park, Building 17W, Room 3",
        created_by=managers[0],
    )
    approved = [deal for deal, plan in by_firm.values() if plan.stage in (Stage.PORTFOLIO, Stage.CLOSING)]
    for order, deal in enumerate(approved, start=1):
        _put(first, deal, order, votes=_all_approve(members), outcome=Outcome.APPROVED)
    rejected = by_firm["Hangzhou Fuyang Bio-based Fibre Co., Ltd."][0]
    _put(
        first,
        rejected,
        len(approved) + 1,
        votes={
            members[0]: (VoteChoice.REJECT, "The plant's capex is beyond what the round can fund."),
            members[1]: (VoteChoice.REJECT, "Unit economics depend on subsidies."),
            members[2]: (VoteChoice.APPROVE, "A strong team; worth a smaller ticket."),
            members[3]: (VoteChoice.ABSTAIN, ""),
        },
        outcome=Outcome.REJECTED,
    )
    with transaction.atomic():
        deals.move(deals.lock(rejected), "committee_rejected", actor=None, note=REJECTED_REASON)

    second = _meeting(
        fund,
        members,
        title="Investment committee, spring meeting",
        days_ago=8,
        location="Hangzhou, Binjiang Innovation Centre, Room 1203",
        created_by=managers[1],
    )
    vision = by_firm["Hangzhou Binjiang Vision AI Co., Ltd."][0]
    item = _put(
        second,
        vision,
        1,
        votes={
            members[0]: (VoteChoice.APPROVE_WITH_CONDITIONS, "Only with the key-person clause."),
            members[1]: (VoteChoice.APPROVE, "Design wins are real."),
            members[2]: (VoteChoice.APPROVE_WITH_CONDITIONS, "The IP assignment must be completed first."),
            members[3]: (VoteChoice.APPROVE, ""),
        },
        outcome=Outcome.APPROVED_WITH_CONDITIONS,
        conditions=[
            "The founders' patents are assigned to the company.",
            "A key-person clause covering the CTO is in the shareholders' agreement.",
        ],
    )
    for condition in item.conditions.all():
        committee.mark_condition_met(actor=managers[0], condition=condition, note="Signed documents on file.")
    chips = by_firm["Hangzhou Xiaoshan Chip Design Co., Ltd."][0]
    _put(
        second,
        chips,
        2,
        votes=dict.fromkeys(members[:3], (VoteChoice.APPROVE, "Fair valuation for the traction.")),
        recused=[members[3]],
        outcome=Outcome.APPROVED,
    )
    vaccine = by_firm["Hangzhou Linping Vaccine Bio Co., Ltd."][0]
    _put(
        second,
        vaccine,
        3,
        votes={
            members[0]: (VoteChoice.APPROVE, "Phase II data are encouraging."),
            members[1]: (VoteChoice.ABSTAIN, "I need the phase III budget first."),
        },
        outcome=Outcome.NO_QUORUM,
    )
    adc = by_firm["Hangzhou Shangcheng ADC Pharma Co., Ltd."][0]
    _put(second, adc, 4, votes={members[1]: (VoteChoice.APPROVE, "Best-in-class linker chemistry.")})


# --- Closings, exits and windows -----------------------------------------------------------------


def _close(deal: Deal, manager) -> None:
    amount, rate, instrument, pre_money, ownership, days = CLOSINGS[deal.enterprise.legal_name_en]
    closed_on = timezone.localdate() - datetime.timedelta(days=days)
    with transaction.atomic():
        locked = deals.lock(deal)
        txn = capital.add_transaction(
            fund=locked.fund,
            kind=TransactionKind.INVESTMENT,
            amount=amount,
            fx_rate=Decimal(rate),
            value_date=closed_on,
            actor=manager,
            deal=locked,
            counterparty=locked.enterprise.legal_name_en,
        )
        Investment.objects.create(
            deal=locked,
            kind=InvestmentKind.INITIAL,
            instrument=instrument,
            amount=amount,
            pre_money=Money(pre_money, amount.currency),
            ownership_percent=Decimal(ownership),
            closed_on=closed_on,
            transaction=txn,
            recorded_by=manager,
        )
        deals.move(locked, "close", actor=manager)


def seed_follow_on_and_exit(by_firm: dict, manager) -> None:
    """A follow-on in the cardiac devices company; a partial trade sale of the IoT modules maker."""
    cardiac = by_firm["Hangzhou Xihu Cardiac Devices Co., Ltd."][0]
    iot = by_firm["Hangzhou Binjiang IoT Modules Co., Ltd."][0]
    with transaction.atomic():
        amount = Money("10000000.00", "CNY")
        day = timezone.localdate() - datetime.timedelta(days=30)
        txn = capital.add_transaction(
            fund=cardiac.fund,
            kind=TransactionKind.INVESTMENT,
            amount=amount,
            value_date=day,
            actor=manager,
            deal=cardiac,
        )
        Investment.objects.create(
            deal=cardiac,
            kind=InvestmentKind.FOLLOW_ON,
            instrument="equity",
            amount=amount,
            pre_money=Money("300000000.00", "CNY"),
            ownership_percent=Decimal("17.5"),
            closed_on=day,
            transaction=txn,
            recorded_by=manager,
        )
        proceeds = Money("9600000.00", "CNY")
        day = timezone.localdate() - datetime.timedelta(days=20)
        txn = capital.add_transaction(
            fund=iot.fund,
            kind=TransactionKind.DISTRIBUTION,
            amount=proceeds,
            value_date=day,
            actor=manager,
            deal=iot,
            counterparty="Zhejiang Energy Meter Group",
        )
        Exit.objects.create(
            deal=iot,
            kind=ExitKind.TRADE_SALE,
            proceeds=proceeds,
            stake_sold_percent=Decimal("40"),
            exited_on=day,
            transaction=txn,
            note="A strategic buyer took 40% of the fund's holding at twice the entry price.",
            recorded_by=manager,
        )


def seed_windows(fund: Fund, manager) -> None:
    for firm, name, sought, pre_money, instrument, days, fate in ROUNDS:
        enterprise = Enterprise.objects.get(legal_name_en=firm)
        owner = owner_of(enterprise)
        round_ = rounds.record_round(
            actor=owner,
            enterprise=enterprise,
            name=name,
            amount_sought=Money(sought, "CNY"),
            pre_money=Money(pre_money, "CNY"),
            instrument=instrument,
            closing_target=timezone.localdate() + datetime.timedelta(days=90),
            terms="1x non-participating liquidation preference; one board seat for the lead investor.",
        )
        received = _days_ago(days)
        FinancingRound.objects.filter(pk=round_.pk).update(created_at=received)
        window = PriorityWindow.objects.get(fund=fund, round=round_)
        window.notice_received_at, window.ends_at = received, window_end(fund, enterprise, received)
        if fate != "open":
            window.state = WindowState(fate)
            halfway = received + (window.ends_at - received) / 2
            window.decision, window.ended_by, window.ended_at = DECISIONS[fate], manager, halfway
            if fate == "exercised":
                window.commitment = Money("12000000.00", "CNY")
        window.save()


# --- Dates ---------------------------------------------------------------------------------------


def _spread(changes, start, end) -> None:
    """Date ``changes`` evenly from ``start`` (the first) to ``end`` (the last)."""
    steps = max(len(changes) - 1, 1)
    for index, change in enumerate(changes):
        change.created_at = start + (end - start) * index / steps


def _date(deal: Deal, plan: Plan) -> None:
    """The deal sourced ``plan.age`` days ago and in its stage for ``plan.in_stage`` days, its
    steps spread evenly in between: up to a week before the meeting that decided on it, if any,
    and after that meeting the rest, the last on the day it entered its stage."""
    now = timezone.now()
    sourced, entered = now - datetime.timedelta(days=plan.age), now - datetime.timedelta(days=plan.in_stage)
    changes = list(deal.stage_changes.order_by("created_at", "id"))
    decided = deal.agenda_items.exclude(outcome__in=["", Outcome.NO_QUORUM]).select_related("meeting").first()
    if decided is None:
        _spread(changes, sourced, entered)
    else:
        met = decided.meeting.scheduled_for
        split = next(index for index, change in enumerate(changes) if change.transition == "to_committee") + 1
        _spread(changes[:split], sourced, met - datetime.timedelta(days=7))
        after = changes[split:]
        for index, change in enumerate(after, start=1):
            change.created_at = met + (entered - met) * index / len(after)
    DealStageChange.objects.bulk_update(changes, ["created_at"])
    Deal.objects.filter(pk=deal.pk).update(created_at=sourced, stage_changed_at=entered)
    deal.notes.update(created_at=sourced + (entered - sourced) / 2)


def seed_demo_fund() -> str:
    """``seed_demo``'s seeder: the fund and everything it has done, once."""
    fund, _created = seed_fund()
    if fund.deals.exists():
        return f"Demo fund: 0 deals created, {fund.deals.count()} already present."
    managers, members = _people()
    seed_template()
    seed_capital(fund, managers[0])
    by_firm, after_committee = {}, {}
    for index, plan in enumerate(PLANS):
        deal = _source(plan, fund, managers[index % 2])
        by_firm[deal.enterprise.legal_name_en] = (deal, plan)
        after_committee[deal.pk] = _take_to(deal, plan, managers[index % 2 :] + managers[: index % 2])
    seed_meetings(fund, by_firm, managers, members)
    for deal, _plan in by_firm.values():
        for name in after_committee[deal.pk]:
            if name == "close":
                _close(deal, managers[0])
            else:
                deals.take_step(actor=managers[0], deal=deal, name=name)
    seed_follow_on_and_exit(by_firm, managers[0])
    seed_windows(fund, managers[0])
    for deal, plan in by_firm.values():
        _date(deal, plan)
    return f"Demo fund: {len(PLANS)} deals created, 0 already present."

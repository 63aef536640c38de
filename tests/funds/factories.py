"""The fund for the tests: a fund with its managers and committee, deals moved through the real
services, and the preconditions of later stages (a signed-off checklist, an approval) written
directly where the test is about what comes after them."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from djmoney.money import Money

from funds.models import AgendaItem, CommitteeMeeting, DiligenceArea, DiligenceTemplateItem, Fund, Outcome
from funds.services import committee
from funds.services import deals as deal_services
from funds.services.diligence import upload_documents
from funds.services.portfolio import record_closing
from funds.services.rounds import record_round
from funds.workflow import Stage
from hkhz_portal.accounts.roles import Role, UnitKind
from tests.factories import EnterpriseFactory, UnitFactory, member_of, user_with_role
from tests.files import pdf


def fund_unit():
    return UnitFactory(
        code="test-fund",
        kind=UnitKind.FUND,
        name_en="Transformation Fund",
        name_zh_hans="成果转化基金",
        name_zh_hant="成果轉化基金",
    )


def make_fund(**fields) -> Fund:
    fields = {
        "unit": fund_unit(),
        "slug": "hkhz-fund",
        "name_en": "Hangzhou–Hong Kong Technology Achievement Transformation Fund",
        "name_zh_hans": "杭港科技成果转化基金",
        "name_zh_hant": "杭港科技成果轉化基金",
        "currency": "CNY",
        "target_size": Money("500000000.00", "CNY"),
        "vintage": 2025,
        **fields,
    }
    return Fund.objects.create(**fields)


def manager_of(fund: Fund, **fields):
    user = user_with_role(Role.FUND_MANAGER, **fields)
    user.unit = fund.unit
    user.save(update_fields=["unit"])
    return user


def committee_member_of(fund: Fund, **fields):
    user = user_with_role(Role.COMMITTEE_MEMBER, **fields)
    user.unit = fund.unit
    user.save(update_fields=["unit"])
    return user


def templates() -> list[DiligenceTemplateItem]:
    """One template item per area, and one more in the financial area."""
    rows = [(area, 0, label) for area, label in DiligenceArea.choices]
    rows.append((DiligenceArea.FINANCIAL, 1, "Audited accounts"))
    return DiligenceTemplateItem.objects.bulk_create(
        DiligenceTemplateItem(
            area=area, order=order, title_en=f"{label} review", title_zh_hans="审查", title_zh_hant="審查"
        )
        for area, order, label in rows
    )


def sourced_deal(fund: Fund, manager, *, enterprise=None, summary="Series A for a PD-1 antibody"):
    return deal_services.source_deal(
        actor=manager,
        fund=fund,
        enterprise=enterprise or EnterpriseFactory(),
        summary=summary,
        amount_sought=Money("20000000.00", "CNY"),
    )


def sign_off_checklist(deal, reviewer) -> None:
    """Every checklist item done and signed off (the preconditions of "put to the committee")."""
    deal.checklist.update(status="done", signed_off_by=reviewer, signed_off_at=timezone.now())


def approve(deal, chair, *, outcome=Outcome.APPROVED) -> AgendaItem:
    """A meeting whose closed vote approved ``deal`` (the precondition of the term sheet)."""
    meeting = CommitteeMeeting.objects.create(
        fund=deal.fund, title="Approval", scheduled_for=timezone.now(), chair=chair
    )
    return AgendaItem.objects.create(
        meeting=meeting, deal=deal, closed_at=timezone.now(), closed_by=chair, outcome=outcome
    )


#: The steps, and what must hold before each, that bring a sourced deal to each stage.
PATH = [
    (Stage.SCREENING, "screen"),
    (Stage.DUE_DILIGENCE, "start_diligence"),
    (Stage.COMMITTEE, "to_committee"),
    (Stage.TERM_SHEET, "issue_term_sheet"),
    (Stage.CLOSING, "start_closing"),
]


def deal_at(stage: Stage, fund: Fund, manager, **fields):
    """A deal brought to ``stage`` through the real services (declined: declined from screening;
    portfolio: closed with a recorded initial investment through ``portfolio.record_closing``)."""
    deal = sourced_deal(fund, manager, **fields)
    if stage == Stage.SOURCED:
        return deal
    if stage == Stage.DECLINED:
        deal_services.take_step(actor=manager, deal=deal, name="decline", note="Outside the mandate.")
        deal.refresh_from_db()
        return deal
    for target, name in PATH:
        if name == "to_committee":
            sign_off_checklist(deal, manager)
        if name == "issue_term_sheet":
            approve(deal, manager)
        deal_services.take_step(actor=manager, deal=deal, name=name)
        deal.refresh_from_db()
        if target == stage:
            return deal
    close(deal, manager)
    deal.refresh_from_db()
    return deal


def close(deal, manager, *, amount="10000000.00", currency="CNY", fx_rate="1", ownership="12.5", **fields):
    """``deal`` (at closing) closed through ``portfolio.record_closing``: an equity investment."""
    return record_closing(
        actor=manager,
        deal=deal,
        amount=Money(amount, currency),
        fx_rate=Decimal(fx_rate),
        instrument=fields.pop("instrument", "equity"),
        pre_money=fields.pop("pre_money", Money("70000000.00", currency)),
        ownership_percent=Decimal(ownership),
        closed_on=fields.pop("closed_on", investment_date()),
        **fields,
    )


def investment_date() -> datetime.date:
    return datetime.date(2026, 6, 30)


def recorded_round(enterprise, member, *, pre_money="80000000.00", amount="20000000.00", currency="CNY", **fields):
    """A round recorded through the service by ``member`` of ``enterprise``: each fund's window opens."""
    fields = {
        "name": "Series A",
        "instrument": "equity",
        "closing_target": datetime.date.today() + datetime.timedelta(days=90),
        "terms": "1x non-participating liquidation preference.",
        **fields,
    }
    return record_round(
        actor=member,
        enterprise=enterprise,
        amount_sought=Money(amount, currency),
        pre_money=Money(pre_money, currency),
        **fields,
    )


def another_fund() -> Fund:
    """A second fund, in a unit of its own: its managers see nothing of the first."""
    unit = UnitFactory(code="other-fund", kind=UnitKind.FUND, name_en="Other Fund")
    return make_fund(unit=unit, slug="other-fund", name_en="Other Fund")


def documents_for(deal, manager, count: int, *, item=None) -> list:
    """``count`` real PDFs added to ``deal``'s file through the service (evidence of ``item``)."""
    uploads = [SimpleUploadedFile(f"report-{n}.pdf", pdf(), content_type="application/pdf") for n in range(count)]
    return upload_documents(actor=manager, deal=deal, uploads=uploads, item=item)


def open_window(fund: Fund, *, enterprise=None, **round_fields):
    """``fund``'s open window on a round just recorded by a member of ``enterprise`` (a new one by default)."""
    enterprise = enterprise or EnterpriseFactory()
    round_ = recorded_round(enterprise, member_of(enterprise), **round_fields)
    return round_.windows.select_related("round__enterprise", "fund").get(fund=fund)


def ending_in(window, delta: datetime.timedelta):
    """The window, its end moved to ``delta`` from now (past when negative)."""
    window.ends_at = timezone.now() + delta
    window.save(update_fields=["ends_at"])
    return window


def convened(fund: Fund, manager, members, *deals, chair=None, title="Investment committee", **fields):
    """A meeting of ``members`` (chaired by the first, unless ``chair``) convened by ``manager``
    through the service, with ``deals`` on its agenda."""
    meeting = committee.convene_meeting(
        actor=manager,
        fund=fund,
        title=title,
        scheduled_for=fields.pop("scheduled_for", timezone.now() + datetime.timedelta(days=7)),
        chair=chair or members[0],
        members=members,
        **fields,
    )
    for deal in deals:
        committee.add_to_agenda(actor=manager, meeting=meeting, deal=deal)
    return meeting


def requested(fund: Fund, member, enterprise, *, summary="We seek a Series A to run our phase II trial."):
    """``member``'s request that ``fund`` invest in ``enterprise``, through the service."""
    return deal_services.request_investment(
        actor=member, fund=fund, enterprise=enterprise, summary=summary, amount_sought=Money("15000000.00", "CNY")
    )


def ended(window, state, *, commitment=None, decision="Not within the fund's mandate this year.", by=None):
    """``window`` ended as ``state`` (written directly: the test is about what the enterprise sees)."""
    window.state = state
    window.ended_at = timezone.now()
    window.ended_by = by
    window.decision = decision
    window.commitment = commitment
    window.save()
    return window

"""The fund in the admin site: every page renders in each language; the fund and the
due-diligence template are edited; the ledger, deals, meetings, rounds and windows are shown
only; no vote is shown; the lists take the same queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djmoney.money import Money

from enterprises.choices import MemberRole
from funds.models import (
    CapitalTransaction,
    Deal,
    DiligenceTemplateItem,
    FinancingRound,
    PriorityWindow,
    TransactionKind,
    Vote,
    VoteChoice,
)
from funds.services import capital
from funds.workflow import Stage
from hkhz_portal.accounts.models import Unit
from tests.admin_forms import form_data
from tests.factories import EnterpriseFactory, member_of

from .factories import approve, deal_at, recorded_round

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "zh-hans", "zh-hant")


@pytest.fixture
def world(fund, manager, members, checklist_templates):
    """A deal at the term sheet, approved by a meeting whose vote closed (with a vote cast), the
    fund's capital, and a round with its window."""
    deal = deal_at(Stage.TERM_SHEET, fund, manager)
    item = deal.agenda_items.get()
    Vote.objects.create(item=item, member=members[0], choice=VoteChoice.APPROVE, comment="Strong team, says the chair.")
    capital.record_capital(
        actor=manager,
        fund=fund,
        kind=TransactionKind.COMMITMENT,
        amount=Money("100000000.00", "HKD"),
        fx_rate="0.92",
        value_date=deal.created_at.date(),
        counterparty="Hong Kong Investment Corporation",
    )
    enterprise = EnterpriseFactory()
    round_ = recorded_round(enterprise, member_of(enterprise, MemberRole.OWNER))
    return {
        "deal": deal,
        "meeting": item.meeting,
        "transaction": CapitalTransaction.objects.get(),
        "round": round_,
        "window": PriorityWindow.objects.get(round=round_),
    }


def pages(world, fund, template):
    """(model, id of one of its objects, whether it is edited here)."""
    return [
        ("fund", fund.pk, True),
        ("diligencetemplateitem", template.pk, True),
        ("capitaltransaction", world["transaction"].pk, False),
        ("deal", world["deal"].pk, False),
        ("committeemeeting", world["meeting"].pk, False),
        ("financinground", world["round"].pk, False),
        ("prioritywindow", world["window"].pk, False),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_fund_page_renders_in_each_language(admin_site, world, fund, checklist_templates, language):
    admin_site.cookies["django_language"] = language
    for model, pk, edited in pages(world, fund, checklist_templates[0]):
        for url in (reverse(f"admin:funds_{model}_changelist"), reverse(f"admin:funds_{model}_change", args=[pk])):
            response = admin_site.get(url)
            assert response.status_code == 200, url
            assert response.headers["Content-Language"] == language
        assert admin_site.get(reverse(f"admin:funds_{model}_add")).status_code == (200 if edited else 403), model


def test_a_deal_is_shown_with_its_timeline_and_checklist_and_changes_only_through_the_services(admin_site, world):
    deal = world["deal"]
    url = reverse("admin:funds_deal_change", args=[deal.pk])
    page = admin_site.get(url).content.decode()
    assert deal.reference in page
    assert "issue_term_sheet" in page and "start_diligence" in page  # the timeline
    assert "Audited accounts review" in page  # the checklist
    assert admin_site.post(url, {"stage": "declined"}).status_code == 403
    assert admin_site.post(reverse("admin:funds_deal_delete", args=[deal.pk]), {"post": "yes"}).status_code == 403
    assert Deal.objects.get(pk=deal.pk).stage == Stage.TERM_SHEET


def test_a_meeting_shows_its_outcomes_but_never_a_vote(admin_site, world):
    page = admin_site.get(reverse("admin:funds_committeemeeting_change", args=[world["meeting"].pk])).content.decode()
    assert world["deal"].reference in page and "Approved" in page
    assert "Strong team, says the chair." not in page
    assert "/funds/vote/" not in admin_site.get(reverse("admin:index")).content.decode()


def test_the_ledger_and_the_windows_are_shown_only(admin_site, world):
    txn = world["transaction"]
    page = admin_site.get(reverse("admin:funds_capitaltransaction_change", args=[txn.pk])).content.decode()
    assert "Hong Kong Investment Corporation" in page and "92000000.00" in page.replace(",", "")
    url = reverse("admin:funds_capitaltransaction_change", args=[txn.pk])
    assert admin_site.post(url, {"fx_rate": "1"}).status_code == 403
    window = world["window"]
    url = reverse("admin:funds_prioritywindow_change", args=[window.pk])
    assert world["round"].enterprise.legal_name_en in admin_site.get(url).content.decode()
    assert admin_site.post(url, {"state": "exercised"}).status_code == 403
    assert PriorityWindow.objects.get(pk=window.pk).state == "open"


def test_the_fund_and_the_template_are_edited(admin_site, fund, checklist_templates):
    url = reverse("admin:funds_fund_change", args=[fund.pk])
    data = form_data(admin_site.get(url), "fund_form")
    data.update(quorum="4", majority_percent="66", window_days="20", window_business_days="on")
    assert admin_site.post(url, data).status_code == 302
    fund.refresh_from_db()
    assert (fund.quorum, fund.majority_percent, fund.window_days, fund.window_business_days) == (4, 66, 20, True)

    add = reverse("admin:funds_diligencetemplateitem_add")
    data = form_data(admin_site.get(add), "diligencetemplateitem_form")
    data.update(
        area="ip",
        order="2",
        title_en="Freedom to operate",
        title_zh_hans="自由实施分析",
        title_zh_hant="自由實施分析",
        is_active="on",
    )
    assert admin_site.post(add, data).status_code == 302
    assert DiligenceTemplateItem.objects.filter(area="ip", title_zh_hant="自由實施分析").exists()


def test_the_fund_is_only_given_to_a_fund_unit(admin_site, fund):
    page = admin_site.get(reverse("admin:funds_fund_add")).content.decode()
    assert f'value="{fund.unit.pk}"' in page
    others = Unit.objects.exclude(kind="fund")
    assert all(f'value="{unit.pk}"' not in page for unit in others)


def queries(admin_site, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert admin_site.get(url).status_code == 200
    return len(captured)


def test_the_lists_take_the_same_queries_for_one_row_and_for_many(admin_site, world, fund, manager):
    urls = [
        reverse(f"admin:funds_{model}_changelist")
        for model in ("deal", "capitaltransaction", "committeemeeting", "financinground", "prioritywindow")
    ]
    before = [queries(admin_site, url) for url in urls]
    for _ in range(3):
        deal = deal_at(Stage.SCREENING, fund, manager)
        approve(deal, manager)
        enterprise = EnterpriseFactory()
        recorded_round(enterprise, member_of(enterprise, MemberRole.OWNER))
        capital.record_capital(
            actor=manager,
            fund=fund,
            kind=TransactionKind.CALL,
            amount=Money("1000000.00", "CNY"),
            value_date=deal.created_at.date(),
            counterparty="LP",
        )
    assert FinancingRound.objects.count() == 4
    assert [queries(admin_site, url) for url in urls] == before

"""The portfolio: closing a deal (its investment and capital, the deal a portfolio company),
follow-ons and exits, commitments and calls; the fund's figures from transactions in two
currencies exact to the cent; the page with its chart and companies, its query count flat, and
refused to anyone but the fund's managers."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from djmoney.money import Money

from funds.models import CapitalTransaction, Exit, Investment, TransactionKind
from funds.services import portfolio
from funds.services.capital import figures, record_capital
from funds.workflow import Stage
from hkhz_portal.core.errors import DomainError

from .factories import close, committee_member_of, deal_at, investment_date, manager_of

pytestmark = pytest.mark.django_db

PORTFOLIO = reverse("funds:portfolio")
DAY = investment_date()


@pytest.fixture(autouse=True)
def _checklist(checklist_templates):
    """Every deal here goes through due diligence."""


def commit(fund, manager, amount, currency="CNY", rate="1", day=DAY, kind=TransactionKind.COMMITMENT):
    return record_capital(
        actor=manager, fund=fund, kind=kind, amount=Money(amount, currency), fx_rate=Decimal(rate), value_date=day
    )


def test_figures_from_two_currencies_are_exact_to_the_cent(fund, manager):
    commit(fund, manager, "100000000.00")
    commit(fund, manager, "33333333.33", "HKD", "0.91234567")
    commit(fund, manager, "1000.01", "HKD", "0.9125", kind=TransactionKind.CALL)
    close(deal_at(Stage.CLOSING, fund, manager), manager, amount="1234567.89", currency="USD", fx_rate="7.1234")
    result = figures(fund)
    # 33,333,333.33 × 0.91234567 = 30,411,522.3302… → 30,411,522.33; 1,000.01 × 0.9125 = 912.509125 → 912.51;
    # 1,234,567.89 × 7.1234 = 8,794,320.907626 → 8,794,320.91: each converted once, then summed.
    assert result.committed == Money("130411522.33", "CNY")
    assert result.called == Money("912.51", "CNY")
    assert result.invested == Money("8794320.91", "CNY")
    assert result.remaining == Money("121617201.42", "CNY")
    assert result.uncalled == Money("130410609.82", "CNY")


def test_closing_records_the_investment_its_capital_and_the_stage(fund, manager):
    deal = deal_at(Stage.CLOSING, fund, manager)
    investment = close(deal, manager, amount="500000.00", currency="HKD", fx_rate="0.92")
    deal.refresh_from_db()
    assert deal.stage == Stage.PORTFOLIO
    assert investment.kind == "initial" and investment.ownership_percent == Decimal("12.5")
    txn = investment.transaction
    assert (txn.kind, txn.fund_amount, txn.deal) == (TransactionKind.INVESTMENT, Decimal("460000.00"), deal)
    assert deal.stage_changes.last().transition == "close"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pre_money": None}, "pre_money"),
        ({"pre_money": Money("1", "USD")}, "pre_money"),
        ({"ownership_percent": Decimal("0")}, "ownership_percent"),
        ({"ownership_percent": Decimal("100.5")}, "ownership_percent"),
        ({"closed_on": datetime.date.today() + datetime.timedelta(days=2)}, "closed_on"),
        ({"instrument": "loan"}, "instrument"),
        ({"fx_rate": Decimal("7")}, "fx_rate"),
    ],
)
def test_a_closing_with_bad_terms_is_refused_and_nothing_is_recorded(fund, manager, fields, field):
    deal = deal_at(Stage.CLOSING, fund, manager)
    terms = {
        "amount": Money("1000000", "CNY"),
        "instrument": "equity",
        "pre_money": Money("9000000", "CNY"),
        "ownership_percent": Decimal("10"),
        "closed_on": DAY,
        **fields,
    }
    with pytest.raises(DomainError) as refused:
        portfolio.record_closing(actor=manager, deal=deal, **terms)
    assert refused.value.field == field and refused.value.status == 400
    deal.refresh_from_db()
    assert deal.stage == Stage.CLOSING
    assert not CapitalTransaction.objects.exists() and not Investment.objects.exists()


def test_a_safe_closes_without_a_valuation(fund, manager):
    deal = deal_at(Stage.CLOSING, fund, manager)
    investment = close(deal, manager, instrument="safe", pre_money=None)
    assert investment.pre_money is None


@pytest.mark.parametrize("stage", [Stage.TERM_SHEET, Stage.PORTFOLIO, Stage.DECLINED])
def test_a_deal_not_at_closing_is_not_closed(fund, manager, stage):
    deal = deal_at(stage, fund, manager)
    count = Investment.objects.count()
    with pytest.raises(DomainError) as refused:
        close(deal, manager)
    assert refused.value.status == 409
    assert Investment.objects.count() == count


def test_only_a_manager_of_the_fund_closes(fund, manager, members):
    deal = deal_at(Stage.CLOSING, fund, manager)
    with pytest.raises(DomainError) as refused:
        close(deal, members[0])
    assert refused.value.status == 403


def test_follow_ons_and_exits_change_ownership_and_proceeds_on_the_page(signed_in, fund, manager):
    deal = deal_at(Stage.PORTFOLIO, fund, manager)
    response = signed_in.post(
        reverse("funds:follow_on", args=[deal.reference]),
        {
            "amount": "2000000",
            "currency": "CNY",
            "fx_rate": "1",
            "instrument": "equity",
            "pre_money": "120000000",
            "ownership_percent": "14",
            "closed_on": "2026-09-01",
        },
    )
    assert response.status_code == 302
    response = signed_in.post(
        reverse("funds:record_exit", args=[deal.reference]),
        {
            "kind": "secondary",
            "stake_sold_percent": "25",
            "proceeds": "100000",
            "currency": "USD",
            "fx_rate": "7.2",
            "exited_on": "2026-10-01",
        },
    )
    assert response.status_code == 302
    page = signed_in.get(response.url).text
    assert "CNY 12,000,000.00" in page  # invested: 10 M at closing + 2 M follow-on
    assert "10.50%" in page  # 14 % less a quarter sold
    assert "CNY 720,000.00" in page  # proceeds
    assert figures(fund).distributed == Money("720000.00", "CNY")


def test_a_write_off_ends_the_holding(fund, manager):
    deal = deal_at(Stage.PORTFOLIO, fund, manager)
    with pytest.raises(DomainError) as refused:
        portfolio.record_exit(
            actor=manager,
            deal=deal,
            kind="write_off",
            stake_sold_percent=Decimal(100),
            exited_on=DAY,
            proceeds=Money("5", "CNY"),
        )
    assert refused.value.field == "proceeds"
    written_off = portfolio.record_exit(
        actor=manager, deal=deal, kind="write_off", stake_sold_percent=Decimal(50), exited_on=DAY
    )
    assert written_off.transaction is None and written_off.stake_sold_percent == 100
    with pytest.raises(DomainError) as refused:
        portfolio.record_exit(
            actor=manager,
            deal=deal,
            kind="trade_sale",
            stake_sold_percent=Decimal(10),
            exited_on=DAY,
            proceeds=Money("5", "CNY"),
        )
    assert refused.value.status == 409
    assert Exit.objects.count() == 1


def test_the_page_offers_follow_ons_and_exits_until_the_fund_has_left(signed_in, fund, manager):
    deal = deal_at(Stage.PORTFOLIO, fund, manager)
    follow_on = reverse("funds:follow_on", args=[deal.reference])
    exit_page = reverse("funds:record_exit", args=[deal.reference])
    portfolio.record_exit(
        actor=manager,
        deal=deal,
        kind="trade_sale",
        stake_sold_percent=Decimal(40),
        exited_on=DAY,
        proceeds=Money("5000000", "CNY"),
    )
    page = signed_in.get(reverse("funds:portfolio")).text
    assert follow_on in page and exit_page in page  # a partial exit leaves a holding
    portfolio.record_exit(actor=manager, deal=deal, kind="write_off", stake_sold_percent=Decimal(100), exited_on=DAY)
    page = signed_in.get(reverse("funds:portfolio")).text
    assert follow_on not in page and "Exited" in page
    assert "The fund has left this company entirely." in signed_in.get(follow_on).text


def test_a_deal_not_in_the_portfolio_takes_no_follow_on(signed_in, fund, manager):
    deal = deal_at(Stage.CLOSING, fund, manager)
    page = signed_in.get(reverse("funds:follow_on", args=[deal.reference]))
    assert "Only a portfolio company takes follow-ons and exits." in page.text
    assert 'class="form card"' not in page.text
    response = signed_in.post(reverse("funds:record_exit", args=[deal.reference]), {"kind": "ipo"})
    assert response.status_code == 409
    assert not Exit.objects.exists()


def test_the_closing_form_closes_the_deal_and_shows_mistakes(signed_in, fund, manager):
    deal = deal_at(Stage.CLOSING, fund, manager)
    url = reverse("funds:record_closing", args=[deal.reference])
    form = {
        "expected_stage": "closing",
        "amount": "3000000",
        "currency": "CNY",
        "fx_rate": "1",
        "instrument": "equity",
        "ownership_percent": "5",
        "closed_on": "2026-11-02",
    }
    response = signed_in.post(url, form)
    assert response.status_code == 400
    assert "Enter the pre-money valuation of an equity investment." in response.text
    response = signed_in.post(url, {**form, "pre_money": "57000000"})
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.stage == Stage.PORTFOLIO
    assert f"{deal.reference} is closed" in signed_in.get(response.url).text


def test_a_manager_records_capital_and_the_chart_draws_it(signed_in, fund, manager):
    url = f"{reverse('funds:record_capital')}?fund={fund.slug}"
    response = signed_in.post(
        url, {"kind": "commitment", "amount": "50000000", "currency": "CNY", "fx_rate": "1", "value_date": "2026-01-15"}
    )
    assert response.status_code == 302
    bad = signed_in.post(
        url, {"kind": "investment", "amount": "5", "currency": "CNY", "fx_rate": "1", "value_date": "2026-01-15"}
    )
    assert bad.status_code == 400
    close(deal_at(Stage.CLOSING, fund, manager), manager)
    page = signed_in.get(PORTFOLIO).text
    assert 'id="chart-capital"' in page and "<polyline" in page
    assert "2026-01-15" in page and "2026-06-30" in page
    assert "50,000,000.00" in page and "10,000,000.00" in page


def test_the_portfolio_is_the_fund_managers_alone(client, fund, manager):
    deal = deal_at(Stage.PORTFOLIO, fund, manager)
    client.force_login(committee_member_of(fund))
    assert client.get(PORTFOLIO).status_code == 403
    assert client.get(reverse("funds:follow_on", args=[deal.reference])).status_code == 403
    assert client.get(reverse("funds:record_capital")).status_code == 403
    from hkhz_portal.accounts.roles import UnitKind
    from tests.factories import UnitFactory

    from .factories import make_fund

    other = make_fund(unit=UnitFactory(code="other-fund", kind=UnitKind.FUND), slug="other-fund")
    client.force_login(manager_of(other))
    assert client.get(reverse("funds:record_exit", args=[deal.reference])).status_code == 404
    assert client.get(f"{PORTFOLIO}?fund={fund.slug}").status_code == 404


def test_the_portfolios_query_count_does_not_grow_with_its_companies(
    signed_in, fund, manager, django_assert_max_num_queries
):
    def add_company():
        deal = deal_at(Stage.PORTFOLIO, fund, manager)
        portfolio.record_exit(
            actor=manager,
            deal=deal,
            kind="secondary",
            stake_sold_percent=Decimal(10),
            exited_on=DAY,
            proceeds=Money("100", "CNY"),
        )
        commit(fund, manager, "1000")

    add_company()
    with django_assert_max_num_queries(30) as few:
        assert signed_in.get(PORTFOLIO).status_code == 200
    for _ in range(5):
        add_company()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert signed_in.get(PORTFOLIO).status_code == 200

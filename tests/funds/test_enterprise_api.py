"""The fund's API: an enterprise's rounds (its members only, never keys) and the funds' figures
for ``stats:read`` (capital exact to the cent from two currencies, counts suppressed as the
statistics tables publish them). Who reaches each endpoint: ``tests/accounts/test_api_matrix.py``."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from djmoney.money import Money

from funds.models import PriorityWindow, TransactionKind, WindowState
from funds.services import capital
from funds.workflow import Stage
from hkhz_portal.accounts.api_keys import Scope
from tests.factories import EnterpriseFactory, PartnerOrganisationFactory, member_of
from tests.programs.test_partner_api import accounts_key, bearer

from .factories import deal_at, ended, recorded_round

pytestmark = pytest.mark.django_db


def rounds_url(enterprise):
    return f"/api/v1/enterprises/{enterprise.reference}/rounds/"


ROUND = {
    "name": "Series A",
    "amount_sought": {"amount": "20000000.00", "currency": "CNY"},
    "pre_money": {"amount": "80000000.00", "currency": "CNY"},
    "instrument": "equity",
    "terms": "One board seat.",
}


def closing(days=60):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_a_member_records_a_round_and_reads_the_funds_window(client, fund, member, enterprise):
    client.force_login(member)

    made = client.post(rounds_url(enterprise), {**ROUND, "closing_target": closing()}, content_type="application/json")

    assert made.status_code == 201, made.content
    body = made.json()
    assert made["Location"] == body["url"]
    window = PriorityWindow.objects.get()
    assert body["windows"] == [
        {
            "fund": {"slug": fund.slug, "name": fund.name},
            "state": "open",
            "state_label": "Open",
            "notice_received_at": body["windows"][0]["notice_received_at"],
            "ends_at": body["windows"][0]["ends_at"],
            "last_day": (timezone.localdate(window.ends_at) - datetime.timedelta(days=1)).isoformat(),
            "ended_at": None,
            "commitment": None,
            "revived": False,
        }
    ]
    assert client.get(made["Location"]).json() == body
    assert client.get(rounds_url(enterprise)).json()["results"] == [body]


def test_an_exercised_window_shows_the_commitment_and_never_the_decision(client, fund, member, enterprise):
    round_ = recorded_round(enterprise, member)
    commitment = Money("7500000.00", "CNY")
    ended(round_.windows.get(), WindowState.EXERCISED, commitment=commitment, decision="Chair doubts the CFO")
    client.force_login(member)

    response = client.get(f"{rounds_url(enterprise)}{round_.pk}/")

    window = response.json()["windows"][0]
    assert (window["state"], window["commitment"]) == ("exercised", {"amount": "7500000.00", "currency": "CNY"})
    assert "Chair doubts" not in response.content.decode()


def test_a_round_in_the_past_is_refused_and_consent_is_needed(client, fund, enterprise):
    client.force_login(member_of(enterprise))
    past = client.post(
        rounds_url(enterprise), {**ROUND, "closing_target": closing(-1)}, content_type="application/json"
    )
    assert (past.status_code, past.json()["type"]) == (400, "past_closing")

    client.force_login(member_of(enterprise, consent=False))
    refused = client.post(
        rounds_url(enterprise), {**ROUND, "closing_target": closing()}, content_type="application/json"
    )
    assert (refused.status_code, refused.json()["type"]) == (403, "consent_required")


def test_another_enterprises_rounds_are_not_found(client, fund, member, enterprise):
    other = EnterpriseFactory()
    theirs = recorded_round(other, member_of(other))
    client.force_login(member)

    assert client.get(rounds_url(other)).status_code == 404
    assert client.get(f"{rounds_url(enterprise)}{theirs.pk}/").status_code == 404
    assert client.get(rounds_url(enterprise)).json()["results"] == []


def test_a_key_is_told_rounds_are_not_shared_with_partners(client, fund, member, enterprise):
    headers = bearer(accounts_key(PartnerOrganisationFactory(), list(Scope.values)))

    response = client.get(rounds_url(enterprise), **headers)

    assert (response.status_code, response.json()["type"]) == (403, "not_shared_with_partners")


def test_the_round_list_reads_in_the_same_queries_for_more_rounds(
    client, fund, member, enterprise, django_assert_max_num_queries
):
    client.force_login(member)

    def count():
        with django_assert_max_num_queries(99) as queries:
            assert client.get(rounds_url(enterprise)).status_code == 200
        return len(queries)

    recorded_round(enterprise, member)
    few = count()
    for n in range(6):
        recorded_round(enterprise, member, name=f"Round {n}")
    assert count() == few


# --- The figures ----------------------------------------------------------------------------------------


def test_the_figures_sum_two_currencies_to_the_cent(client, fund, manager):
    day = datetime.date(2026, 3, 31)
    capital.record_capital(
        actor=manager, fund=fund, kind=TransactionKind.COMMITMENT, amount=Money("100000000.00", "CNY"), value_date=day
    )
    capital.record_capital(
        actor=manager,
        fund=fund,
        kind=TransactionKind.COMMITMENT,
        amount=Money("10000000.01", "HKD"),
        fx_rate=Decimal("0.92345678"),
        value_date=day,
    )
    capital.record_capital(
        actor=manager, fund=fund, kind=TransactionKind.CALL, amount=Money("25000000.00", "CNY"), value_date=day
    )
    headers = bearer(accounts_key(PartnerOrganisationFactory(), [Scope.STATS_READ]))

    response = client.get("/api/v1/fund/figures/", **headers)

    assert response.status_code == 200
    [figures] = response.json()
    # 10,000,000.01 HKD × 0.92345678 = 9,234,567.80923… → 9,234,567.81 CNY.
    assert figures["committed"] == {"amount": "109234567.81", "currency": "CNY"}
    assert figures["called"] == {"amount": "25000000.00", "currency": "CNY"}
    assert figures["uncalled"] == {"amount": "84234567.81", "currency": "CNY"}
    assert figures["remaining"] == {"amount": "109234567.81", "currency": "CNY"}
    assert figures["target_size"] == {"amount": "500000000.00", "currency": "CNY"}


def test_the_figures_count_deals_and_windows_with_small_counts_suppressed(client, fund, manager):
    for _ in range(6):
        deal_at(Stage.SOURCED, fund, manager)
    deal_at(Stage.DECLINED, fund, manager)
    for _ in range(5):
        deal_at(Stage.SCREENING, fund, manager)
    enterprise = EnterpriseFactory()
    recorded_round(enterprise, member_of(enterprise))
    client.force_login(member_of(EnterpriseFactory()))

    [figures] = client.get("/api/v1/fund/figures/").json()

    by_stage = {row["stage"]: (row["count"], row["suppressed"]) for row in figures["deals_by_stage"]}
    # The declined deal alone is withheld, and screening (the next smallest) so that the total
    # minus the published cells does not give it away.
    assert by_stage == {"sourced": (6, False), "screening": (None, True), "declined": (None, True)}
    assert figures["windows_by_state"] == [{"state": "open", "label": "Open", "count": None, "suppressed": True}]
    table = client.get("/api/v1/stats/deals/fund-stage/").json()
    assert ([row["count"] for row in table["rows"]], table["total"]["count"]) == ([6, None, None], 12)

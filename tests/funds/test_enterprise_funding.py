"""The enterprise's side of the fund: asking a fund to invest (the service and the page), the
funding page's statuses and windows, recording a round, a round's page with its offers, and the
applicant's dashboard panel. What the fund keeps to itself (notes, checklist, votes, window
decisions) never reaches these pages: ``test_enterprise_privacy.py``."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from funds.models import Deal, FinancingRound, PriorityWindow, WindowState
from funds.services import deals as deal_services
from funds.workflow import Source, Stage
from hkhz_portal.core.errors import DomainError
from tests.factories import EnterpriseFactory, member_of

from .factories import deal_at, ended, recorded_round, requested

pytestmark = pytest.mark.django_db


def funding_url(enterprise):
    return reverse("funds:enterprise_funding", args=[enterprise.reference])


# --- Asking a fund to invest ------------------------------------------------------------------------


def test_a_members_request_reaches_the_pipeline_at_sourced(fund, member, enterprise):
    deal = requested(fund, member, enterprise)

    assert (deal.stage, deal.source, deal.requested_by, deal.lead) == (Stage.SOURCED, Source.REQUEST, member, None)
    assert deal.reference.startswith("DEAL-")


def test_only_the_enterprises_members_ask_for_it(fund, enterprise):
    stranger = member_of(EnterpriseFactory())

    with pytest.raises(DomainError) as refused:
        requested(fund, stranger, enterprise)

    assert refused.value.status == 403
    assert not Deal.objects.exists()


def test_a_request_needs_the_members_consent(fund, enterprise):
    with pytest.raises(DomainError) as refused:
        requested(fund, member_of(enterprise, consent=False), enterprise)

    assert refused.value.code == "consent_required"


def test_one_open_request_per_fund_and_a_new_one_once_declined(fund, member, enterprise, manager):
    first = requested(fund, member, enterprise)
    with pytest.raises(DomainError) as refused:
        requested(fund, member, enterprise)
    assert refused.value.status == 409

    deal_services.take_step(actor=manager, deal=first, name="decline", note="Too early for us.")
    assert requested(fund, member, enterprise).pk != first.pk


@pytest.mark.parametrize(
    ("summary", "amount", "field"), [(" ", None, "summary"), ("Why", Money(0, "CNY"), "amount_sought")]
)
def test_a_request_says_what_it_is_for_and_an_amount_above_zero(fund, member, enterprise, summary, amount, field):
    with pytest.raises(DomainError) as refused:
        deal_services.request_investment(
            actor=member, fund=fund, enterprise=enterprise, summary=summary, amount_sought=amount
        )

    assert (refused.value.status, refused.value.field) == (400, field)


def test_the_request_form_sends_it_and_the_funding_page_shows_it_received(client, fund, member, enterprise):
    client.force_login(member)
    url = reverse("funds:request_investment", args=[enterprise.reference])
    assert "Ask the fund to invest" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "fund": fund.pk,
            "summary": "Our phase II trial.",
            "amount_sought_0": "15000000",
            "amount_sought_1": "CNY",
        },
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == funding_url(enterprise)
    assert "Your request for investment is sent to the fund." in page
    assert Deal.objects.get().reference in page
    assert "Received" in page and "Our phase II trial." in page


def test_a_bad_request_shows_on_the_form_and_a_second_is_told_one_is_open(client, fund, member, enterprise):
    client.force_login(member)
    url = reverse("funds:request_investment", args=[enterprise.reference])

    blank = client.post(url, {"fund": fund.pk, "summary": ""})
    assert blank.status_code == 400
    assert not Deal.objects.exists()

    requested(fund, member, enterprise)
    again = client.post(url, {"fund": fund.pk, "summary": "Again"}, follow=True)
    assert "already has a deal in the fund" in again.content.decode()
    assert Deal.objects.count() == 1


# --- The funding page ---------------------------------------------------------------------------------


def test_each_request_shows_as_the_enterprise_may_read_it(client, fund, manager, member, checklist_templates):
    enterprises = [EnterpriseFactory() for _ in range(4)]
    for each in enterprises:
        each.memberships.create(user=member, role="member")
    received = deal_at(Stage.SCREENING, fund, manager, enterprise=enterprises[0])
    considered = deal_at(Stage.COMMITTEE, fund, manager, enterprise=enterprises[1])
    invested = deal_at(Stage.CLOSING, fund, manager, enterprise=enterprises[2])
    Deal.objects.filter(pk=invested.pk).update(stage=Stage.PORTFOLIO)
    declined = requested(fund, member, enterprises[3])
    deal_services.take_step(actor=manager, deal=declined, name="decline", note="Outside our therapeutic focus.")
    client.force_login(member)

    pages = {deal: client.get(funding_url(deal.enterprise)).content.decode() for deal in (received, considered)}
    pages[invested] = client.get(funding_url(enterprises[2])).content.decode()
    pages[declined] = client.get(funding_url(enterprises[3])).content.decode()

    assert "fund-status-received" in pages[received]
    assert "fund-status-under_consideration" in pages[considered]
    assert "Investment committee" not in pages[considered]
    assert "fund-status-invested" in pages[invested]
    assert "fund-status-declined" in pages[declined]
    assert "Outside our therapeutic focus." in pages[declined]


def test_the_funds_own_summary_of_a_deal_it_sourced_is_not_shown(client, fund, manager, member, enterprise):
    deal_at(Stage.SOURCED, fund, manager, enterprise=enterprise, summary="Cheap entry: founders need cash fast.")
    client.force_login(member)

    page = client.get(funding_url(enterprise)).content.decode()

    assert "fund-status-received" in page
    assert "Cheap entry" not in page


@pytest.mark.parametrize("who", ["stranger", "manager", "anonymous"])
def test_another_enterprises_funding_pages_are_not_found(client, fund, manager, member, enterprise, who):
    round_ = recorded_round(enterprise, member)
    if who == "stranger":
        client.force_login(member_of(EnterpriseFactory()))
    elif who == "manager":
        client.force_login(manager)
    ref = enterprise.reference
    urls = [
        funding_url(enterprise),
        reverse("funds:request_investment", args=[ref]),
        reverse("funds:new_round", args=[ref]),
        reverse("funds:round", args=[ref, round_.pk]),
    ]

    for url in urls:
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "login" in response["Location"]
        else:
            assert response.status_code == 404, url


def test_a_round_of_another_enterprise_is_not_found_under_ones_own(client, fund, member, enterprise):
    other = EnterpriseFactory()
    theirs = recorded_round(other, member_of(other))
    client.force_login(member)

    assert client.get(reverse("funds:round", args=[enterprise.reference, theirs.pk])).status_code == 404
    assert client.post(reverse("funds:round", args=[enterprise.reference, theirs.pk]), {}).status_code == 404


def test_the_funding_page_reads_in_the_same_queries_for_more_rounds_and_requests(
    client, fund, member, enterprise, django_assert_max_num_queries
):
    client.force_login(member)

    def count(rounds):
        with django_assert_max_num_queries(99) as queries:
            assert client.get(funding_url(enterprise)).status_code == 200
        return len(queries)

    requested(fund, member, enterprise)
    recorded_round(enterprise, member)
    few = count(1)
    for n in range(8):
        round_ = recorded_round(enterprise, member, name=f"Round {n}")
        round_.offers.create(amount=Money(1, "CNY"), pre_money=Money(1, "CNY"), instrument="equity", created_by=member)
    assert count(9) == few


# --- Rounds ----------------------------------------------------------------------------------------------


def round_form(**fields):
    return {
        "name": "Series A",
        "amount_sought_0": "20000000",
        "amount_sought_1": "CNY",
        "pre_money_0": "80000000",
        "pre_money_1": "CNY",
        "instrument": "equity",
        "closing_target": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        "terms": "One board seat.",
        **fields,
    }


def test_recording_a_round_opens_the_funds_window_shown_open_until_its_last_day(client, fund, member, enterprise):
    client.force_login(member)

    response = client.post(reverse("funds:new_round", args=[enterprise.reference]), round_form(), follow=True)

    window = PriorityWindow.objects.get()
    page = response.content.decode()
    assert "The round is recorded" in page
    assert "Series A" in page
    assert "fund-window-open" in page and "Open until" in page
    assert window.round.enterprise == enterprise


def test_a_round_in_the_past_is_refused_on_the_form(client, fund, member, enterprise):
    client.force_login(member)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("funds:new_round", args=[enterprise.reference]), round_form(closing_target=yesterday)
    )

    assert response.status_code == 400
    assert "The target closing date is in the future." in response.content.decode()
    assert not FinancingRound.objects.exists()


def test_the_round_page_shows_an_exercise_with_its_commitment_and_never_the_decision(client, fund, member, enterprise):
    round_ = recorded_round(enterprise, member)
    ended(
        round_.windows.get(), WindowState.EXERCISED, commitment=Money("5000000.00", "CNY"), decision="Board split 3-2"
    )
    client.force_login(member)

    page = client.get(reverse("funds:round", args=[enterprise.reference, round_.pk])).content.decode()

    assert "fund-window-exercised" in page
    assert "5,000,000.00" in page or "5000000" in page
    assert "Board split" not in page


def test_an_offer_on_better_terms_after_a_waiver_reopens_the_window(client, fund, member, enterprise):
    round_ = recorded_round(enterprise, member, pre_money="80000000.00")
    ended(round_.windows.get(), WindowState.WAIVED)
    client.force_login(member)
    url = reverse("funds:round", args=[enterprise.reference, round_.pk])
    assert "fund-window-waived" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "amount_0": "20000000",
            "amount_1": "CNY",
            "pre_money_0": "60000000",
            "pre_money_1": "CNY",
            "instrument": "equity",
            "terms": "",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "The offer is recorded." in page
    assert "fund-window-open" in page and "reopened on your better terms" in page
    assert round_.windows.filter(state=WindowState.OPEN).count() == 1


def test_a_bad_offer_shows_on_the_form(client, fund, member, enterprise):
    round_ = recorded_round(enterprise, member)
    client.force_login(member)

    response = client.post(reverse("funds:round", args=[enterprise.reference, round_.pk]), {"instrument": "equity"})

    assert response.status_code == 400
    assert not round_.offers.exists()


# --- The dashboard ---------------------------------------------------------------------------------------


def test_the_dashboard_panel_lists_open_requests_and_open_windows(client, fund, member, enterprise):
    client.force_login(member)
    assert "Ask it to invest" in client.get(reverse("dashboard")).content.decode()

    deal = requested(fund, member, enterprise)
    round_ = recorded_round(enterprise, member, name="Series B")
    page = client.get(reverse("dashboard")).content.decode()

    assert deal.reference in page
    assert "Series B" in page and reverse("funds:round", args=[enterprise.reference, round_.pk]) in page


def test_the_panel_is_not_for_staff(client, manager):
    client.force_login(manager)

    assert "dashboard-funding" not in client.get(reverse("dashboard")).content.decode()


def test_the_enterprises_pages_link_to_its_funding_page(client, member, enterprise):
    client.force_login(member)

    page = client.get(reverse("enterprise_detail", args=[enterprise.reference])).content.decode()

    assert funding_url(enterprise) in page

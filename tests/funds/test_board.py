"""The pipeline board and one step of a deal through ``funds:deal_step``: every fund-side step
allowed from its stages (and gate) and refused from every other; refused to anyone but the
fund's managers (403) and for a deal of another fund (404); with htmx the board's fragment
answers; the board's query count does not grow with its deals; sourcing a deal."""

import itertools

import pytest
from django.urls import reverse
from djmoney.money import Money

from funds.models import Deal
from funds.workflow import TRANSITIONS, Side, Stage
from hkhz_portal.accounts.roles import UnitKind
from programs.workflow import Status
from tests.factories import EnterpriseFactory, UnitFactory, member_of
from tests.programs.factories import CallFactory, application_in_review

from .factories import approve, committee_member_of, deal_at, make_fund, manager_of, sign_off_checklist

pytestmark = pytest.mark.django_db

BOARD = reverse("funds:board")
#: The steps a manager takes from the board or the deal page (closing and a committee's rejection
#: are taken otherwise).
FUND_STEPS = [t.name for t in TRANSITIONS.values() if t.by == Side.FUND]


def step_url(deal):
    return reverse("funds:deal_step", args=[deal.reference])


def post_step(client, deal, name, *, note="", expected_stage=None, htmx=False, next_url=BOARD):
    data = {"name": name, "expected_stage": expected_stage or deal.stage, "note": note, "next": next_url}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(step_url(deal), data, headers=headers)


def ready(deal, manager):
    """What the step from ``deal``'s stage waits for, done (a signed-off checklist, an approval)."""
    if deal.stage == Stage.DUE_DILIGENCE:
        sign_off_checklist(deal, manager)
    if deal.stage == Stage.COMMITTEE:
        approve(deal, manager)


@pytest.mark.parametrize(("name", "stage"), list(itertools.product(FUND_STEPS, Stage)))
def test_each_step_is_taken_from_its_stages_and_refused_from_the_others(
    signed_in, fund, manager, checklist_templates, name, stage
):
    deal = deal_at(stage, fund, manager)
    ready(deal, manager)
    before = deal.stage_changes.count()
    transition = TRANSITIONS[name]
    response = post_step(signed_in, deal, name, note="Outside the mandate.")
    assert response.status_code == 302
    deal.refresh_from_db()
    taken = transition.allowed_from(stage) and name != "close"
    assert deal.stage == (transition.target if taken else stage)
    assert deal.stage_changes.count() == before + taken
    page = signed_in.get(response.url)
    assert ("Done:" in page.text) == taken


def test_a_step_waiting_on_its_gate_is_refused_with_the_reason(signed_in, fund, manager, checklist_templates):
    deal = deal_at(Stage.DUE_DILIGENCE, fund, manager)
    response = post_step(signed_in, deal, "to_committee")
    page = signed_in.get(response.url)
    assert "checklist items are not signed off yet" in page.text
    deal.refresh_from_db()
    assert deal.stage == Stage.DUE_DILIGENCE


def test_a_deal_moved_meanwhile_is_not_moved_again(signed_in, fund, manager):
    deal = deal_at(Stage.SCREENING, fund, manager)
    response = post_step(signed_in, deal, "start_diligence", expected_stage=Stage.SOURCED)
    assert "moved to “Screening” meanwhile" in signed_in.get(response.url).text
    deal.refresh_from_db()
    assert deal.stage == Stage.SCREENING


def test_a_decline_needs_its_reason(signed_in, fund, manager):
    deal = deal_at(Stage.SOURCED, fund, manager)
    response = post_step(signed_in, deal, "decline")
    assert response.status_code == 400
    assert "Say why." in response.text
    deal.refresh_from_db()
    assert deal.stage == Stage.SOURCED


def test_an_unknown_step_is_a_form_error(signed_in, fund, manager):
    deal = deal_at(Stage.SOURCED, fund, manager)
    assert post_step(signed_in, deal, "fly").status_code == 400


def test_a_step_from_the_deal_page_goes_back_there(signed_in, fund, manager):
    deal = deal_at(Stage.SOURCED, fund, manager)
    page = reverse("funds:deal", args=[deal.reference])
    response = post_step(signed_in, deal, "screen", next_url=page)
    assert response.status_code == 302 and response.url == page
    response = post_step(signed_in, deal, "decline", next_url=page, expected_stage=Stage.SCREENING)
    assert response.url == page


@pytest.mark.parametrize("next_url", ["https://evil.example/", "-1", "²", "board", "/" + "x" * 3000])
def test_a_next_elsewhere_or_not_a_path_goes_back_to_the_board(signed_in, fund, manager, next_url):
    deal = deal_at(Stage.SOURCED, fund, manager)
    response = post_step(signed_in, deal, "screen", next_url=next_url)
    assert response.url == f"{BOARD}?fund={fund.slug}"


def test_htmx_gets_the_board_fragment_with_the_deal_moved(signed_in, fund, manager):
    deal = deal_at(Stage.SOURCED, fund, manager)
    response = post_step(signed_in, deal, "screen", htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="board"')
    assert "<html" not in response.text
    assert f"Done: “Start screening” on {deal.reference}." in response.text
    assert 'value="start_diligence"' in response.text


def test_htmx_shows_a_refusal_in_the_fragment(signed_in, fund, manager):
    deal = deal_at(Stage.SOURCED, fund, manager)
    response = post_step(signed_in, deal, "decline", htmx=True)
    assert response.status_code == 200
    assert f"{deal.reference} did not move" in response.text
    assert "Say why." in response.text


@pytest.mark.parametrize("who", ["committee_member", "enterprise_member", "anonymous"])
def test_anyone_but_a_fund_manager_is_refused(client, fund, manager, who):
    deal = deal_at(Stage.SOURCED, fund, manager)
    if who == "committee_member":
        client.force_login(committee_member_of(fund))
    elif who == "enterprise_member":
        client.force_login(member_of(deal.enterprise))
    response = post_step(client, deal, "screen")
    board = client.get(BOARD)
    if who == "anonymous":
        assert response.status_code == 302 and "login" in response.url
        assert board.status_code == 302
    else:
        assert response.status_code == 403
        assert board.status_code == 403
    deal.refresh_from_db()
    assert deal.stage == Stage.SOURCED


def test_a_deal_of_another_fund_is_not_found(client, fund, manager):
    deal = deal_at(Stage.SOURCED, fund, manager)
    other = make_fund(unit=UnitFactory(code="other-fund", kind=UnitKind.FUND), slug="other-fund")
    client.force_login(manager_of(other))
    assert post_step(client, deal, "screen").status_code == 404
    assert client.get(f"{BOARD}?fund={fund.slug}").status_code == 404
    deal.refresh_from_db()
    assert deal.stage == Stage.SOURCED


def test_the_board_shows_cards_by_stage_with_gated_steps_disabled(signed_in, fund, manager, checklist_templates):
    sourced = deal_at(Stage.SOURCED, fund, manager)
    diligence = deal_at(Stage.DUE_DILIGENCE, fund, manager)
    closing = deal_at(Stage.CLOSING, fund, manager)
    declined = deal_at(Stage.DECLINED, fund, manager)
    page = signed_in.get(BOARD).text
    assert sourced.enterprise.legal_name_en in page
    assert "CNY 20,000,000.00" in page
    assert "Manager Chan" in page
    assert "0 days" in page
    assert f"{len(checklist_templates)} checklist items are not signed off yet." in page
    assert f'aria-describedby="why-{diligence.reference}-to_committee"' in page
    assert reverse("funds:record_closing", args=[closing.reference]) in page
    assert declined.enterprise.legal_name_en not in page
    assert "1 declined deal" in page
    listed = signed_in.get(f"{BOARD}?fund={fund.slug}&show=declined").text
    assert declined.enterprise.legal_name_en in listed
    assert "Outside the mandate." in listed


def test_the_boards_query_count_does_not_grow_with_its_deals(
    signed_in, fund, manager, checklist_templates, django_assert_max_num_queries
):
    for stage in (Stage.SOURCED, Stage.DUE_DILIGENCE, Stage.CLOSING):
        deal_at(stage, fund, manager)
    with django_assert_max_num_queries(30) as few:
        assert signed_in.get(BOARD).status_code == 200
    for stage in [Stage.SOURCED, Stage.SCREENING, Stage.DUE_DILIGENCE, Stage.COMMITTEE, Stage.TERM_SHEET] * 3:
        deal_at(stage, fund, manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert signed_in.get(BOARD).status_code == 200


def test_a_manager_sources_a_deal(signed_in, fund, manager):
    enterprise = EnterpriseFactory(legal_name_en="Qiantang Photonics Ltd")
    page = signed_in.get(reverse("funds:source_deal"), {"q": "Qiantang"})
    assert page.status_code == 200
    assert "Qiantang Photonics Ltd" in page.text
    response = signed_in.post(
        f"{reverse('funds:source_deal')}?fund={fund.slug}",
        {
            "enterprise": enterprise.pk,
            "summary": "Pre-A for a LiDAR chip",
            "amount_sought": "5000000",
            "currency": "HKD",
        },
    )
    assert response.status_code == 302
    deal = Deal.objects.get(enterprise=enterprise)
    assert deal.stage == Stage.SOURCED and deal.lead == manager
    assert deal.amount_sought == Money("5000000.00", "HKD")
    assert "HKD 5,000,000.00" in signed_in.get(response.url).text


def test_sourcing_refuses_a_second_open_deal_and_an_application_of_another_enterprise(signed_in, fund, manager):
    deal = deal_at(Stage.SOURCED, fund, manager)
    url = f"{reverse('funds:source_deal')}?fund={fund.slug}"
    response = signed_in.post(url, {"enterprise": deal.enterprise.pk, "summary": "Again", "currency": "CNY"})
    assert "already has a deal in the fund" in signed_in.get(response.url).text
    assert Deal.objects.filter(enterprise=deal.enterprise).count() == 1
    other = EnterpriseFactory()
    admitted = application_in_review(CallFactory())
    admitted.status = Status.ADMITTED
    admitted.save(update_fields=["status"])
    response = signed_in.post(
        url, {"enterprise": other.pk, "application": admitted.pk, "summary": "From Science Park", "currency": "CNY"}
    )
    assert response.status_code == 400
    assert "Choose an admitted application of this enterprise." in response.text
    assert not Deal.objects.filter(enterprise=other).exists()


def test_sourcing_is_refused_to_a_committee_member(client, fund):
    client.force_login(committee_member_of(fund))
    assert client.get(reverse("funds:source_deal")).status_code == 403


def test_a_long_column_shows_its_longest_waiting_deals_and_opens_in_full(signed_in, fund, manager, monkeypatch):
    from funds.views.board import Board

    monkeypatch.setattr(Board, "COLUMN_CAP", 2)
    deals = [deal_at(Stage.SOURCED, fund, manager) for _ in range(3)]
    page = signed_in.get(f"{BOARD}?fund={fund.slug}").text
    shown = [deal.reference in page for deal in deals]
    assert shown == [True, True, False]  # the longest in the stage first
    assert "Show 1 more deal" in page
    expanded = signed_in.get(f"{BOARD}?fund={fund.slug}&stage=sourced").text
    assert all(deal.reference in expanded for deal in deals)
    assert "more deal" not in expanded
    assert signed_in.get(f"{BOARD}?fund={fund.slug}&stage=nonsense").status_code == 200


def test_the_declined_deals_are_listed_by_pages(signed_in, fund, manager, monkeypatch):
    monkeypatch.setattr("funds.views.board.DECLINED_PAGE_SIZE", 2)
    declined = [deal_at(Stage.DECLINED, fund, manager) for _ in range(3)]
    first = signed_in.get(f"{BOARD}?fund={fund.slug}&show=declined").text
    assert "Page 1 of 2" in first
    assert sum(deal.reference in first for deal in declined) == 2
    second = signed_in.get(f"{BOARD}?fund={fund.slug}&show=declined&page=2").text
    assert declined[0].reference in second  # the latest first: the first declined comes last
    assert signed_in.get(f"{BOARD}?fund={fund.slug}&show=declined&page=x").status_code == 200

"""The managers' windows pages: the open windows soonest first with the days left, the ended
ones below by pages, a window's frozen terms beside the round's offers, and the forms that
exercise or waive it, refused to anyone but the fund's managers."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djmoney.money import Money

from funds.models import PriorityWindow, WindowState
from funds.services import windows as services
from funds.services.rounds import record_offer
from funds.workflow import Stage
from hkhz_portal.accounts.roles import UnitKind
from tests.factories import EnterpriseFactory, UnitFactory, member_of

from .factories import committee_member_of, deal_at, ending_in, make_fund, manager_of, open_window

pytestmark = pytest.mark.django_db

LIST = reverse("funds:windows")


def page(window) -> str:
    return reverse("funds:window", args=[window.pk])


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def notices(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def offer(window, pre_money: str):
    """A member of the enterprise offers the window's round to other investors at ``pre_money``."""
    return record_offer(
        actor=member_of(window.round.enterprise),
        round_=window.round,
        amount=Money("20000000", "CNY"),
        pre_money=Money(pre_money, "CNY"),
        instrument="equity",
    )


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return manager


@pytest.fixture
def window(fund):
    return open_window(fund, enterprise=EnterpriseFactory(legal_name_en="Qiantang Robotics Ltd."))


# --- The list --------------------------------------------------------------------------------------


def test_open_windows_are_listed_soonest_first_with_the_days_left_and_ended_ones_below(client, signed_in, fund):
    later = open_window(fund, enterprise=EnterpriseFactory(legal_name_en="Later Ltd."))
    soon = open_window(fund, enterprise=EnterpriseFactory(legal_name_en="Soon Ltd."))
    ending_in(soon, datetime.timedelta(days=1, hours=2))
    waived = open_window(fund, enterprise=EnterpriseFactory(legal_name_en="Waived Ltd."))
    services.waive(actor=signed_in, window=waived, decision="Outside the mandate.")

    response = client.get(LIST)
    assert response.status_code == 200
    text = text_of(response)
    assert text.index("Soon Ltd.") < text.index("Later Ltd.") < text.index("Ended windows") < text.index("Waived Ltd.")
    days = (later.ends_at.astimezone().date() - datetime.date.today()).days
    assert "2 days left" in text or "1 day left" in text
    assert f"{days} days left" in text
    assert 'class="window-row window-urgent"' in response.content.decode()
    assert "Waived" in text and "20,000,000.00" in text


def test_the_ended_windows_come_by_pages(client, signed_in, fund):
    for _ in range(26):
        PriorityWindow.objects.filter(pk=open_window(fund).pk).update(
            state="expired", ended_at=datetime.datetime.now(datetime.UTC)
        )
    first, second = client.get(LIST), client.get(LIST, {"page": 2})
    assert len(first.context["page"].object_list) == 25 and len(second.context["page"].object_list) == 1
    assert "Page 1 of 2" in text_of(first)


def test_another_funds_windows_are_not_listed(client, signed_in, fund):
    other = make_fund(unit=UnitFactory(code="other-fund", kind=UnitKind.FUND), slug="other-fund")
    mine = open_window(fund)
    html = client.get(LIST).content.decode()
    assert page(mine) in html
    assert page(mine.round.windows.get(fund=other)) not in html


@pytest.mark.parametrize("who", ["committee member", "applicant", "manager of another fund"])
def test_anyone_but_a_manager_is_refused_the_windows_pages(client, fund, window, who):
    other = make_fund(unit=UnitFactory(code="other-fund", kind=UnitKind.FUND), slug="other-fund")
    user = {
        "committee member": lambda: committee_member_of(fund),
        "applicant": lambda: member_of(window.round.enterprise),
        "manager of another fund": lambda: manager_of(other),
    }[who]()
    client.force_login(user)
    expected = 404 if who == "manager of another fund" else 403
    assert client.get(LIST).status_code == (200 if expected == 404 else 403)
    assert client.get(page(window)).status_code == expected
    exercise = client.post(reverse("funds:window_exercise", args=[window.pk]), {"exercise-commitment": "1"})
    assert exercise.status_code == expected
    assert (
        client.post(reverse("funds:window_waive", args=[window.pk]), {"waive-decision": "No."}).status_code == expected
    )
    assert PriorityWindow.objects.get(pk=window.pk).state == WindowState.OPEN


def test_the_list_needs_a_signed_in_user(client, window):
    assert client.get(LIST).status_code == 302
    assert client.post(reverse("funds:window_waive", args=[window.pk])).status_code == 302


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_the_lists_query_count_does_not_grow_with_windows(client, signed_in, fund, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            open_window(fund)
            ended = open_window(fund)
            services.waive(actor=signed_in, window=ended, decision="No.")

    add(1)
    few = list_queries(client)
    add(9)
    with django_assert_max_num_queries(few):
        assert client.get(LIST).status_code == 200
    assert list_queries(client) == few


# --- One window ------------------------------------------------------------------------------------


def test_the_page_shows_the_frozen_terms_beside_the_rounds_offers(client, signed_in, window):
    offer(window, "60000000")
    offer(window, "90000000")
    response = client.get(page(window))
    assert response.status_code == 200
    text = text_of(response)
    assert "Series A" in text and "Qiantang Robotics Ltd." in text
    assert "Frozen in this window" in text and "80,000,000.00" in text
    assert "60,000,000.00" in text and "90,000,000.00" in text
    assert text.count("Better than frozen") == 1
    assert "1x non-participating liquidation preference." in text
    assert "Exercise" in text and "Waive" in text


def test_a_manager_exercises_the_window_from_its_page(client, signed_in, fund):
    deal = deal_at(Stage.SCREENING, fund, signed_in)
    window = open_window(fund, enterprise=deal.enterprise)
    form = client.get(page(window)).content.decode()
    assert deal.reference in form and 'value="20000000.00"' in form
    response = client.post(
        reverse("funds:window_exercise", args=[window.pk]),
        {
            "exercise-commitment": "15000000",
            "exercise-currency": "CNY",
            "exercise-deal": deal.pk,
            "exercise-decision": "We lead.",
        },
        follow=True,
    )
    assert notices(response) == ["The fund exercised its priority right."]
    window.refresh_from_db()
    assert (window.state, window.commitment, window.deal) == ("exercised", Money("15000000", "CNY"), deal)
    text = text_of(response)
    assert "Exercised" in text and "15,000,000.00" in text and "We lead." in text
    assert 'name="exercise-commitment"' not in response.content.decode()


@pytest.mark.parametrize(
    ("amount", "currency", "error"),
    [
        ("20000000.01", "CNY", "The fund may commit up to the amount sought"),
        ("1000", "HKD", "Commit in the round&#x27;s currency, CNY."),
        ("0", "CNY", "Ensure this value is greater than or equal to 0.01."),
    ],
)
def test_a_wrong_commitment_shows_on_the_form(client, signed_in, window, amount, currency, error):
    response = client.post(
        reverse("funds:window_exercise", args=[window.pk]),
        {"exercise-commitment": amount, "exercise-currency": currency},
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert PriorityWindow.objects.get(pk=window.pk).state == WindowState.OPEN


def test_a_manager_waives_the_window_with_the_decision(client, signed_in, window):
    url = reverse("funds:window_waive", args=[window.pk])
    missing = client.post(url, {"waive-decision": ""})
    assert missing.status_code == 400 and "This field is required." in missing.content.decode()
    response = client.post(url, {"waive-decision": "Valuation too high."}, follow=True)
    assert notices(response) == ["The fund waived its priority right."]
    text = text_of(response)
    assert "Waived" in text and "Valuation too high." in text and f"By {signed_in.full_name}" in text


def test_a_window_ended_meanwhile_is_a_message_on_the_page(client, signed_in, window, fund):
    services.waive(actor=manager_of(fund, full_name="Manager Lau"), window=window, decision="No.")
    response = client.post(
        reverse("funds:window_exercise", args=[window.pk]),
        {"exercise-commitment": "1000", "exercise-currency": "CNY"},
        follow=True,
    )
    assert notices(response) == ["This window was “Waived” meanwhile. Reload the page to see it."]
    assert PriorityWindow.objects.get(pk=window.pk).state == WindowState.WAIVED


def test_an_expired_window_says_the_portal_ended_it_and_links_its_revival(client, signed_in, window):
    ending_in(window, -datetime.timedelta(minutes=1))
    past = text_of(client.get(page(window)))
    assert "past its end" in past and "Waive" not in past
    services.expire_due()
    offer(window, "60000000")
    revived = PriorityWindow.objects.get(revived_from=window)
    html = client.get(page(window)).content.decode()
    assert "The portal, at the deadline" in text_of(client.get(page(window)))
    assert page(revived) in html
    assert page(window) in client.get(page(revived)).content.decode()


def page_queries(client, window) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page(window)).status_code == 200
    return len(queries)


def test_the_window_pages_query_count_does_not_grow_with_offers(client, signed_in, window):
    offer(window, "90000000")
    few = page_queries(client, window)
    for pre_money in range(81, 89):
        offer(window, f"{pre_money}000000")
    assert page_queries(client, window) == few

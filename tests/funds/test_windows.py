"""Priority windows: exercised or waived by a manager, expired by the beat, reminded of 7 and 2
days ahead once each, revived by an offer on better terms, and their deadlines counted on the
enterprise's calendar."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from djmoney.money import Money

from funds.events import FundEventKind
from funds.models import PriorityWindow, WindowReminder, WindowState
from funds.services import windows as services
from funds.services.rounds import record_offer
from funds.tasks import expire_windows, remind_windows
from funds.workflow import Stage
from hkhz_portal.accounts.roles import UnitKind
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import AuditEvent, DomainEvent
from tests.factories import EnterpriseFactory, UnitFactory, member_of

from .factories import deal_at, ending_in, make_fund, manager_of, open_window

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def cny(amount) -> Money:
    return Money(Decimal(amount), "CNY")


def refused(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


@pytest.fixture
def window(fund):
    return open_window(fund)


@pytest.fixture
def other_fund(db):
    return make_fund(unit=UnitFactory(code="other-fund", kind=UnitKind.FUND), slug="other-fund")


# --- Exercised -------------------------------------------------------------------------------------


def test_a_manager_exercises_a_window_up_to_the_amount_sought(window, manager):
    services.exercise(actor=manager, window=window, commitment=cny("20000000.00"), decision="  Leading the round.  ")
    window.refresh_from_db()
    assert window.state == WindowState.EXERCISED
    assert window.commitment == cny("20000000.00")
    assert (window.decision, window.ended_by) == ("Leading the round.", manager)
    assert window.ended_at is not None
    event = DomainEvent.objects.get(kind=FundEventKind.WINDOW_EXERCISED)
    assert event.payload["commitment"] == {"amount": "20000000.00", "currency": "CNY"}
    assert AuditEvent.objects.filter(action="window.ended").count() == 1


def test_an_exercise_goes_with_a_deal_of_the_fund_with_the_enterprise(fund, manager):
    deal = deal_at(Stage.SCREENING, fund, manager)
    window = open_window(fund, enterprise=deal.enterprise)
    services.exercise(actor=manager, window=window, commitment=cny("5000000"), deal=deal)
    window.refresh_from_db()
    assert window.deal == deal
    assert DomainEvent.objects.get(kind=FundEventKind.WINDOW_EXERCISED).payload["deal"] == deal.reference


@pytest.mark.parametrize(
    ("commitment", "code"),
    [
        (Money("20000000.01", "CNY"), "above_amount_sought"),
        (Money("1000000", "HKD"), "wrong_currency"),
        (Money("0", "CNY"), "invalid_amount"),
    ],
)
def test_an_exercise_above_the_amount_sought_or_in_another_currency_is_refused(window, manager, commitment, code):
    error = refused(lambda: services.exercise(actor=manager, window=window, commitment=commitment))
    assert (error.status, error.code, error.field) == (400, code, "commitment")
    assert PriorityWindow.objects.get(pk=window.pk).state == WindowState.OPEN


def test_an_exercise_with_another_enterprises_deal_is_refused(fund, manager, window):
    deal = deal_at(Stage.SOURCED, fund, manager)
    error = refused(lambda: services.exercise(actor=manager, window=window, commitment=cny("1"), deal=deal))
    assert (error.status, error.code, error.field) == (400, "invalid_deal", "deal")


def test_only_the_funds_managers_end_its_windows(window, other_fund):
    enterprise_member = member_of(window.round.enterprise)
    for actor in (manager_of(other_fund), enterprise_member):
        error = refused(lambda actor=actor: services.exercise(actor=actor, window=window, commitment=cny("1")))
        assert error.status == 403
        error = refused(lambda actor=actor: services.waive(actor=actor, window=window, decision="No."))
        assert error.status == 403
    assert PriorityWindow.objects.get(pk=window.pk).state == WindowState.OPEN


# --- Waived ----------------------------------------------------------------------------------------


def test_a_manager_waives_a_window_with_the_funds_decision(window, manager):
    error = refused(lambda: services.waive(actor=manager, window=window, decision="   "))
    assert (error.status, error.code, error.field) == (400, "decision_required", "decision")
    services.waive(actor=manager, window=window, decision="Outside the mandate.")
    window.refresh_from_db()
    assert (window.state, window.decision, window.commitment) == (WindowState.WAIVED, "Outside the mandate.", None)
    assert DomainEvent.objects.filter(kind=FundEventKind.WINDOW_WAIVED).count() == 1


def test_a_window_ends_once(window, manager):
    services.waive(actor=manager, window=window, decision="Outside the mandate.")
    error = refused(lambda: services.exercise(actor=manager, window=window, commitment=cny("1")))
    assert (error.status, error.code) == (409, "window_ended")
    assert error.message == "This window was “Waived” meanwhile. Reload the page to see it."
    assert refused(lambda: services.waive(actor=manager, window=window, decision="Again.")).status == 409
    assert services.expire_due(now=window.ends_at) == 0
    window.refresh_from_db()
    assert window.state == WindowState.WAIVED


def test_a_window_past_its_end_can_no_longer_be_exercised_before_the_beat_expires_it(window, manager):
    ending_in(window, -datetime.timedelta(seconds=1))
    error = refused(lambda: services.exercise(actor=manager, window=window, commitment=cny("1")))
    assert (error.status, error.code) == (409, "window_ended")
    assert "can no longer be exercised or waived" in error.message


# --- Expired by the beat ---------------------------------------------------------------------------


def test_the_beat_expires_every_open_window_past_its_end_and_nothing_else(fund, manager):
    due, later, waived = open_window(fund), open_window(fund), open_window(fund)
    ending_in(due, -DAY)
    services.waive(actor=manager, window=waived, decision="No.")
    ending_in(waived, -DAY)
    assert expire_windows.apply().get() == 1
    states = dict(PriorityWindow.objects.values_list("pk", "state"))
    assert states == {due.pk: "expired", later.pk: "open", waived.pk: "waived"}
    due.refresh_from_db()
    assert due.ended_at is not None and due.ended_by is None
    assert DomainEvent.objects.filter(kind=FundEventKind.WINDOW_EXPIRED).count() == 1
    assert expire_windows.apply().get() == 0


def test_a_window_expires_at_the_moment_it_ends(window):
    assert services.expire_due(now=window.ends_at - datetime.timedelta(microseconds=1)) == 0
    assert services.expire_due(now=window.ends_at) == 1


# --- Reminders -------------------------------------------------------------------------------------


def test_the_managers_are_reminded_seven_and_two_days_ahead_once_each(window):
    assert services.remind_due(now=window.ends_at - 7 * DAY - datetime.timedelta(seconds=1)) == 0
    assert services.remind_due(now=window.ends_at - 7 * DAY) == 1
    assert services.remind_due(now=window.ends_at - 5 * DAY) == 0
    assert services.remind_due(now=window.ends_at - 2 * DAY) == 1
    assert services.remind_due(now=window.ends_at - DAY) == 0
    assert services.remind_due(now=window.ends_at) == 0
    assert list(window.reminders.order_by("-days_before").values_list("days_before", flat=True)) == [7, 2]
    events = DomainEvent.objects.filter(kind=FundEventKind.WINDOW_ENDING).order_by("pk")
    assert [e.payload["days_before"] for e in events] == [7, 2]
    assert events[0].payload["ends_at"] == window.ends_at.isoformat()


def test_a_window_first_found_within_two_days_is_reminded_of_that_only(window):
    ending_in(window, DAY)
    assert remind_windows.apply().get() == 1
    assert remind_windows.apply().get() == 0
    assert list(WindowReminder.objects.values_list("days_before", flat=True)) == [2]


def test_an_ended_window_is_not_reminded_of(window, manager):
    services.waive(actor=manager, window=window, decision="No.")
    assert services.remind_due(now=window.ends_at - DAY) == 0


# --- Revived ---------------------------------------------------------------------------------------


def test_a_waived_window_revives_on_better_terms_and_can_then_be_exercised(window, manager):
    services.waive(actor=manager, window=window, decision="Valuation too high.")
    member = member_of(window.round.enterprise)
    record_offer(
        actor=member, round_=window.round, amount=cny("20000000"), pre_money=cny("60000000"), instrument="equity"
    )
    revived = PriorityWindow.objects.get(revived_from=window)
    assert revived.state == WindowState.OPEN
    assert revived.terms["pre_money"] == {"amount": "60000000.00", "currency": "CNY"}
    services.exercise(actor=manager, window=revived, commitment=cny("20000000"))
    revived.refresh_from_db()
    assert revived.state == WindowState.EXERCISED


def test_an_expired_window_revives_on_better_terms(window):
    ending_in(window, -DAY)
    services.expire_due()
    member = member_of(window.round.enterprise)
    record_offer(
        actor=member, round_=window.round, amount=cny("20000000"), pre_money=cny("70000000"), instrument="equity"
    )
    assert PriorityWindow.objects.get(revived_from=window).state == WindowState.OPEN


# --- Deadlines -------------------------------------------------------------------------------------


def at(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def test_a_window_in_calendar_days_ends_at_midnight_after_its_last_day(fund):
    enterprise = EnterpriseFactory()
    assert services.window_end(fund, enterprise, at("2026-03-02 15:30")) == at("2026-04-02 00:00")


def test_working_days_skip_golden_week_and_count_make_up_saturdays_on_the_mainland(fund):
    fund.window_days, fund.window_business_days = 5, True
    mainland = EnterpriseFactory(kind="mainland")
    # 1–8 October 2025 are holidays; Saturday 11 October is a make-up working day.
    assert services.window_end(fund, mainland, at("2025-09-30 10:00")) == at("2025-10-15 00:00")


def test_working_days_skip_chinese_new_year_in_hong_kong(fund):
    fund.window_days, fund.window_business_days = 3, True
    hong_kong = EnterpriseFactory.build(kind="hong_kong")
    # 17–19 February 2026 are the Lunar New Year holidays in Hong Kong.
    assert services.window_end(fund, hong_kong, at("2026-02-13 10:00")) == at("2026-02-24 00:00")
    # The same days on the mainland's calendar: its Spring Festival runs 15–23 February.
    assert services.window_end(fund, EnterpriseFactory(), at("2026-02-13 10:00")) > at("2026-02-24 00:00")


def test_a_round_opens_a_working_day_window_on_the_enterprises_calendar(fund):
    fund.window_business_days = True
    fund.save(update_fields=["window_business_days"])
    window = open_window(fund)
    assert window.ends_at == services.window_end(fund, window.round.enterprise, window.notice_received_at)
    assert window.ends_at - window.notice_received_at > 30 * DAY

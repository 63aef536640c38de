"""The service centres' SLA clocks, against figures worked by hand on the 2026 calendars: a centre
open Monday to Friday 09:00–12:30 and 13:30–18:00 (eight hours a day), first response in four
business hours, resolution in sixteen."""

import datetime
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from programs.centres.sla import (
    ClockState,
    Entry,
    Policy,
    add_business_time,
    business_time,
    clocks,
    hours_of,
    in_business_hours,
    next_business_moment,
)

HKT, CST = ZoneInfo("Asia/Hong_Kong"), ZoneInfo("Asia/Shanghai")
time = datetime.time
DAY = ((time(9), time(12, 30)), (time(13, 30), time(18)))
MICROSECOND = datetime.timedelta(microseconds=1)
HOURS = {0: DAY, 1: DAY, 2: DAY, 3: DAY, 4: DAY, 5: (), 6: ()}


def hours(h, m=0):
    return datetime.timedelta(hours=h, minutes=m)


def policy(calendar="HK", **overrides):
    return Policy(calendar, HOURS, first_response=hours(4), resolution=hours(16), **overrides)


HK, CN = policy("HK"), policy("CN")


def hk(moment):
    return datetime.datetime.fromisoformat(moment).replace(tzinfo=HKT)


def cn(moment):
    return datetime.datetime.fromisoformat(moment).replace(tzinfo=CST)


def log(*rows):
    return [Entry(hk(at), state) for at, state in rows]


def test_a_day_has_no_hours_on_a_holiday_and_a_mondays_on_a_mainland_make_up_weekend_day():
    # Good Friday (3 April 2026) is a Hong Kong general holiday, a mainland working day.
    assert hours_of(HK, datetime.date(2026, 4, 3)) == ()
    assert hours_of(CN, datetime.date(2026, 4, 3)) == DAY
    # Saturday 10 October and Sunday 20 September 2026 are mainland make-up working days.
    assert hours_of(CN, datetime.date(2026, 10, 10)) == DAY
    assert hours_of(CN, datetime.date(2026, 9, 20)) == DAY
    assert hours_of(HK, datetime.date(2026, 10, 10)) == ()
    assert hours_of(CN, datetime.date(2026, 10, 17)) == ()
    # A centre open short Mondays and Saturday mornings: the make-up Saturday gets Monday's hours.
    monday, saturday = ((time(10), time(16)),), ((time(9), time(12)),)
    odd = Policy("CN", {0: monday, 5: saturday}, first_response=hours(4), resolution=hours(16))
    assert hours_of(odd, datetime.date(2026, 10, 10)) == monday
    assert hours_of(odd, datetime.date(2026, 10, 17)) == saturday
    assert hours_of(odd, datetime.date(2026, 10, 14)) == ()


def test_a_request_the_day_before_hong_kongs_easter_holidays_waits_for_them_to_end():
    # Thursday 2 April 2026 16:00: two hours that day; Good Friday 3rd, Saturday 4th (the day
    # following Good Friday), Sunday, Monday 6th (the day following Ching Ming) and Tuesday 7th
    # (the day following Easter Monday) are closed; the other two hours run 09:00–11:00 on
    # Wednesday 8th. The mainland works on Good Friday: 09:00–11:00 on Friday 3rd.
    assert add_business_time(HK, hk("2026-04-02 16:00"), hours(4)) == hk("2026-04-08 11:00")
    assert business_time(HK, hk("2026-04-02 16:00"), hk("2026-04-08 11:00")) == hours(4)
    assert add_business_time(CN, cn("2026-04-02 16:00"), hours(4)) == cn("2026-04-03 11:00")

    # At 10:00 on the 8th the response clock has run 2 + 1 hours; 3 h 12 min (80 %) at 10:12.
    response = clocks(HK, log(("2026-04-02 16:00", "requested")), first_response_at=None, now=hk("2026-04-08 10:00"))
    assert response.response.elapsed == hours(3)
    assert response.response.state == ClockState.RUNNING
    assert response.response.due_at == hk("2026-04-08 11:00")
    assert response.response.at_risk_at == hk("2026-04-08 10:12")


def test_a_mainland_make_up_saturday_counts_on_the_mainland_calendar_only():
    # Friday 9 October 2026 16:00: two hours that day, then the make-up Saturday 10th opens with
    # Monday's hours on the mainland (09:00–11:00); in Hong Kong Monday 12th 09:00–11:00.
    assert add_business_time(CN, cn("2026-10-09 16:00"), hours(4)) == cn("2026-10-10 11:00")
    assert add_business_time(HK, hk("2026-10-09 16:00"), hours(4)) == hk("2026-10-12 11:00")
    # Friday 16:00 to Monday 11:00: 2 + 8 (Saturday) + 2 on the mainland, 2 + 2 in Hong Kong.
    assert business_time(CN, cn("2026-10-09 16:00"), cn("2026-10-12 11:00")) == hours(12)
    assert business_time(HK, hk("2026-10-09 16:00"), hk("2026-10-12 11:00")) == hours(4)


def test_forty_business_hours_across_the_golden_week():
    # From Wednesday 30 September 2026 09:00, five eight-hour days. The mainland: the 30th, then
    # (1 to 7 October off) Thursday 8th, Friday 9th, the make-up Saturday 10th and Monday 12th,
    # done at 18:00 that Monday, not at the next opening. Hong Kong closes on 1 October only: the
    # 30th, Friday 2nd, Monday 5th to Wednesday 7th.
    assert add_business_time(CN, cn("2026-09-30 09:00"), hours(40)) == cn("2026-10-12 18:00")
    assert add_business_time(HK, hk("2026-09-30 09:00"), hours(40)) == hk("2026-10-07 18:00")


def test_the_lunch_break_does_not_count():
    # 12:00–12:30 is half an hour; the other half runs from 13:30 to 14:00.
    assert add_business_time(HK, hk("2026-06-08 12:00"), hours(1)) == hk("2026-06-08 14:00")
    assert business_time(HK, hk("2026-06-08 12:00"), hk("2026-06-08 14:00")) == hours(1)
    assert in_business_hours(HK, hk("2026-06-08 12:29:59"))
    assert not in_business_hours(HK, hk("2026-06-08 12:30"))
    assert in_business_hours(HK, hk("2026-06-08 13:30"))
    assert next_business_moment(HK, hk("2026-06-08 12:45")) == hk("2026-06-08 13:30")
    # Friday 18:00 is closed: the next opening is Monday's.
    assert not in_business_hours(HK, hk("2026-06-12 18:00"))
    assert next_business_moment(HK, hk("2026-06-12 18:00")) == hk("2026-06-15 09:00")
    assert next_business_moment(HK, hk("2026-06-12 17:59")) == hk("2026-06-12 17:59")


def test_a_client_pause_and_a_third_party_pause_are_totalled_apart_and_not_counted():
    # The week of Monday 8 June 2026 has no holiday.
    request = log(
        ("2026-06-08 10:00", "requested"),
        ("2026-06-08 10:30", "accepted"),
        ("2026-06-08 11:00", "in_progress"),
        ("2026-06-08 14:00", "waiting_on_client"),
        ("2026-06-09 10:00", "in_progress"),
        ("2026-06-09 15:00", "waiting_on_third_party"),
        ("2026-06-10 16:00", "in_progress"),
        ("2026-06-11 11:00", "completed"),
    )
    result = clocks(HK, request, first_response_at=hk("2026-06-08 11:00"), now=hk("2026-06-15 09:00"))
    # Counted: Mon 10:00–14:00 (2.5 + 0.5), Tue 10:00–15:00 (2.5 + 1.5), Wed 16:00–Thu 11:00 (2 + 2).
    assert result.resolution.elapsed == hours(11)
    assert result.resolution.state == ClockState.MET
    assert result.resolution.stopped_at == hk("2026-06-11 11:00")
    assert (result.resolution.due_at, result.resolution.at_risk_at) == (None, None)
    # The client: Mon 14:00–18:00 and Tue 09:00–10:00. The third party: Tue 15:00–18:00 and Wed
    # 09:00–12:30, 13:30–16:00.
    assert result.paused_on_client == hours(5)
    assert result.paused_on_third_party == hours(9)
    assert result.response.elapsed == hours(1)
    assert result.response.state == ClockState.MET


@pytest.mark.parametrize(
    ("responded", "elapsed", "state"),
    [
        ("2026-06-08 14:30", hours(3, 30), ClockState.MET),  # 10:00–12:30, 13:30–14:30
        ("2026-06-08 15:00", hours(4), ClockState.MET),  # on the target: met
        ("2026-06-08 17:00", hours(6), ClockState.BREACHED),
    ],
)
def test_a_first_response_meets_or_breaches_its_target(responded, elapsed, state):
    result = clocks(
        HK, log(("2026-06-08 10:00", "requested")), first_response_at=hk(responded), now=hk("2026-06-09 09:30")
    )
    assert result.response.elapsed == elapsed
    assert result.response.state == state
    assert result.response.is_breached() is (state == ClockState.BREACHED)
    assert result.response.stopped_at == hk(responded)
    assert result.response.due_at is None
    # The resolution clock runs on: Monday's 7 h and Tuesday's half hour.
    assert result.resolution.state == ClockState.RUNNING
    assert result.resolution.elapsed == hours(7, 30)


@pytest.mark.parametrize(
    ("completed", "state", "left"),
    [
        ("2026-06-09 18:00", ClockState.MET, hours(0)),  # two full days: 16 h
        ("2026-06-10 09:30", ClockState.BREACHED, -hours(0, 30)),  # and half an hour on Wednesday
    ],
)
def test_a_completion_meets_or_breaches_the_resolution_target(completed, state, left):
    request = log(("2026-06-08 09:00", "requested"), ("2026-06-08 09:00", "in_progress"), (completed, "completed"))
    result = clocks(HK, request, first_response_at=hk("2026-06-08 10:00"), now=hk("2026-06-20 12:00"))
    assert result.resolution.state == state
    assert result.resolution.left == left
    assert result.resolution.stopped_at == hk(completed)
    assert result.response.state == ClockState.MET


def test_a_completion_without_a_response_ends_the_response_clock_too():
    # Completed at 11:00 on the day: two hours, within the four.
    request = log(("2026-06-08 09:00", "requested"), ("2026-06-08 11:00", "completed"))
    response = clocks(HK, request, first_response_at=None, now=hk("2026-06-09 12:00")).response
    assert (response.state, response.elapsed, response.stopped_at) == (ClockState.MET, hours(2), hk("2026-06-08 11:00"))


def test_a_cancelled_request_stops_its_clocks_unless_the_target_had_passed():
    early = log(("2026-06-08 09:00", "requested"), ("2026-06-08 11:00", "cancelled"))
    result = clocks(HK, early, first_response_at=None, now=hk("2026-06-10 12:00"))
    for clock in (result.response, result.resolution):
        assert clock.state == ClockState.STOPPED
        assert clock.elapsed == hours(2)
        assert clock.stopped_at == hk("2026-06-08 11:00")
        assert (clock.due_at, clock.at_risk_at) == (None, None)
        assert not clock.is_at_risk()
    # Cancelled on Tuesday at 10:00, nine hours in, unanswered: the response was already late.
    late = log(("2026-06-08 09:00", "requested"), ("2026-06-09 10:00", "cancelled"))
    result = clocks(HK, late, first_response_at=None, now=hk("2026-06-10 12:00"))
    assert result.response.state == ClockState.BREACHED
    assert result.resolution.state == ClockState.STOPPED
    assert result.resolution.elapsed == hours(9)


@pytest.mark.parametrize(
    ("now", "at_risk", "breached"),
    [
        ("2026-06-08 12:11:59", False, False),  # 3 h 11 min 59 s
        ("2026-06-08 12:12", True, False),  # 3 h 12 min: 80 % of four hours
        ("2026-06-08 14:00", False, False),  # 4 h: on the target, neither at risk nor breached
        ("2026-06-08 14:00:01", False, True),
    ],
)
def test_a_clock_is_at_risk_from_eighty_per_cent_of_its_target_until_the_target(now, at_risk, breached):
    response = clocks(HK, log(("2026-06-08 09:00", "requested")), first_response_at=None, now=hk(now)).response
    assert response.state == ClockState.RUNNING
    assert response.is_at_risk() is at_risk
    assert response.is_breached() is breached
    # 09:00 + 3 h 12 min; 09:00–12:30 and 13:30–14:00 make four hours.
    assert response.at_risk_at == hk("2026-06-08 12:12")
    assert response.due_at == hk("2026-06-08 14:00")


def test_exactly_eighty_per_cent_is_a_fraction_of_four_fifths():
    response = clocks(
        HK, log(("2026-06-08 09:00", "requested")), first_response_at=None, now=hk("2026-06-08 12:12")
    ).response
    assert response.fraction == 0.8
    assert response.left == hours(0, 48)


def test_a_running_clock_projects_its_due_and_at_risk_moments_and_a_paused_one_does_not():
    # Requested Monday 09:00, waiting on the client from 10:00 to Tuesday 09:00 (Monday's other
    # seven hours), at work since.
    request = log(
        ("2026-06-08 09:00", "requested"),
        ("2026-06-08 10:00", "waiting_on_client"),
        ("2026-06-09 09:00", "in_progress"),
    )
    result = clocks(HK, request, first_response_at=None, now=hk("2026-06-09 09:30"))
    assert result.paused_on_client == hours(7)
    # 1 h + 30 min counted. Response: 2 h 30 min left, to 12:00; 80 % (1 h 42 min left) at 11:12.
    assert result.response.elapsed == hours(1, 30)
    assert result.response.due_at == hk("2026-06-09 12:00")
    assert result.response.at_risk_at == hk("2026-06-09 11:12")
    # Resolution: 14 h 30 min left: Tuesday's remaining 7 h 30 min, Wednesday 09:00–12:30 and
    # 13:30–17:00. 80 % (12 h 48 min, 11 h 18 min left): Wednesday 09:00–12:30, 13:30–13:48.
    assert result.resolution.due_at == hk("2026-06-10 17:00")
    assert result.resolution.at_risk_at == hk("2026-06-10 13:48")

    # As of Monday 15:00 (Tuesday's entry is still to come): paused, nothing projected, 10:00–12:30
    # and 13:30–15:00 waited.
    paused = clocks(HK, request, first_response_at=None, now=hk("2026-06-08 15:00"))
    assert paused.response.state == paused.resolution.state == ClockState.PAUSED
    assert (paused.response.due_at, paused.response.at_risk_at) == (None, None)
    assert (paused.resolution.due_at, paused.resolution.at_risk_at) == (None, None)
    assert paused.paused_on_client == hours(4)


def test_moments_already_passed_are_read_from_the_log():
    # As above, at Tuesday 13:00: 1 h on Monday and 3 h 30 min on Tuesday morning. The response
    # target was reached three hours into Tuesday (12:00), 80 % (2 h 12 min) at 11:12; the
    # resolution's due moment has not moved.
    request = log(
        ("2026-06-08 09:00", "requested"),
        ("2026-06-08 10:00", "waiting_on_client"),
        ("2026-06-09 09:00", "in_progress"),
    )
    result = clocks(HK, request, first_response_at=None, now=hk("2026-06-09 13:00"))
    assert result.response.elapsed == hours(4, 30)
    assert result.response.state == ClockState.RUNNING
    assert result.response.is_breached()
    assert not result.response.is_at_risk()
    assert result.response.due_at == hk("2026-06-09 12:00")
    assert result.response.at_risk_at == hk("2026-06-09 11:12")
    assert result.resolution.due_at == hk("2026-06-10 17:00")


def test_a_paused_clock_past_eighty_per_cent_is_at_risk():
    # 09:00–12:30 counted (3 h 30 min of 4), then waiting on a bank: Monday 13:30–18:00 and
    # Tuesday 09:00–10:00.
    request = log(("2026-06-08 09:00", "requested"), ("2026-06-08 13:30", "waiting_on_third_party"))
    result = clocks(HK, request, first_response_at=None, now=hk("2026-06-09 10:00"))
    assert result.response.state == ClockState.PAUSED
    assert result.response.is_at_risk()
    assert result.paused_on_third_party == hours(5, 30)
    assert result.paused_on_client == hours(0)


def test_the_policy_round_trips_through_json():
    snapshot = json.loads(json.dumps(policy("CN", at_risk_ratio=Decimal("0.75")).to_json()))
    assert snapshot["hours"]["0"] == [["09:00", "12:30"], ["13:30", "18:00"]]
    assert snapshot["hours"]["5"] == []
    assert (snapshot["first_response"], snapshot["resolution"]) == (4 * 3600, 16 * 3600)
    assert snapshot["at_risk_ratio"] == "0.75"
    assert Policy.from_json(snapshot) == policy("CN", at_risk_ratio=Decimal("0.75"))
    assert Policy.from_json(snapshot).tz == CST
    assert HK.tz == HKT


@pytest.mark.parametrize(
    "bad",
    [
        {"calendar": "TW"},
        {"hours": {0: ((time(9), time(13)), (time(12), time(18)))}},  # overlapping
        {"hours": {0: ((time(18), time(9)),)}},  # backwards
        {"hours": {7: DAY}},
        {"hours": {0: ((time(9, 0, 30), time(18)),)}},  # not in whole minutes
        {"hours": {5: ()}},  # never open
        {"first_response": hours(0)},
        {"at_risk_ratio": Decimal("1")},
    ],
)
def test_a_policy_that_could_not_count_is_refused(bad):
    fields = {"calendar": "HK", "hours": HOURS, "first_response": hours(4), "resolution": hours(16)} | bad
    with pytest.raises(ValueError):
        Policy(**fields)


STARTS = [
    "2026-06-08 10:17:23",  # in a period
    "2026-06-08 09:00",  # at an opening
    "2026-06-08 12:30",  # at the lunch break
    "2026-06-08 13:30",  # at the end of it
    "2026-06-08 18:00",  # at closing
    "2026-06-08 07:00",  # before opening
    "2026-06-13 00:00",  # a Saturday at midnight
    "2026-04-03 11:00",  # on Good Friday (Hong Kong)
    "2026-10-01 15:00",  # on National Day (both)
    "2026-10-10 10:00",  # on the make-up Saturday (the mainland)
]


@pytest.mark.parametrize("calendar", ["HK", "CN"])
@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("delta", [hours(0, 1), hours(0, 30), hours(3, 30), hours(8), hours(40), hours(100)])
def test_adding_business_time_is_the_inverse_of_measuring_it(calendar, start, delta):
    centre = policy(calendar)
    start = datetime.datetime.fromisoformat(start).replace(tzinfo=centre.tz)
    due = add_business_time(centre, start, delta)
    assert due.tzinfo is datetime.UTC
    assert business_time(centre, start, due) == delta
    # The first such moment: a microsecond earlier is a microsecond short.
    assert business_time(centre, start, due - MICROSECOND) == delta - MICROSECOND
    assert due > next_business_moment(centre, start) >= start


@pytest.mark.parametrize("start", STARTS)
def test_adding_no_business_time_is_the_start(start):
    assert add_business_time(HK, hk(start), hours(0)) == hk(start)
    assert add_business_time(HK, hk(start), hours(0)).tzinfo is datetime.UTC


def test_moments_in_any_timezone_count_the_same():
    # 12:00–14:00 in Hong Kong is 04:00–06:00 UTC and 05:00–07:00 in London (summer time).
    london = ZoneInfo("Europe/London")
    start, end = datetime.datetime(2026, 6, 8, 4, tzinfo=datetime.UTC), datetime.datetime(2026, 6, 8, 7, tzinfo=london)
    assert business_time(HK, start, end) == hours(1)
    assert business_time(HK, end, start) == hours(0)
    assert add_business_time(HK, start, hours(1)) == datetime.datetime(2026, 6, 8, 6, tzinfo=datetime.UTC)


def test_moments_without_a_timezone_and_negative_time_are_refused():
    with pytest.raises(ValueError):
        business_time(HK, datetime.datetime(2026, 6, 8, 9), hk("2026-06-08 10:00"))
    with pytest.raises(ValueError):
        add_business_time(HK, hk("2026-06-08 10:00"), -hours(1))


@pytest.mark.parametrize(
    "request_log",
    [
        [],
        log(("2026-06-08 09:00", "accepted")),
        log(("2026-06-08 09:00", "requested"), ("2026-06-08 10:00", "on_hold")),
        log(("2026-06-08 09:00", "requested"), ("2026-06-08 11:00", "accepted"), ("2026-06-08 10:00", "in_progress")),
    ],
)
def test_a_log_that_does_not_explain_a_request_is_refused(request_log):
    with pytest.raises(ValueError):
        clocks(HK, request_log, first_response_at=None, now=hk("2026-06-09 09:00"))

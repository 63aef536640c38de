"""Working days on Hong Kong's and the mainland's calendars, checked against the holidays each
government published (gov.hk's general holidays; the State Council's notices)."""

import datetime

import pytest

from hkhz_portal.core.calendars import (
    Calendar,
    is_holiday,
    is_makeup_workday,
    is_working_day,
    working_days_after,
    working_days_between,
)

d = datetime.date.fromisoformat
HK, CN = Calendar.HK, Calendar.CN


def test_hong_kong_christmas_and_the_weekend_after_it_are_skipped():
    # Friday 25 December 2026 is Christmas; the first weekday after it is Saturday the 26th.
    assert not is_working_day(d("2026-12-25"), HK)
    assert not is_working_day(d("2026-12-26"), HK)
    assert working_days_after(d("2026-12-24"), 1, HK) == d("2026-12-28")


def test_hong_kong_counts_the_general_holidays_not_only_the_statutory_ones():
    # Easter 2026: Good Friday (3 April) and the day after it, the day following Ching Ming (6th)
    # and the day following Easter Monday (7th) close the offices; Good Friday is no statutory
    # holiday, so a calendar of statutory holidays would count it.
    assert not is_working_day(d("2026-04-03"), HK)
    assert working_days_after(d("2026-04-02"), 1, HK) == d("2026-04-08")


def test_holidays_and_make_up_working_days_are_each_calendars_own():
    # Good Friday 2026 closes Hong Kong, not the mainland; Saturday 26 December 2026 is a Hong Kong
    # general holiday (the first weekday after Christmas) though no working day anyway.
    assert is_holiday(d("2026-04-03"), HK)
    assert not is_holiday(d("2026-04-03"), CN)
    assert is_holiday(d("2026-12-26"), HK)
    # Saturday 10 October 2026 is worked on the mainland; an ordinary Saturday and weekday are not
    # make-up days.
    assert is_makeup_workday(d("2026-10-10"), CN)
    assert not is_makeup_workday(d("2026-10-10"), HK)
    assert not is_makeup_workday(d("2026-10-17"), CN)
    assert not is_makeup_workday(d("2026-10-09"), CN)


def test_saturdays_and_sundays_are_not_working_days_in_hong_kong():
    assert [is_working_day(d(day), HK) for day in ("2026-06-05", "2026-06-06", "2026-06-07")] == [True, False, False]


def test_the_mainland_counts_its_make_up_saturday_and_skips_the_spring_festival():
    # 2026: Saturday 14 February is worked, 15 to 23 February are off, Saturday 28 February is worked.
    assert is_working_day(d("2026-02-14"), CN)
    assert not is_working_day(d("2026-02-16"), CN)
    assert working_days_after(d("2026-02-13"), 1, CN) == d("2026-02-14")
    assert working_days_after(d("2026-02-13"), 2, CN) == d("2026-02-24")
    assert is_working_day(d("2026-02-28"), CN)


def test_the_mainland_skips_the_golden_week_and_counts_its_make_up_weekends():
    # 2026: Sunday 20 September and Saturday 10 October are worked, 1 to 7 October are off.
    assert is_working_day(d("2026-09-20"), CN)
    assert working_days_after(d("2026-09-30"), 1, CN) == d("2026-10-08")
    assert working_days_after(d("2026-09-30"), 3, CN) == d("2026-10-10")
    # 2025: Sunday 28 September is worked, 1 to 8 October are off, Saturday 11 October is worked.
    assert working_days_after(d("2025-09-26"), 1, CN) == d("2025-09-28")
    assert working_days_after(d("2025-09-26"), 4, CN) == d("2025-10-09")
    assert working_days_after(d("2025-09-26"), 6, CN) == d("2025-10-11")


def test_a_count_started_in_late_december_reads_the_next_years_holidays():
    # New Year's Day 2027 is a Friday in Hong Kong; Sunday 4 January 2026 was a mainland working day.
    assert working_days_after(d("2026-12-31"), 1, HK) == d("2027-01-04")
    assert working_days_after(d("2025-12-31"), 1, CN) == d("2026-01-04")
    assert working_days_between(d("2026-12-24"), d("2027-01-04"), HK) == 5  # 28 to 31 December, 4 January


def test_zero_working_days_after_a_day_is_that_day():
    assert working_days_after(d("2026-12-26"), 0, HK) == d("2026-12-26")


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        working_days_after(d("2026-12-24"), -1, HK)


def test_the_codes_are_accepted_as_well_as_the_enum():
    assert working_days_after(d("2026-12-24"), 1, "HK") == working_days_after(d("2026-12-24"), 1, HK)
    with pytest.raises(ValueError):
        is_working_day(d("2026-12-24"), "TW")


@pytest.mark.parametrize("calendar", list(Calendar))
@pytest.mark.parametrize("start", ["2026-02-12", "2026-09-30", "2026-12-24", "2026-12-26"])
@pytest.mark.parametrize("n", [0, 1, 2, 5, 30])
def test_working_days_between_undoes_working_days_after_and_is_antisymmetric(calendar, start, n):
    due = working_days_after(d(start), n, calendar)
    assert working_days_between(d(start), due, calendar) == n
    assert working_days_between(due, d(start), calendar) == -n


def test_due_in_two_working_days_over_a_weekend():
    # Friday 4 December 2026 to Tuesday the 8th: Monday and Tuesday.
    assert working_days_between(d("2026-12-04"), d("2026-12-08"), HK) == 2
    assert working_days_between(d("2026-12-08"), d("2026-12-04"), HK) == -2
    assert working_days_between(d("2026-12-04"), d("2026-12-04"), HK) == 0

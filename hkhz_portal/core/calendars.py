"""Working days on the two calendars the portal counts in: Hong Kong's and the mainland's.

A working day is a weekday that is not a holiday, or a weekend day the government has made a
working day (the mainland's make-up working weekends; Hong Kong has none). Saturdays count as
weekend days on both calendars: the offices whose clocks we count close on Saturdays.

- Hong Kong: the general holidays (General Holidays Ordinance, Cap. 149: the days banks and
  government offices close), which the ``holidays`` package files under its ``optional``
  category. Its default ``public`` category holds the statutory holidays of the Employment
  Ordinance instead, which lack Good Friday and the days following Easter.
- The mainland: the public holidays and their days off in lieu, as the State Council announces
  them each year; a year not yet announced holds the statutory holidays only.
"""

import datetime
import enum
import functools

import holidays
from holidays.constants import OPTIONAL

SATURDAY = 5
ONE_DAY = datetime.timedelta(days=1)


class Calendar(enum.StrEnum):
    HK = "HK"
    CN = "CN"


#: The package's holiday categories per calendar (None: its default).
_CATEGORIES = {Calendar.HK: (OPTIONAL,), Calendar.CN: None}


@functools.cache
def _holidays(calendar: Calendar, year: int) -> holidays.HolidayBase:
    """One year's holidays, built once (the mainland's take a tenth of a second) and never
    expanded afterwards, so requests can share it. A year apiece, so a count that runs into the
    next year (a clock started in late December) reads the next year's holidays, not none. The
    mainland's make-up working days that fall in the year before their holiday (late December
    for New Year) are in every year's set."""
    return holidays.country_holidays(calendar.value, years=year, categories=_CATEGORIES[calendar], expand=False)


def is_holiday(day: datetime.date, calendar: Calendar | str) -> bool:
    """A public holiday on ``calendar``, whichever day of the week it falls on."""
    return day in _holidays(Calendar(calendar), day.year)


def is_makeup_workday(day: datetime.date, calendar: Calendar | str) -> bool:
    """A weekend day the government has made a working day (the mainland's only)."""
    return day.weekday() >= SATURDAY and day in _holidays(Calendar(calendar), day.year).weekend_workdays


def is_working_day(day: datetime.date, calendar: Calendar | str) -> bool:
    if day.weekday() >= SATURDAY:
        return is_makeup_workday(day, calendar)
    return not is_holiday(day, calendar)


def working_days_after(day: datetime.date, n: int, calendar: Calendar | str) -> datetime.date:
    """The n-th working day after ``day`` (``day`` itself for n = 0, whether it is a working day
    or not), so that ``working_days_between(day, working_days_after(day, n)) == n``."""
    if n < 0:
        raise ValueError(f"n must not be negative, not {n}")
    calendar = Calendar(calendar)
    while n:
        day += ONE_DAY
        n -= is_working_day(day, calendar)
    return day


def working_days_between(start: datetime.date, end: datetime.date, calendar: Calendar | str) -> int:
    """The working days in (start, end]: how many working days from ``start`` it takes to reach
    ``end``; negative when ``end`` is before ``start`` (``-working_days_between(end, start)``).
    "Due in two working days" is a due date two working days from today; overdue is negative."""
    if end < start:
        return -working_days_between(end, start, calendar)
    calendar = Calendar(calendar)
    return sum(is_working_day(start + ONE_DAY * k, calendar) for k in range(1, (end - start).days + 1))

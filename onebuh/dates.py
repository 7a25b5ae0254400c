"""Almaty days, months and the night works window: the one home of calendar arithmetic.

The service keeps time in Asia/Almaty (UTC+5 since 2024-03, checked by `onebuh.checks`); billing
periods, quotas and compensation months are calendar months there (3.5, 4.4, 9.3), and planned
works run in the 01:00–06:00 window of one night (6.2). Every app takes its days, months and
windows from here instead of rebuilding them with `replace(day=1)` or a fixed offset.

A `date` argument names a day (or, for the month helpers, any day of the month); a `datetime`
argument is a moment and is first read in Almaty time. Aware datetimes come back in Almaty time,
intervals as half-open `[start, end)` pairs. Business hours (support calendars) are data, not
this module: see `support.sla`.
"""

import calendar
import datetime as dt

from django.utils import timezone

Interval = tuple[dt.datetime, dt.datetime]

# 6.2: planned works run between 01:00 and 06:00 GMT+5, the hours of least load.
WORKS_WINDOW_START = dt.time(1, 0)
WORKS_WINDOW_END = dt.time(6, 0)


def almaty():
    """The service's time zone (settings.TIME_ZONE, Asia/Almaty); read at call time."""
    return timezone.get_default_timezone()


def today() -> dt.date:
    return timezone.localdate()


def local_date(moment: dt.datetime) -> dt.date:
    """The Almaty calendar day of an aware moment."""
    return timezone.localtime(moment).date()


def _day(day: dt.date) -> dt.date:
    return local_date(day) if isinstance(day, dt.datetime) else day


def at_time(day: dt.date, time: dt.time) -> dt.datetime:
    """`time` o'clock in Almaty on `day`, aware."""
    return dt.datetime.combine(_day(day), time, tzinfo=almaty())


def day_start(day: dt.date) -> dt.datetime:
    """Midnight in Almaty at the start of `day`, aware."""
    return at_time(day, dt.time.min)


def day_bounds(day: dt.date) -> Interval:
    """The Almaty day `day` as [midnight, next midnight)."""
    day = _day(day)
    return day_start(day), day_start(day + dt.timedelta(days=1))


def days_in_month(day: dt.date) -> int:
    day = _day(day)
    return calendar.monthrange(day.year, day.month)[1]


def month_start(day: dt.date) -> dt.date:
    """The first day of the month containing `day` (the key billing and compensation use)."""
    return _day(day).replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of the month containing `day`."""
    return _day(day).replace(day=days_in_month(day))


def month_shift(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` calendar months after (or before) `day`'s month."""
    day = _day(day)
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def next_month_start(day: dt.date) -> dt.date:
    return month_shift(day, 1)


def previous_month_start(day: dt.date) -> dt.date:
    return month_shift(day, -1)


def month_bounds(day: dt.date) -> Interval:
    """The calendar month (Almaty time) containing `day` as [start, end) aware datetimes."""
    return day_start(month_start(day)), day_start(next_month_start(day))


def works_window(day: dt.date) -> Interval:
    """6.2: the night window of `day` (01:00–06:00 Almaty) as aware datetimes."""
    return at_time(day, WORKS_WINDOW_START), at_time(day, WORKS_WINDOW_END)


def in_works_window(moment: dt.datetime) -> bool:
    """6.2: `moment` lies inside a night's works window."""
    start, end = works_window(moment)
    return start <= moment < end


def within_one_works_window(starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    """6.2: both ends lie inside the works window of the night `starts_at` falls on."""
    start, end = works_window(starts_at)
    return start <= starts_at and ends_at <= end


def first_works_window_at_or_after(moment: dt.datetime) -> dt.datetime:
    """The start of the first night window that begins at or after `moment`."""
    start = works_window(moment)[0]
    if start < moment:
        start = works_window(local_date(moment) + dt.timedelta(days=1))[0]
    return start

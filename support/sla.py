"""Reaction deadlines on business calendars (6.1, 6.3, 6.4).

`reaction_due_at(category, opened_at)` adds the category's reaction time to the opening time,
counting only the working intervals of the category's calendar. It walks whole days and
intervals, never minutes, so a deadline weeks ahead costs microseconds.

What counts as the reaction (the clock stops): the first public reply by staff, or the ticket's
acceptance into work (also a deferral or refusal, which are public staff answers), whichever is
first. Internal notes, automatic replies and the subscriber's own messages do not stop it.

The calendars are data (support.models.Calendar); their snapshot is cached in the process and
reloaded when `calendars_changed()` bumps the version (the admin does) — other processes notice
the new version within RECHECK_SECONDS.
"""

import datetime
import time
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext, ngettext

from .models import Calendar, CalendarException, Category, ExceptionKind

HOUR = 3600 * 1_000_000  # microseconds

# category: (reaction time in hours, calendar code) — exactly as the terms set them.
CATEGORY_SLA: dict[str, tuple[int, str]] = {
    Category.ACCESS: (8, "weekdays_10_19"),  # 6.1
    Category.INCIDENT_1: (4, "round_the_clock"),  # 6.3, level 1
    Category.INCIDENT_2: (4, "weekdays_10_19"),  # 6.3, level 2
    Category.INCIDENT_3: (8, "weekdays_10_19"),  # 6.3, level 3
    Category.TECHNICAL: (8, "round_the_clock"),  # 6.4, operator
    Category.METHODOLOGICAL: (8, "weekdays_09_18"),  # 6.4, partner
    Category.INDIVIDUAL: (4, "weekdays_09_18"),  # 6.4, partner
}
# The queue and the assignee are warned when this share of the reaction time has passed.
WARNING_SHARE = 0.75
RECHECK_SECONDS = 30
MAX_DAYS = 3660  # a calendar without any working time must fail, not loop forever
VERSION_KEY = "support:calendars:version"
DAY = 24 * HOUR


@dataclass(frozen=True)
class Schedule:
    tz: ZoneInfo
    weekly: tuple[tuple[tuple[int, int], ...], ...]  # per weekday: (start, end) µs after midnight
    follows_public_holidays: bool
    holidays: frozenset
    workdays: frozenset
    # Working time of whole days, filled as asked (the calendar is immutable once loaded).
    _day_totals: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def intervals(self, day: datetime.date) -> tuple[tuple[int, int], ...]:
        if self.follows_public_holidays:
            if day in self.holidays:
                return ()
            if day in self.workdays:
                return self.weekly[0]  # a transferred working day has a Monday's hours
        return self.weekly[day.weekday()]

    def add(self, start: datetime.datetime, duration_us: int) -> datetime.datetime:
        """The moment when `duration_us` of working time has passed after `start`."""
        local = start.astimezone(self.tz)
        day = local.date()
        midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=self.tz)
        cursor = (local - midnight) // datetime.timedelta(microseconds=1)
        remaining = duration_us
        one_day = datetime.timedelta(days=1)
        for _ in range(MAX_DAYS):
            for begin, end in self.intervals(day):
                if end <= cursor:
                    continue
                begin = max(begin, cursor)
                available = end - begin
                if remaining <= available:
                    return midnight + datetime.timedelta(microseconds=begin + remaining)
                remaining -= available
            day += one_day
            midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=self.tz)
            cursor = 0
        raise ImproperlyConfigured(f"The calendar has no working time within {MAX_DAYS} days.")

    def working_between(self, start: datetime.datetime, end: datetime.datetime) -> int:
        """Working time (µs) between two moments; negative when `end` is before `start`.

        The first and last days are cut at the moments; the days between count whole, their
        totals kept per schedule (the queue asks this for every row of a page)."""
        if end < start:
            return -self.working_between(end, start)
        local, local_end = start.astimezone(self.tz), end.astimezone(self.tz)
        day, last = local.date(), local_end.date()
        low, high = _wall_micros(local), _wall_micros(local_end)
        if day == last:
            return _overlap(self.intervals(day), low, high)
        total = _overlap(self.intervals(day), low, DAY)
        one_day = datetime.timedelta(days=1)
        totals = self._day_totals
        day += one_day
        while day < last:
            whole = totals.get(day)
            if whole is None:
                whole = totals[day] = sum(end - begin for begin, end in self.intervals(day))
            total += whole
            day += one_day
        return total + _overlap(self.intervals(last), 0, high)


def _wall_micros(moment: datetime.datetime) -> int:
    """Microseconds after the local midnight on the wall clock (the intervals are wall times)."""
    return (
        (moment.hour * 60 + moment.minute) * 60 + moment.second
    ) * 1_000_000 + moment.microsecond


def _overlap(intervals, low: int, high: int) -> int:
    total = 0
    for begin, finish in intervals:
        overlap = min(finish, high) - max(begin, low)
        if overlap > 0:
            total += overlap
    return total


def _micros(value: datetime.time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond


def _load() -> dict[str, Schedule]:
    holidays, workdays = set(), set()
    for date, kind in CalendarException.objects.values_list("date", "kind"):
        (holidays if kind == ExceptionKind.HOLIDAY else workdays).add(date)
    schedules = {}
    for calendar in Calendar.objects.prefetch_related("intervals"):
        weekly: list[list[tuple[int, int]]] = [[] for _ in range(7)]
        for interval in calendar.intervals.all():
            end = _micros(interval.ends) or DAY  # 00:00 as an end is midnight
            weekly[interval.weekday].append((_micros(interval.starts), end))
        schedules[calendar.code] = Schedule(
            tz=ZoneInfo(calendar.time_zone),
            weekly=tuple(tuple(sorted(day)) for day in weekly),
            follows_public_holidays=calendar.follows_public_holidays,
            holidays=frozenset(holidays),
            workdays=frozenset(workdays),
        )
    return schedules


class _Snapshot:
    schedules: dict[str, Schedule] | None = None
    version: str | None = None
    checked_at: float = 0.0


_snapshot = _Snapshot()


def schedules() -> dict[str, Schedule]:
    now = time.monotonic()
    if _snapshot.schedules is not None and now - _snapshot.checked_at < RECHECK_SECONDS:
        return _snapshot.schedules
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
    if _snapshot.schedules is None or version != _snapshot.version:
        _snapshot.schedules = _load()
        _snapshot.version = version
    _snapshot.checked_at = now
    return _snapshot.schedules


def calendars_changed() -> None:
    """Call after calendars or exceptions change: every process reloads them."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    _snapshot.schedules = None


def schedule_for(category: str) -> Schedule:
    _hours, code = CATEGORY_SLA[category]
    try:
        return schedules()[code]
    except KeyError:
        raise ImproperlyConfigured(f"The business calendar {code!r} is missing.") from None


def _check(opened_at: datetime.datetime) -> None:
    if opened_at.tzinfo is None or opened_at.utcoffset() is None:
        raise ValueError("opened_at must be an aware datetime")


def reaction_due_at(category: str, opened_at: datetime.datetime) -> datetime.datetime:
    """The promised reaction time of a ticket of `category` opened at `opened_at` (aware)."""
    _check(opened_at)
    hours, _code = CATEGORY_SLA[category]
    return schedule_for(category).add(opened_at, hours * HOUR)


def warning_at(category: str, opened_at: datetime.datetime) -> datetime.datetime:
    """When 75% of the reaction time has passed: the queue and the assignee are warned."""
    _check(opened_at)
    hours, _code = CATEGORY_SLA[category]
    return schedule_for(category).add(opened_at, int(hours * HOUR * WARNING_SHARE))


def reaction_hours(category: str) -> int:
    return CATEGORY_SLA[category][0]


def reaction_time_text(category: str) -> str:
    """The category's promise in words, as the terms put it: «8 часов, по будням 10:00–19:00»."""

    hours, code = CATEGORY_SLA[category]
    period = {
        "round_the_clock": gettext("round the clock"),
        "weekdays_10_19": gettext("on working days 10:00–19:00"),
        "weekdays_09_18": gettext("on working days 09:00–18:00"),
    }[code]
    return ngettext("%(hours)d hour, %(period)s", "%(hours)d hours, %(period)s", hours) % {
        "hours": hours,
        "period": period,
    }


def business_time(
    category: str, start: datetime.datetime, end: datetime.datetime
) -> datetime.timedelta:
    """Working time of the category's calendar between two aware moments (negative if reversed):
    the queue's "time left" and the SLA report's reaction times are counted in it."""
    _check(start)
    _check(end)
    return datetime.timedelta(microseconds=schedule_for(category).working_between(start, end))


def format_business_time(delta: datetime.timedelta | None) -> str:
    """ "2 ч 15 мин" (working hours do not roll over into days: 30 h are "30 ч 00 мин")."""
    if delta is None:
        return "—"
    minutes = int(abs(delta.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    sign = "−" if delta.total_seconds() < 0 else ""
    return f"{sign}{hours} ч {minutes:02d} мин"

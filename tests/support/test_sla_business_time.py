"""Business time between two moments (the queue's "time left", the SLA report) counts whole days
from a per-schedule cache: it must agree with walking every day's intervals."""

import datetime
import random
from zoneinfo import ZoneInfo

from support.sla import DAY, HOUR, Schedule

ALMATY = ZoneInfo("Asia/Almaty")


def _walked(schedule: Schedule, start, end) -> int:
    """The plain definition: every day from start to end, each interval cut at the moments."""
    if end < start:
        return -_walked(schedule, end, start)
    local, local_end = start.astimezone(schedule.tz), end.astimezone(schedule.tz)
    day, total = local.date(), 0
    while day <= local_end.date():
        midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=schedule.tz)
        low = max(0, (local - midnight) // datetime.timedelta(microseconds=1))
        high = (local_end - midnight) // datetime.timedelta(microseconds=1)
        for begin, finish in schedule.intervals(day):
            total += max(0, min(finish, high) - max(begin, low))
        day += datetime.timedelta(days=1)
    return total


def test_working_between_agrees_with_walking_every_day():
    office = tuple(
        ((10 * HOUR, 13 * HOUR), (14 * HOUR, 19 * HOUR)) if d < 5 else () for d in range(7)
    )
    schedules = [
        Schedule(
            ALMATY,
            office,
            True,
            frozenset({datetime.date(2026, 12, 16), datetime.date(2026, 12, 17)}),
            frozenset({datetime.date(2026, 12, 19)}),  # a transferred working Saturday
        ),
        Schedule(ALMATY, tuple(((0, DAY),) for _ in range(7)), False, frozenset(), frozenset()),
    ]
    rng = random.Random(13)
    base = datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)
    for schedule in schedules:
        for _ in range(3000):
            start = base + datetime.timedelta(seconds=rng.randint(0, 60 * 86400))
            span = rng.choice([7200, 3 * 86400, 45 * 86400])
            end = start + datetime.timedelta(seconds=rng.randint(-span, span))
            assert schedule.working_between(start, end) == _walked(schedule, start, end)
    # a known figure: Mon 14 Dec 12:00 → Mon 21 Dec 12:00 over two holidays and a working Saturday
    office_hours = schedules[0].working_between(
        datetime.datetime(2026, 12, 14, 12, tzinfo=ALMATY),
        datetime.datetime(2026, 12, 21, 12, tzinfo=ALMATY),
    )
    # Mon 12–19 less lunch, Tue, (Wed, Thu holidays), Fri, Sat with Monday's hours, Mon 10–12
    assert office_hours == (6 + 8 + 8 + 8 + 2) * HOUR

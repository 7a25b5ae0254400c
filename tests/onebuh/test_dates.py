"""onebuh.dates: the one home of Almaty days, months and the 6.2 works window."""

import ast
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from onebuh import dates

ALMATY = ZoneInfo("Asia/Almaty")
ROOT = Path(__file__).resolve().parents[2]
APPS = ("onebuh", "subscribers", "billing", "infobases", "support", "operations", "outbox", "api")


def test_month_helpers_over_year_ends_and_leap_february():
    assert dates.month_start(dt.date(2026, 12, 31)) == dt.date(2026, 12, 1)
    assert dates.month_end(dt.date(2028, 2, 3)) == dt.date(2028, 2, 29)
    assert dates.next_month_start(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)
    assert dates.previous_month_start(dt.date(2026, 1, 15)) == dt.date(2025, 12, 1)
    assert dates.month_shift(dt.date(2026, 11, 30), 14) == dt.date(2028, 1, 1)
    assert dates.days_in_month(dt.date(2027, 2, 1)) == 28


def test_month_bounds_are_almaty_midnights():
    start, end = dates.month_bounds(dt.date(2026, 12, 17))
    assert start == dt.datetime(2026, 12, 1, tzinfo=ALMATY)
    assert end == dt.datetime(2027, 1, 1, tzinfo=ALMATY)
    assert start.utcoffset() == dt.timedelta(hours=5)


def test_a_moment_is_read_in_almaty_time():
    # 20:30 UTC on 30 November is already 1 December in Almaty.
    moment = dt.datetime(2026, 11, 30, 20, 30, tzinfo=dt.UTC)
    assert dates.local_date(moment) == dt.date(2026, 12, 1)
    assert dates.month_start(moment) == dt.date(2026, 12, 1)
    assert dates.month_bounds(moment)[0] == dt.datetime(2026, 12, 1, tzinfo=ALMATY)
    assert dates.day_bounds(moment) == (
        dt.datetime(2026, 12, 1, tzinfo=ALMATY),
        dt.datetime(2026, 12, 2, tzinfo=ALMATY),
    )


@pytest.mark.parametrize(
    ("hour", "minute", "inside"),
    [(0, 59, False), (1, 0, True), (5, 59, True), (6, 0, False)],
)
def test_works_window_is_one_to_six_almaty(hour, minute, inside):
    assert dates.in_works_window(dt.datetime(2026, 11, 20, hour, minute, tzinfo=ALMATY)) is inside


def test_within_one_works_window():
    night = dt.datetime(2026, 11, 20, 2, 0, tzinfo=ALMATY)
    assert dates.within_one_works_window(night, night + dt.timedelta(hours=4))
    assert not dates.within_one_works_window(night, night + dt.timedelta(hours=4, minutes=1))
    assert not dates.within_one_works_window(night - dt.timedelta(hours=2), night)


def test_first_works_window_at_or_after():
    assert dates.first_works_window_at_or_after(
        dt.datetime(2026, 11, 20, 0, 30, tzinfo=ALMATY)
    ) == dt.datetime(2026, 11, 20, 1, 0, tzinfo=ALMATY)
    assert dates.first_works_window_at_or_after(
        dt.datetime(2026, 11, 20, 1, 0, 1, tzinfo=ALMATY)
    ) == dt.datetime(2026, 11, 21, 1, 0, tzinfo=ALMATY)


def _month_arithmetic_outside_dates_module() -> list[str]:
    """Calls that rebuild calendar arithmetic by hand: `x.replace(day=…)`, `monthrange(…)`,
    `ZoneInfo(…)` / a fixed `timezone(timedelta(hours=5))` in application code."""
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "onebuh" / "dates.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                by_day = name == "replace" and any(k.arg == "day" for k in node.keywords)
                fixed_offset = name == "timezone" and bool(node.args)
                if by_day or fixed_offset or name in ("monthrange", "ZoneInfo"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return found


def test_no_hand_made_month_or_zone_arithmetic_outside_onebuh_dates():
    allowed = {
        # It names zones on purpose: it checks what Asia/Almaty's offset is.
        "onebuh/checks.py",
        # A support calendar's zone is data (Calendar.time_zone, edited by staff).
        "support/sla.py",
    }
    found = [f for f in _month_arithmetic_outside_dates_module() if f.split(":")[0] not in allowed]
    assert found == [], "use onebuh.dates instead:\n" + "\n".join(found)

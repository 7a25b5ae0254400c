"""9.3 and 9.5 arithmetic: pure functions, no database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from onebuh.dates import month_bounds
from operations.compensation import (
    compensable_downtime,
    compensation_amount,
    full_hours,
    merge_intervals,
    subtract_intervals,
)
from tests.conftest import at

FEE = Decimal("30000.00")
NOV = date(2026, 11, 1)


def test_under_an_hour_is_worth_nothing():
    assert compensation_amount(FEE, timedelta(minutes=59, seconds=59)) == Decimal("0.00")


def test_each_full_hour_is_one_percent_of_the_fee():
    assert compensation_amount(FEE, timedelta(hours=3)) == Decimal("900.00")
    assert compensation_amount(FEE, timedelta(hours=3, minutes=59)) == Decimal("900.00")


def test_a_hundred_hours_is_the_whole_fee():
    assert compensation_amount(FEE, timedelta(hours=100)) == FEE


def test_above_a_hundred_hours_is_capped_at_the_fee():
    assert compensation_amount(FEE, timedelta(hours=250)) == FEE
    assert compensation_amount(FEE, timedelta(days=31)) == FEE


def test_amount_is_rounded_half_up_to_the_tiyn():
    # 1234.50 / 100 × 3 = 37.035 → 37.04; 999.99 / 100 × 1 = 9.9999 → 10.00
    assert compensation_amount(Decimal("1234.50"), timedelta(hours=3)) == Decimal("37.04")
    assert compensation_amount(Decimal("999.99"), timedelta(hours=1)) == Decimal("10.00")
    assert compensation_amount(Decimal("0.00"), timedelta(hours=5)) == Decimal("0.00")


def test_overlapping_intervals_count_once():
    counted = [
        (at(date(2026, 11, 3), 10), at(date(2026, 11, 3), 12)),
        (at(date(2026, 11, 3), 11), at(date(2026, 11, 3), 13)),
        (at(date(2026, 11, 3), 13), at(date(2026, 11, 3), 14)),
    ]
    assert compensable_downtime(counted=counted, excluded=[], month=NOV) == timedelta(hours=4)


def test_full_hours_are_counted_on_the_month_total_not_per_incident():
    counted = [
        (at(date(2026, 11, 3), 10), at(date(2026, 11, 3), 10, 40)),
        (at(date(2026, 11, 9), 1), at(date(2026, 11, 9), 1, 40)),
    ]
    downtime = compensable_downtime(counted=counted, excluded=[], month=NOV)
    assert downtime == timedelta(minutes=80)
    assert full_hours(downtime) == 1
    assert compensation_amount(FEE, downtime) == Decimal("300.00")


def test_excluded_time_is_removed_even_where_it_overlaps():
    counted = [(at(date(2026, 11, 5), 1), at(date(2026, 11, 5), 7))]
    planned_work = [(at(date(2026, 11, 5), 1), at(date(2026, 11, 5), 3))]
    force_majeure = [(at(date(2026, 11, 5), 5), at(date(2026, 11, 5), 6))]
    downtime = compensable_downtime(
        counted=counted, excluded=planned_work + force_majeure, month=NOV
    )
    assert downtime == timedelta(hours=3)


def test_interval_crossing_a_month_boundary_is_split_between_months():
    counted = [(at(date(2026, 10, 31), 22), at(date(2026, 11, 1), 3))]
    assert compensable_downtime(counted=counted, excluded=[], month=date(2026, 10, 1)) == timedelta(
        hours=2
    )
    assert compensable_downtime(counted=counted, excluded=[], month=NOV) == timedelta(hours=3)


def test_month_is_the_almaty_calendar_month():
    start, end = month_bounds(date(2026, 11, 17))
    assert start == at(date(2026, 11, 1)) and end == at(date(2026, 12, 1))
    assert start.utcoffset() == timedelta(hours=5)


@pytest.mark.parametrize(
    ("base", "removed", "expected"),
    [
        ([(1, 5)], [(2, 3)], [(1, 2), (3, 5)]),
        ([(1, 5)], [(0, 6)], []),
        ([(1, 3), (4, 8)], [(2, 5), (7, 9)], [(1, 2), (5, 7)]),
        ([(1, 3)], [], [(1, 3)]),
    ],
)
def test_subtract_intervals(base, removed, expected):
    def iv(pairs):
        return [(at(date(2026, 11, 1), a), at(date(2026, 11, 1), b)) for a, b in pairs]

    assert subtract_intervals(merge_intervals(iv(base)), merge_intervals(iv(removed))) == iv(
        expected
    )

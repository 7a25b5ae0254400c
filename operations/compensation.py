"""Downtime compensation arithmetic (9.3, 9.5): pure functions over intervals and money.

The one rule for "how much is a month's downtime worth"; only operations uses it (claims,
proposals, credits, reports, the status page's uptime). The operator's records are loaded by
`operations.selectors` (`subscriber_month_downtime`, `month_downtime_data`), months and days come
from `onebuh.dates`.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from onebuh.dates import Interval, month_bounds

HOUR = timedelta(hours=1)
CENT = Decimal("0.01")
# 9.3: 1% of the month's fee per full hour, never more than 100% of that month's fee.
PERCENT_PER_HOUR = 1
MAX_PERCENT = 100


def full_hours(downtime: timedelta) -> int:
    """9.3: only full hours count; a month's 59 minutes are worth nothing."""
    if downtime <= timedelta(0):
        return 0
    return int(downtime // HOUR)


def compensation_percent(downtime: timedelta) -> int:
    return min(full_hours(downtime) * PERCENT_PER_HOUR, MAX_PERCENT)


def compensation_amount(monthly_fee: Decimal, downtime: timedelta) -> Decimal:
    """9.3: fee / 100 × full hours of the month's downtime, capped at the month's fee.

    `downtime` is the month's total compensable downtime (full hours are counted on the total,
    not per incident). Rounded to 0.01 KZT half up.
    """
    if monthly_fee <= 0:
        return Decimal("0.00")
    percent = compensation_percent(downtime)
    return (Decimal(monthly_fee) * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching intervals become one, so overlaps count once (9.3)."""
    merged: list[list[datetime]] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def subtract_intervals(base: list[Interval], removed: list[Interval]) -> list[Interval]:
    """`base` minus `removed`; both merged and sorted (as merge_intervals returns them)."""
    result: list[Interval] = []
    index = 0
    for start, end in base:
        cursor = start
        while index < len(removed) and removed[index][1] <= cursor:
            index += 1
        probe = index
        while probe < len(removed) and removed[probe][0] < end:
            cut_start, cut_end = removed[probe]
            if cut_start > cursor:
                result.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
            if cursor >= end:
                break
            probe += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def clip(intervals: Iterable[Interval], window: Interval) -> list[Interval]:
    """The parts inside `window`: an interval crossing a month boundary is split (9.3)."""
    low, high = window
    return [(max(s, low), min(e, high)) for s, e in intervals if e > low and s < high]


def total(intervals: Iterable[Interval]) -> timedelta:
    return sum((end - start for start, end in intervals), timedelta(0))


def downtime_in_window(
    *, counted: Iterable[Interval], excluded: Iterable[Interval], window: Interval
) -> timedelta:
    """Counted time inside `window` minus excluded time; overlaps count once."""
    counted_merged = merge_intervals(clip(counted, window))
    excluded_merged = merge_intervals(clip(excluded, window))
    return total(subtract_intervals(counted_merged, excluded_merged))


def compensable_downtime(
    *, counted: Iterable[Interval], excluded: Iterable[Interval], month: date
) -> timedelta:
    """A month's compensable downtime from the operator's intervals.

    `counted`: downtime by the operator's fault (incidents, unplanned works). `excluded`: time
    9.5 takes out (force majeure, the subscriber's actions, third-party software, outside
    networks and DNS, planned works) and time the subscriber was suspended for non-payment
    (3.5) — removed even where it overlaps counted time. Intervals still open are passed closed
    at the current time by the caller.
    """
    return downtime_in_window(counted=counted, excluded=excluded, window=month_bounds(month))

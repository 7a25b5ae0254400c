"""Calendar arithmetic of billing. Periods are calendar months in Almaty time (3.5, 9.3)."""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# The invoice is due this many days after it is issued; unpaid the day after, access is suspended.
PAYMENT_TERM_DAYS = 10
# 3.6: the data may be deleted after 30 calendar days without payment.
PURGE_AFTER_DAYS = 30
# Reminder before the due date, and the warnings before the purge (days ahead).
REMINDER_DAYS_BEFORE_DUE = 3
PURGE_WARNING_DAYS = (7, 1)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month_start(day: datetime.date) -> datetime.date:
    return month_end(day) + datetime.timedelta(days=1)


def prorate(fee: Decimal, start: datetime.date) -> Decimal:
    """The part of a month's fee for the days from `start` to the end of its month, inclusive."""
    days_in_month = calendar.monthrange(start.year, start.month)[1]
    days = (month_end(start) - start).days + 1
    return money(fee * days / days_in_month)


def today() -> datetime.date:
    return timezone.localdate()


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight in Almaty at the start of `day`, aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

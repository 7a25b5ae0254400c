"""Billing's terms and money rounding. Periods are calendar months in Almaty time (3.5): the
days and months themselves come from `onebuh.dates`."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from onebuh.dates import days_in_month, month_end

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


def prorate(fee: Decimal, start: datetime.date) -> Decimal:
    """The part of a month's fee for the days from `start` to the end of its month, inclusive."""
    days = (month_end(start) - start).days + 1
    return money(fee * days / days_in_month(start))

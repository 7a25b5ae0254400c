import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.billing.factories import SubscriptionFactory, TariffFactory

FEE = Decimal("30000.00")
# The note an accountant gives when approving more than the operator's own figure (9.2).
NOTE = "Подтверждено журналом событий абонента"


def at(day: int, hour: int = 0, minute: int = 0, *, month: int = 11, year: int = 2026):
    """An aware Almaty moment (GMT+5)."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@pytest.fixture
def travel(time_machine):
    """travel(moment): freeze time there (tick=False) until the test ends or the next call."""

    def go(moment):
        time_machine.move_to(moment, tick=False)
        return moment

    return go


@pytest.fixture
def with_fee():
    """with_fee(subscriber, fee): the subscriber is on a tariff of that monthly fee."""

    def give(subscriber, fee=FEE):
        SubscriptionFactory(subscriber=subscriber, tariff=TariffFactory(monthly_fee=fee))
        return subscriber

    return give

from decimal import Decimal

import pytest

from tests.billing.factories import SubscriptionFactory, TariffFactory

FEE = Decimal("30000.00")
# The note an accountant gives when approving more than the operator's own figure (9.2).
NOTE = "Подтверждено журналом событий абонента"


@pytest.fixture
def with_fee():
    """with_fee(subscriber, fee): the subscriber is on a tariff of that monthly fee."""

    def give(subscriber, fee=FEE):
        SubscriptionFactory(subscriber=subscriber, tariff=TariffFactory(monthly_fee=fee))
        return subscriber

    return give

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.services import billing_run
from outbox.dispatcher import outbox_dispatch
from tests.billing.factories import SubscriptionFactory, TariffFactory

# A fixed calendar: November 2026 in Almaty. Invoices of the 1st are due on the 11th.
NOV_1 = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=timezone.get_fixed_timezone(300))


@pytest.fixture
def tariff(db):
    return TariffFactory(monthly_fee=Decimal("30000.00"))


@pytest.fixture
def subscription(subscriber, tariff, travel):
    """The persona subscriber on a 30 000 ₸ tariff, charged from 1 November 2026."""
    travel(NOV_1)
    return SubscriptionFactory(
        subscriber=subscriber, tariff=tariff, billable_from=datetime.date(2026, 11, 1)
    )


@pytest.fixture
def charged(subscription):
    """The November invoice of the persona subscriber: 30 000 ₸, due 11.11.2026."""
    (invoice,) = billing_run()
    outbox_dispatch()  # its invoice email goes out, as after the run's commit
    return invoice


@pytest.fixture
def sent_on_commit(django_capture_on_commit_callbacks):
    """Run what the code sends after commit (emails), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)

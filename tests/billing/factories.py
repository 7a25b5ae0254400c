"""Billing factories. Money states are reached through the services, never written directly."""

from decimal import Decimal

import factory
from django.utils import timezone

from billing.models import Subscription, Tariff
from tests.factories import SubscriberFactory


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff

    code = factory.Sequence(lambda n: f"tariff-{n}")
    name = factory.Sequence(lambda n: f"Тариф {n}")
    monthly_fee = Decimal("10000.00")
    max_users = 5
    max_infobases = 3
    backup_retention_days = 14
    methodological_quota = 5
    individual_quota = 1


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A subscription charged from the 1st of the current month (a full month)."""

    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    tariff = factory.SubFactory(TariffFactory)
    billable_from = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from billing.models import InvoiceKind, Subscription
from billing.services import billing_run, subscription_change_tariff, subscription_order
from subscribers.models import AuditEntry
from tests.billing.conftest import NOV_1
from tests.billing.factories import TariffFactory
from tests.conftest import at
from tests.factories import MembershipFactory
from tests.infobases.factories import AccessFactory, InfobaseFactory


def test_ordering_invoices_the_rest_of_the_month(subscriber, owner, tariff, travel):
    travel(at(datetime.date(2026, 11, 16), 9))  # 15 of 30 days left.
    invoice = subscription_order(subscriber=subscriber, tariff=tariff, actor=owner)
    assert invoice.total == Decimal("15000.00")
    assert invoice.period_start == datetime.date(2026, 11, 16)
    assert AuditEntry.objects.filter(action="billing.order", subscriber=subscriber).exists()
    travel(at(datetime.date(2026, 12, 1), 9))
    (december,) = billing_run()
    assert december.total == Decimal("30000.00")


def test_the_order_page_shows_the_first_invoice_before_confirming(
    client, subscriber, owner, tariff, travel
):
    travel(at(datetime.date(2026, 11, 16), 9))
    client.force_login(owner)
    url = reverse("billing:tariffs")
    preview = client.post(url, {"tariff": tariff.pk})
    assert preview.status_code == 200
    assert "15\u00a0000,00\u00a0₸" in preview.content.decode()
    assert not Subscription.objects.filter(subscriber=subscriber).exists()
    confirmed = client.post(url, {"tariff": tariff.pk, "confirm": "1"})
    assert confirmed.status_code == 302
    assert subscriber.invoices.get().total == Decimal("15000.00")


def test_only_managers_order(client, subscriber, subscriber_accountant, tariff, travel):
    travel(NOV_1)
    client.force_login(subscriber_accountant)
    response = client.post(reverse("billing:tariffs"), {"tariff": tariff.pk, "confirm": "1"})
    assert response.status_code == 403
    assert not Subscription.objects.filter(subscriber=subscriber).exists()


def test_upgrade_takes_effect_at_once_with_a_prorated_charge(charged, subscriber, owner, travel):
    bigger = TariffFactory(monthly_fee=Decimal("60000.00"))
    travel(at(datetime.date(2026, 11, 21), 9))  # 10 of 30 days left.
    subscription, invoice = subscription_change_tariff(
        subscriber=subscriber, tariff=bigger, actor=owner
    )
    assert subscription.tariff == bigger
    assert invoice.kind == InvoiceKind.UPGRADE
    assert invoice.total == Decimal("10000.00")  # (60 000 − 30 000) × 10 / 30
    audit = AuditEntry.objects.get(action="billing.tariff_change", subscriber=subscriber)
    assert audit.data["to"] == bigger.code


def test_downgrade_takes_effect_next_month(charged, subscriber, owner, travel):
    smaller = TariffFactory(monthly_fee=Decimal("10000.00"))
    travel(at(datetime.date(2026, 11, 21), 9))
    subscription, invoice = subscription_change_tariff(
        subscriber=subscriber, tariff=smaller, actor=owner
    )
    assert invoice is None
    assert subscription.tariff != smaller
    assert subscription.pending_from == datetime.date(2026, 12, 1)
    travel(at(datetime.date(2026, 12, 1), 9))
    (december,) = billing_run()
    assert december.total == Decimal("10000.00")
    subscription.refresh_from_db()
    assert subscription.tariff == smaller and subscription.pending_tariff is None


def _in_use(subscriber, *, infobases, users):
    """`infobases` live infobases and `users` members with access to them (the infobase layer
    counts those as the tariff's 1C users)."""
    bases = InfobaseFactory.create_batch(infobases, subscriber=subscriber)
    for membership in MembershipFactory.create_batch(users, subscriber=subscriber, role="user"):
        AccessFactory(infobase=bases[0], membership=membership)


@pytest.mark.parametrize(("max_users", "max_infobases"), [(2, 5), (5, 1)])
def test_downgrade_is_refused_when_usage_exceeds_the_new_limits(
    charged, subscriber, owner, max_users, max_infobases
):
    _in_use(subscriber, infobases=2, users=3)
    tiny = TariffFactory(
        monthly_fee=Decimal("5000.00"),
        max_users=max_users,
        max_infobases=max_infobases,
        name="Мини",
    )
    with pytest.raises(ValidationError, match="Мини"):
        subscription_change_tariff(subscriber=subscriber, tariff=tiny, actor=owner)
    assert Subscription.objects.get(subscriber=subscriber).pending_tariff is None


def test_a_downgrade_that_fits_the_usage_is_accepted(charged, subscriber, owner):
    _in_use(subscriber, infobases=2, users=3)
    fits = TariffFactory(monthly_fee=Decimal("5000.00"), max_users=3, max_infobases=2)
    subscription, _invoice = subscription_change_tariff(
        subscriber=subscriber, tariff=fits, actor=owner
    )
    assert subscription.pending_tariff == fits


def test_a_refused_downgrade_shows_the_reason_on_the_page(client, charged, subscriber, owner):
    _in_use(subscriber, infobases=1, users=2)
    tiny = TariffFactory(monthly_fee=Decimal("5000.00"), max_users=1)
    client.force_login(owner)
    response = client.post(reverse("billing:tariffs"), {"tariff": tiny.pk})
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()

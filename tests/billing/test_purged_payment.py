"""A payment that lands on an account already purged: credited (the ledger is the record),
staff get a notice once, the admin lists the refund to make."""

import pytest
from django.core import mail
from django.urls import reverse

from billing.models import PaymentMethod
from billing.services import payment_record
from subscribers.models import Subscriber, SubscriberStatus

pytestmark = pytest.mark.django_db


def test_a_payment_on_a_purged_account_tells_staff_to_refund_it(
    subscriber, settings, staff_client, staff_admin
):
    settings.ONEBUH_ACCOUNTING_EMAIL = "buh@operator.kz"
    Subscriber.objects.filter(pk=subscriber.pk).update(status=SubscriberStatus.PURGED)
    payment, created = payment_record(
        subscriber=subscriber, amount="5000.00", method=PaymentMethod.PROVIDER, external_id="p-1"
    )
    assert created
    notices = [m for m in mail.outbox if m.to == ["buh@operator.kz"]]
    assert len(notices) == 1 and "p-1" in notices[0].body
    payment_record(
        subscriber=subscriber, amount="5000.00", method=PaymentMethod.PROVIDER, external_id="p-1"
    )
    assert len([m for m in mail.outbox if m.to == ["buh@operator.kz"]]) == 1
    client = staff_client(staff_admin)
    page = client.get(reverse("admin:billing_payment_changelist") + "?refund=purged")
    assert page.status_code == 200
    assert "Вернуть" in page.content.decode()


def test_a_payment_on_a_live_account_owes_no_refund_notice(subscriber, settings):
    settings.ONEBUH_ACCOUNTING_EMAIL = "buh@operator.kz"
    payment_record(
        subscriber=subscriber, amount="5000.00", method=PaymentMethod.PROVIDER, external_id="p-2"
    )
    assert not [m for m in mail.outbox if m.to == ["buh@operator.kz"]]

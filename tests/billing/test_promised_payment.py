"""Promised payment through the real passes, with time moved by time-machine."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from billing.models import PromisedPayment
from billing.services import (
    payment_record,
    subscribers_purge_expired,
    subscribers_suspend_overdue,
)
from billing.services.promised import promised_payment_take
from subscribers.models import AuditEntry, SubscriberStateChange, SubscriberStatus
from tests.conftest import at

NOV_12 = at(datetime.date(2026, 11, 12), 1)


@pytest.fixture
def suspended(charged, subscriber, travel):
    """Invoice due 11.11 unpaid: the pass of 12.11 suspends."""
    travel(NOV_12)
    assert subscribers_suspend_overdue() == [subscriber.pk]
    subscriber.refresh_from_db()
    return subscriber


def test_a_promised_payment_restores_access_and_the_pass_suspends_again_when_it_ends(
    suspended, charged, owner, travel
):
    first_suspension = suspended.status_changed_at
    travel(at(datetime.date(2026, 11, 12), 10))
    promise = promised_payment_take(subscriber=suspended, actor=owner)
    suspended.refresh_from_db()
    assert suspended.status == SubscriberStatus.ACTIVE
    assert promise.ends_at - promise.starts_at == datetime.timedelta(days=3)
    assert AuditEntry.objects.filter(action="billing.promised_payment").exists()
    # While it runs, the hourly pass leaves the subscriber active.
    travel(at(datetime.date(2026, 11, 15), 9))
    assert subscribers_suspend_overdue() == []
    # Once it has ended, still unpaid: suspended again; the purge clock keeps the first date.
    travel(at(datetime.date(2026, 11, 15), 11))
    assert subscribers_suspend_overdue() == [suspended.pk]
    suspended.refresh_from_db()
    assert suspended.status == SubscriberStatus.SUSPENDED
    assert suspended.status_changed_at == first_suspension
    change = SubscriberStateChange.objects.filter(
        subscriber=suspended, event=SubscriberStateChange.Event.PURGE_SCHEDULED
    ).latest("at")
    assert "12.12.2026" in change.cause
    # Once per overdue invoice.
    with pytest.raises(ValidationError):
        promised_payment_take(subscriber=suspended, actor=owner)
    # 30 days after the FIRST suspension the data is purged.
    travel(first_suspension + datetime.timedelta(days=30, hours=1))
    assert subscribers_purge_expired() == [suspended.pk]


def test_paying_during_the_promise_keeps_access(suspended, charged, owner, travel):
    travel(at(datetime.date(2026, 11, 12), 10))
    promised_payment_take(subscriber=suspended, actor=owner)
    payment_record(
        subscriber=suspended, amount=charged.amount_due, method="bank_transfer", external_id="9"
    )
    travel(at(datetime.date(2026, 11, 20), 9))
    assert subscribers_suspend_overdue() == []
    suspended.refresh_from_db()
    assert suspended.status == SubscriberStatus.ACTIVE


def test_an_active_subscriber_cannot_take_one(charged, subscriber, owner):
    with pytest.raises(ValidationError):
        promised_payment_take(subscriber=subscriber, actor=owner)
    assert not PromisedPayment.objects.exists()


def test_the_billing_page_offers_it_with_the_debt(client, owner, suspended, travel):
    client.force_login(owner)
    page = client.get(reverse("billing:index")).content.decode()
    assert "Обещанный платёж" in page
    assert "30\u00a0000,00\u00a0₸" in page
    response = client.post(reverse("billing:promised_payment"), follow=True)
    assert "Доступ восстановлен до" in response.content.decode()
    suspended.refresh_from_db()
    assert suspended.status == SubscriberStatus.ACTIVE


def test_a_member_of_another_subscriber_cannot_restore_it(client, outsider, suspended):
    client.force_login(outsider)
    client.post(reverse("billing:promised_payment"))
    suspended.refresh_from_db()
    assert suspended.status == SubscriberStatus.SUSPENDED

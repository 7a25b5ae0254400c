import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from billing.models import Invoice, InvoiceKind, InvoiceStatus, LedgerEntry, LedgerKind
from billing.selectors import balances_for, monthly_fee_for
from billing.services import billing_run, ledger_credit_bonus, payment_record
from subscribers.models import AuditEntry
from tests.billing.conftest import NOV_1
from tests.billing.factories import SubscriptionFactory
from tests.conftest import at


def test_monthly_run_charges_the_fee_and_issues_an_invoice_due_in_ten_days(charged, subscriber):
    assert charged.total == Decimal("30000.00")
    assert charged.amount_due == Decimal("30000.00")
    assert (charged.period_start, charged.period_end) == (
        datetime.date(2026, 11, 1),
        datetime.date(2026, 11, 30),
    )
    assert charged.due_date == datetime.date(2026, 11, 11)
    assert balances_for(subscriber=subscriber) == (Decimal("-30000.00"), Decimal("0.00"))


def test_running_twice_in_a_period_charges_once(charged, subscriber, travel):
    travel(at(datetime.date(2026, 11, 20), 9))
    assert billing_run() == []
    assert subscriber.invoices.count() == 1
    assert LedgerEntry.objects.filter(subscriber=subscriber, kind=LedgerKind.CHARGE).count() == 1


def test_the_database_refuses_a_second_charge_for_the_month(charged):
    """The invariant is a constraint, not only the run's check."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(
            number=charged.number + 1000,
            subscriber=charged.subscriber,
            kind=InvoiceKind.MONTHLY,
            tariff=charged.tariff,
            monthly_fee=charged.monthly_fee,
            month=charged.month,
            period_start=datetime.date(2026, 11, 15),
            period_end=charged.period_end,
            total=Decimal("1.00"),
            amount_due=Decimal("1.00"),
            due_date=charged.due_date,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            subscriber=charged.subscriber,
            kind=LedgerKind.CHARGE,
            money=Decimal("-1.00"),
            description="x",
            source_key="month:2026-11",
        )


def test_next_month_is_charged_on_its_first_day(charged, subscriber, travel):
    travel(at(datetime.date(2026, 11, 30), 23, 59))
    assert billing_run() == []
    travel(at(datetime.date(2026, 12, 1), 0, 10))
    (december,) = billing_run()
    assert december.month == datetime.date(2026, 12, 1)
    assert december.total == Decimal("30000.00")


def test_invoice_numbers_follow_without_gaps(travel, db):
    travel(NOV_1)
    SubscriptionFactory.create_batch(5)
    first = billing_run()
    travel(at(datetime.date(2026, 12, 1), 9))
    second = billing_run()
    numbers = sorted(i.number for i in first + second)
    assert numbers == list(range(numbers[0], numbers[0] + 10))


def test_bonuses_are_spent_before_money(subscription, subscriber):
    payment_record(
        subscriber=subscriber, amount=Decimal("50000.00"), method="bank_transfer", external_id="p1"
    )
    ledger_credit_bonus(
        subscriber=subscriber, amount=Decimal("1200.00"), reason="9.3", source_key="claim:1"
    )
    (invoice,) = billing_run()
    assert invoice.bonus_applied == Decimal("1200.00")
    assert invoice.amount_due == Decimal("28800.00")
    assert invoice.status == InvoiceStatus.PAID  # The advance paid the rest.
    assert balances_for(subscriber=subscriber) == (Decimal("21200.00"), Decimal("0.00"))


def test_bonuses_larger_than_the_fee_pay_it_all_and_the_rest_stays(subscription, subscriber):
    ledger_credit_bonus(
        subscriber=subscriber, amount=Decimal("45000.00"), reason="9.3", source_key="claim:2"
    )
    (invoice,) = billing_run()
    assert (invoice.bonus_applied, invoice.amount_due) == (Decimal("30000.00"), Decimal("0.00"))
    assert invoice.status == InvoiceStatus.PAID
    assert balances_for(subscriber=subscriber) == (Decimal("0.00"), Decimal("15000.00"))


def test_bonus_credit_is_idempotent_per_source_key(subscriber):
    first = ledger_credit_bonus(
        subscriber=subscriber, amount=Decimal("300.00"), reason="9.3", source_key="claim:7"
    )
    again = ledger_credit_bonus(
        subscriber=subscriber, amount=Decimal("300.00"), reason="9.3", source_key="claim:7"
    )
    assert again.pk == first.pk
    assert balances_for(subscriber=subscriber) == (Decimal("0.00"), Decimal("300.00"))
    assert AuditEntry.objects.filter(action="billing.bonus_credit").count() == 1


def test_ledger_entries_are_never_updated_or_deleted(charged):
    entry = LedgerEntry.objects.get(invoice=charged)
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(money=0)
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    entry.description = "rewritten"
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        entry.save()  # The database trigger refuses even a direct save.


def test_a_price_change_never_rewrites_past_charges(charged, subscriber, tariff, travel):
    tariff.monthly_fee = Decimal("45000.00")
    tariff.save(update_fields=["monthly_fee"])
    charged.refresh_from_db()
    assert charged.total == Decimal("30000.00")
    assert monthly_fee_for(subscriber=subscriber, month=datetime.date(2026, 11, 17)) == Decimal(
        "30000.00"
    )
    # A month not charged yet is priced at the tariff in force.
    assert monthly_fee_for(subscriber=subscriber, month=datetime.date(2026, 12, 1)) == Decimal(
        "45000.00"
    )
    travel(at(datetime.date(2026, 12, 1), 9))
    (december,) = billing_run()
    assert december.total == Decimal("45000.00")


def test_monthly_fee_is_zero_without_a_tariff(subscriber):
    assert monthly_fee_for(subscriber=subscriber, month=datetime.date(2026, 11, 1)) == Decimal(
        "0.00"
    )

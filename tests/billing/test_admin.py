import datetime
from decimal import Decimal

from django.urls import reverse

from billing.models import LedgerEntry, LedgerKind
from billing.selectors import balances_for
from billing.services import reconciliation_create, subscribers_suspend_overdue
from subscribers.models import SubscriberStatus, SuspensionReason
from tests.conftest import at


def test_an_accountant_sees_debtors_with_days_overdue_and_the_suspended_with_days_left(
    staff_client, staff_accountant, charged, subscriber, travel
):
    travel(at(datetime.date(2026, 11, 16), 9))
    subscribers_suspend_overdue()
    client = staff_client(staff_accountant)
    debtors = client.get(reverse("admin:billing_debtor_changelist")).content.decode()
    assert str(subscriber) in debtors
    assert '<td class="field-days_overdue">5</td>' in debtors  # Due 11.11, today 16.11.
    suspended = client.get(reverse("admin:billing_suspendedsubscriber_changelist")).content.decode()
    assert '<td class="field-days_left">30</td>' in suspended


def test_the_ledger_is_read_only_and_add_records_a_correction(
    staff_client, staff_accountant, charged, subscriber
):
    client = staff_client(staff_accountant)
    entry = LedgerEntry.objects.get(invoice=charged)
    change = client.post(reverse("admin:billing_ledgerentry_change", args=[entry.pk]), {})
    assert change.status_code in (200, 403)
    response = client.post(
        reverse("admin:billing_ledgerentry_add"),
        {"subscriber": subscriber.pk, "account": "bonus", "amount": "500.00", "reason": "Акция"},
    )
    assert response.status_code == 302
    correction = LedgerEntry.objects.get(kind=LedgerKind.CORRECTION)
    assert (correction.bonus, correction.actor) == (Decimal("500.00"), staff_accountant)
    assert entry.money == LedgerEntry.objects.get(pk=entry.pk).money
    delete_url = reverse("admin:billing_ledgerentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_a_correction_without_a_reason_changes_nothing(staff_client, staff_accountant, subscriber):
    client = staff_client(staff_accountant)
    response = client.post(
        reverse("admin:billing_ledgerentry_add"),
        {"subscriber": subscriber.pk, "account": "money", "amount": "500.00", "reason": " "},
    )
    assert response.status_code == 200
    assert balances_for(subscriber=subscriber) == (Decimal("0.00"), Decimal("0.00"))


def test_staff_suspend_manually_with_a_reason_from_the_account_page(
    staff_client, staff_accountant, charged, subscriber
):
    client = staff_client(staff_accountant)
    page = client.get(reverse("admin:billing_billingaccount_change", args=[subscriber.pk]))
    assert page.status_code == 200
    assert "−30\u00a0000,00\u00a0₸" in page.content.decode()
    operate = reverse("admin:billing_account_operate", args=[subscriber.pk])
    client.post(operate, {"action": "suspend", "reason": ""})
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    client.post(operate, {"action": "suspend", "reason": "Нарушение 8.3"})
    subscriber.refresh_from_db()
    assert subscriber.suspension_reason == SuspensionReason.MANUAL


def test_an_engineer_cannot_operate_accounts(staff_client, operator_engineer, charged, subscriber):
    client = staff_client(operator_engineer)
    response = client.post(
        reverse("admin:billing_account_operate", args=[subscriber.pk]),
        {"action": "suspend", "reason": "x"},
    )
    assert response.status_code == 403
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE


def test_invoice_and_statement_pdfs_open_from_the_admin(
    staff_client, staff_accountant, charged, subscriber
):
    client = staff_client(staff_accountant)
    invoice = client.get(reverse("admin:billing_invoice_pdf", args=[charged.pk]))
    assert invoice.content.startswith(b"%PDF")
    statement = reconciliation_create(subscriber=subscriber, actor=staff_accountant)
    pdf = client.get(reverse("admin:billing_statement_pdf", args=[statement.pk]))
    assert pdf.content.startswith(b"%PDF")

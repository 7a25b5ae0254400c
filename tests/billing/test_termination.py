import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from billing.documents import invoice_pdf, statement_pdf
from billing.models import LedgerKind, PurgeRecord
from billing.selectors import balances_for
from billing.services import (
    bonus_payout,
    ledger_credit_bonus,
    payment_record,
    reconciliation_create,
    subscriber_terminate,
    subscribers_purge_expired,
    termination_request,
)
from subscribers.models import SubscriberStateChange, SubscriberStatus
from tests.conftest import at

Event = SubscriberStateChange.Event


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\xa0", " ")  # Amounts use no-break spaces.


@pytest.fixture
def settled(charged, subscriber):
    """November paid, 1 500 ₸ of compensation bonuses on the account."""
    payment_record(
        subscriber=subscriber, amount=Decimal("30000.00"), method="bank_transfer", external_id="n1"
    )
    ledger_credit_bonus(
        subscriber=subscriber,
        amount=Decimal("1500.00"),
        reason="Простой 5 ч (9.3)",
        source_key="c1",
    )
    return subscriber


def test_the_reconciliation_statement_lists_every_entry_and_the_balances(settled, staff_accountant):
    statement = reconciliation_create(subscriber=settled, actor=staff_accountant)
    text = pdf_text(statement_pdf(statement=statement))
    assert "Акт сверки" in text
    assert settled.display_name in text
    assert "Начисление" in text and "Платёж" in text and "Начисление бонусов" in text
    assert "30 000,00" in text  # The charge and the payment.
    assert "1 500,00" in text  # The bonus balance.
    assert (statement.money_balance, statement.bonus_balance) == (
        Decimal("0.00"),
        Decimal("1500.00"),
    )


def test_the_invoice_pdf_has_both_parties_the_number_and_the_amount(charged, subscriber):
    text = pdf_text(invoice_pdf(invoice=charged))
    assert f"Счёт на оплату № {charged.display_number}" in text
    assert "Интернет-компания PS" in text and subscriber.bin in text
    assert "30 000,00" in text and "01.11.2026" in text and "30.11.2026" in text


def test_bonuses_are_paid_out_only_after_a_termination_request_and_a_current_statement(
    settled, owner, staff_accountant
):
    statement = reconciliation_create(subscriber=settled, actor=staff_accountant)
    with pytest.raises(ValidationError):
        bonus_payout(subscriber=settled, statement=statement, actor=staff_accountant)
    termination_request(subscriber=settled, actor=owner)
    ledger_credit_bonus(subscriber=settled, amount=Decimal("100.00"), reason="9.3", source_key="c2")
    with pytest.raises(ValidationError):  # An entry after the statement: reconcile again.
        bonus_payout(subscriber=settled, statement=statement, actor=staff_accountant)
    fresh = reconciliation_create(subscriber=settled, actor=staff_accountant)
    entry = bonus_payout(subscriber=settled, statement=fresh, actor=staff_accountant)
    assert (entry.kind, entry.bonus) == (LedgerKind.PAYOUT, Decimal("-1600.00"))
    assert balances_for(subscriber=settled) == (Decimal("0.00"), Decimal("0.00"))


def test_termination_ends_access_and_the_data_follows_the_purge_path(
    settled, owner, staff_accountant, travel, sent_on_commit
):
    from django.core import mail

    termination_request(subscriber=settled, actor=owner)
    with pytest.raises(ValidationError):  # Not before a reconciliation.
        subscriber_terminate(subscriber=settled, actor=staff_accountant)
    reconciliation_create(subscriber=settled, actor=staff_accountant)
    terminated_at = travel(at(datetime.date(2026, 11, 20), 9))
    with sent_on_commit():
        subscriber_terminate(subscriber=settled, actor=staff_accountant)
    settled.refresh_from_db()
    assert settled.status == SubscriberStatus.TERMINATED
    events = list(settled.state_changes.order_by("at", "id").values_list("event", flat=True))
    assert events[-3:] == [Event.TERMINATION_REQUESTED, Event.TERMINATED, Event.PURGE_SCHEDULED]
    assert "резервн" in mail.outbox[-1].body  # The final backup is offered.
    travel(terminated_at + datetime.timedelta(days=29))
    assert subscribers_purge_expired() == []
    travel(terminated_at + datetime.timedelta(days=30, minutes=1))
    assert subscribers_purge_expired() == [settled.pk]
    assert PurgeRecord.objects.get(subscriber=settled).rule.startswith("9.4")


def test_a_termination_request_does_not_restart_the_purge_clock(charged, subscriber, owner, travel):
    from billing.services import subscribers_suspend_overdue

    travel(at(datetime.date(2026, 11, 12), 9))
    subscribers_suspend_overdue()
    subscriber.refresh_from_db()
    since = subscriber.status_changed_at
    travel(at(datetime.date(2026, 11, 25), 9))
    termination_request(subscriber=subscriber, actor=owner)
    subscriber.refresh_from_db()
    assert subscriber.status_changed_at == since

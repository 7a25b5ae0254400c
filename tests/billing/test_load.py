from decimal import Decimal

from billing.load import generate
from billing.models import LedgerEntry, LedgerKind
from billing.selectors import balances_for


def test_load_adds_a_ledger_history_that_balances_when_asked(subscriber, other_subscriber):
    summary = generate(
        subscriber_ids=[subscriber.pk, other_subscriber.pk], seed=3, ledger_entries_per_subscriber=4
    )
    assert summary == "2 subscriptions, 8 ledger entries"
    entries = LedgerEntry.objects.filter(subscriber=subscriber).order_by("at")
    assert [e.kind for e in entries] == [LedgerKind.CHARGE, LedgerKind.PAYMENT] * 2
    # Each charge is paid by the next entry: the account stays at zero.
    assert balances_for(subscriber=subscriber) == (Decimal("0.00"), Decimal("0.00"))


def test_load_writes_no_ledger_by_default(subscriber):
    assert generate(subscriber_ids=[subscriber.pk], seed=3) == "1 subscriptions"
    assert not LedgerEntry.objects.exists()

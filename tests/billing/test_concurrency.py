"""Races on the real PostgreSQL: two transactions at once, each on its own connection."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from billing.models import Invoice, LedgerEntry, Payment, PurgeRecord
from billing.services import (
    billing_run,
    payment_record,
    subscribers_purge_expired,
    subscribers_suspend_overdue,
)
from subscribers.models import SubscriberStatus
from tests.billing.conftest import NOV_1
from tests.billing.factories import SubscriptionFactory
from tests.conftest import at

# serialized_rollback: the data migrations made (staff groups, calendars) is restored after each
# test rather than re-created, so transactional tests of other apps find the state they expect.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Worker(threading.Thread):
    """Runs `work` on its own database connection and keeps its result or error."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.result, self.error = work, None, None

    def run(self):
        try:
            self.result = self.work()
        except BaseException as error:  # Re-raised in the test's thread.
            self.error = error
        finally:
            connections.close_all()

    def outcome(self):
        self.join(timeout=60)
        assert not self.is_alive(), "the worker hung"
        if self.error is not None:
            raise self.error
        return self.result


def wait_until_someone_waits_for_a_lock():
    """Poll PostgreSQL until another backend is blocked on a row lock (no sleeping on time)."""
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
    raise AssertionError("nobody blocked on the lock")


def test_one_charge_per_period_under_a_concurrent_double_run(travel):
    travel(NOV_1)
    SubscriptionFactory.create_batch(20, billable_from=datetime.date(2026, 11, 1))
    start = threading.Barrier(2)

    def run():
        start.wait()
        return len(billing_run())

    first, second = Worker(run), Worker(run)
    first.start()
    second.start()
    counts = sorted([first.outcome(), second.outcome()])
    assert counts == [0, 20]
    assert Invoice.objects.count() == 20
    assert LedgerEntry.objects.filter(kind="charge").count() == 20
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + 20))


@pytest.fixture
def due_for_purge(travel):
    """A subscriber suspended for non-payment whose 30 days are over."""
    travel(NOV_1)
    subscription = SubscriptionFactory(billable_from=datetime.date(2026, 11, 1))
    billing_run()
    suspended_at = travel(at(datetime.date(2026, 11, 12), 0, 20))
    subscribers_suspend_overdue()
    travel(suspended_at + datetime.timedelta(days=30, hours=1))
    return subscription.subscriber


def _pay(subscriber):
    return payment_record(
        subscriber=subscriber, amount=Decimal("10000.00"), method="provider", external_id="race"
    )


def test_a_payment_committed_while_the_purge_waits_stops_the_purge(due_for_purge):
    subscriber = due_for_purge
    locked, release = threading.Event(), threading.Event()

    def pay_and_hold():
        with transaction.atomic():
            _pay(subscriber)
            locked.set()
            release.wait(timeout=30)

    payer = Worker(pay_and_hold)
    payer.start()
    assert locked.wait(timeout=30)
    purger = Worker(subscribers_purge_expired)
    purger.start()
    wait_until_someone_waits_for_a_lock()  # The purge is blocked on the subscriber's row.
    release.set()
    payer.outcome()
    assert purger.outcome() == []
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert not PurgeRecord.objects.exists()


def test_a_payment_waiting_for_a_running_purge_stays_a_credit(due_for_purge):
    subscriber = due_for_purge
    purged, release = threading.Event(), threading.Event()

    def purge_and_hold():
        with transaction.atomic():
            ids = subscribers_purge_expired()
            purged.set()
            release.wait(timeout=30)
        return ids

    purger = Worker(purge_and_hold)
    purger.start()
    assert purged.wait(timeout=30)
    payer = Worker(lambda: _pay(subscriber))
    payer.start()
    wait_until_someone_waits_for_a_lock()  # The payment is blocked on the subscriber's row.
    release.set()
    assert purger.outcome() == [subscriber.pk]
    payment, created = payer.outcome()
    assert created
    subscriber.refresh_from_db()
    # The purge began first: the data is gone, the money is on the account, the state says so.
    assert subscriber.status == SubscriberStatus.PURGED
    assert Payment.objects.get().subscriber_id == subscriber.pk
    assert PurgeRecord.objects.filter(subscriber=subscriber).count() == 1

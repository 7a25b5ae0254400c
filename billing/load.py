"""Synthetic billing data for benchmarks: a subscription for each new subscriber and, on request,
a ledger history (monthly charges and the payments that cover them), bulk inserted."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from onebuh.dates import month_start

from .demo import TARIFFS
from .models import LedgerEntry, LedgerKind, Subscription, Tariff

LEDGER_BATCH = 50_000


def _ledger(*, subscriber_ids, per_subscriber: int, fees: dict[int, Decimal], now) -> int:
    """`per_subscriber` entries each: a month's charge, then its payment, going back in time."""
    rows, written = [], 0
    for pk in subscriber_ids:
        fee = fees[pk]
        for n in range(per_subscriber):
            at = now - datetime.timedelta(days=15 * (per_subscriber - n))
            if n % 2 == 0:
                rows.append(
                    LedgerEntry(
                        subscriber_id=pk,
                        kind=LedgerKind.CHARGE,
                        money=-fee,
                        description="Абонентская плата (нагрузка)",
                        at=at,
                    )
                )
            else:
                rows.append(
                    LedgerEntry(
                        subscriber_id=pk,
                        kind=LedgerKind.PAYMENT,
                        money=fee,
                        description="Оплата (нагрузка)",
                        at=at,
                    )
                )
        if len(rows) >= LEDGER_BATCH:
            LedgerEntry.objects.bulk_create(rows, batch_size=5000)
            written, rows = written + len(rows), []
    LedgerEntry.objects.bulk_create(rows, batch_size=5000)
    return written + len(rows)


@transaction.atomic
def generate(*, subscriber_ids, seed, ledger_entries_per_subscriber: int = 0) -> str:
    rng = random.Random(seed)
    for spec in TARIFFS:
        Tariff.objects.get_or_create(code=spec["code"], defaults=spec)
    tariffs = list(Tariff.objects.filter(code__in=[t["code"] for t in TARIFFS]))
    now = timezone.now()
    subscriptions = [
        Subscription(
            subscriber_id=pk,
            tariff=rng.choice(tariffs),
            started_at=now,
            billable_from=month_start(timezone.localdate(now)),
        )
        for pk in subscriber_ids
    ]
    Subscription.objects.bulk_create(subscriptions, batch_size=2000, ignore_conflicts=True)
    summary = f"{len(subscriber_ids)} subscriptions"
    if ledger_entries_per_subscriber:
        fees = {s.subscriber_id: s.tariff.monthly_fee for s in subscriptions}
        entries = _ledger(
            subscriber_ids=subscriber_ids,
            per_subscriber=ledger_entries_per_subscriber,
            fees=fees,
            now=now,
        )
        summary += f", {entries} ledger entries"
    return summary

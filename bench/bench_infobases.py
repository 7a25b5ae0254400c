"""Infobases at scale: the backup-retention pass over 50,000 backups of 10,000 infobases
(5,000 subscribers × 2 infobases × 5 nightly copies 3 days apart, tariff retention 7 days):
target < 5 s. Also the daily backup pass that queues 10,000 copies. `BENCH_SCALE`
(bench/run.py --scales) is the number of infobases (half as many subscribers, two each).

Run by bench/run.py (`make bench`) on the benchmark database. File deletion and the driver
calls are queued (in-memory broker), as in production the worker does them after the pass.
"""

import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onebuh.settings.test")

import django

django.setup()

from common import analyze, scale  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.utils import timezone  # noqa: E402

from billing.models import Subscription, Tariff  # noqa: E402
from infobases import load  # noqa: E402
from infobases.models import Backup, Infobase  # noqa: E402
from infobases.services import backups_apply_retention, backups_schedule_daily  # noqa: E402
from onebuh.celery import app  # noqa: E402
from subscribers.load import generate_subscribers  # noqa: E402

SUBSCRIBERS = scale(10_000) // 2


def timed(label, func, **kwargs):
    settings.DEBUG = True
    reset_queries()
    started, cpu = time.perf_counter(), time.process_time()
    result = func(**kwargs)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    queries = len(connection.queries)
    settings.DEBUG = False
    print(
        f"{label:<48} {elapsed:7.2f} s  {queries:5d} queries  cpu {cpu:6.2f} s  -> {result}",
        flush=True,
    )
    return elapsed


def main() -> int:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    started = time.perf_counter()
    ids = generate_subscribers(count=SUBSCRIBERS, seed=11)
    tariff, _created = Tariff.objects.get_or_create(
        code="bench-infobases",
        defaults={
            "name": "Бенчмарк",
            "monthly_fee": Decimal("9900.00"),
            "max_users": 5,
            "max_infobases": 2,
            "backup_retention_days": 7,
            "methodological_quota": 5,
            "individual_quota": 1,
            "is_public": False,
        },
    )
    with_subscription = set(
        Subscription.objects.filter(subscriber_id__in=ids).values_list("subscriber_id", flat=True)
    )
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber_id=pk, tariff=tariff)
            for pk in ids
            if pk not in with_subscription
        ],
        batch_size=5000,
    )
    summary = load.generate(subscriber_ids=ids, seed=11)
    analyze()
    print(f"setup: {summary} in {time.perf_counter() - started:.1f} s", flush=True)
    print(
        f"backups in the database: {Backup.objects.count()}, infobases: {Infobase.objects.count()}"
    )
    print(f"{SUBSCRIBERS} subscribers, {SUBSCRIBERS * 2} infobases")
    retention = timed("retention pass (7 days, keep newest)", backups_apply_retention)
    timed("retention pass again (nothing left to do)", backups_apply_retention)
    timed(
        "daily backup pass (queue a copy per infobase)",
        backups_schedule_daily,
        day=timezone.localdate() + datetime.timedelta(days=1),
    )
    # 5 s at 10,000 infobases; a bigger scale is allowed linear growth.
    target = 5.0 * max(1.0, SUBSCRIBERS * 2 / 10_000)
    ok = retention < target
    print(f"retention target < {target:.0f} s: {'OK' if ok else 'MISSED'} ({retention:.2f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

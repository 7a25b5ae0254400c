"""Billing at scale: 10,000 subscribers, the monthly run (target < 30 s with invoice rows), then
1,000 overdue: the suspension pass (target < 5 s), the resume pass and the purge pass.
`BENCH_SCALE` (bench/run.py --scales) sets the subscribers; a tenth are overdue, half of those pay.

Run by bench/run.py (`make bench`) on the benchmark database. Emails are queued, not sent.
"""

import datetime
import time

from common import analyze, scale, setup, timed

setup()

from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from billing import load  # noqa: E402
from billing.models import Invoice, InvoiceStatus  # noqa: E402
from billing.services import (  # noqa: E402
    billing_run,
    subscribers_purge_expired,
    subscribers_resume_settled,
    subscribers_suspend_overdue,
)
from subscribers.load import generate_subscribers  # noqa: E402

SUBSCRIBERS = scale(10_000)
OVERDUE = SUBSCRIBERS // 10
RESUMED = OVERDUE // 2


def _settle(invoices) -> None:
    # Synthetic: a bulk flag on the invoices, not the payment service (that is not measured here).
    invoices.update(paid_amount=F("amount_due"), status=InvoiceStatus.PAID)


def main() -> None:
    started = time.perf_counter()
    ids = generate_subscribers(count=SUBSCRIBERS, seed=7)
    load.generate(subscriber_ids=ids, seed=7)
    analyze()
    print(f"setup: {len(ids)} subscribers in {time.perf_counter() - started:.1f} s")
    now = timezone.now()
    print(f"{SUBSCRIBERS} subscribers, {OVERDUE} overdue, {RESUMED} of them pay")
    invoices = timed("monthly run (invoices)", billing_run, now=now)
    mine = Invoice.objects.filter(subscriber_id__in=ids)
    _settle(mine.filter(subscriber_id__in=ids[OVERDUE:]))
    analyze()
    due = max(i.due_date for i in invoices)
    after_due = now + datetime.timedelta(days=(due - timezone.localdate(now)).days + 1)
    suspended = timed("suspension pass (suspended)", subscribers_suspend_overdue, now=after_due)
    _settle(mine.filter(subscriber_id__in=suspended[:RESUMED]))
    timed("resume pass (resumed)", subscribers_resume_settled, now=after_due)
    purge_at = after_due + datetime.timedelta(days=30, hours=1)
    timed("purge pass (purged)", subscribers_purge_expired, now=purge_at)


if __name__ == "__main__":
    main()

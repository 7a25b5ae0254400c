"""Support at scale: 100,000 open tickets, the SLA scan (target < 1 s: one indexed query per
timer plus batched updates), and reaction_due_at for 100,000 random (category, time) pairs
(target < 2 s).

Run by bench/run.py (`make bench`) on the benchmark database. Notifications are queued.
"""

import datetime
import random
import time

from common import analyze, setup, timed

setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from subscribers.load import generate_subscribers  # noqa: E402
from support import sla  # noqa: E402
from support.load import generate_tickets  # noqa: E402
from support.models import Category, Ticket  # noqa: E402
from support.services import sla_scan  # noqa: E402

TICKETS = 100_000
PAIRS = 100_000


def main() -> None:
    started = time.perf_counter()
    subscriber_ids = generate_subscribers(count=1000, seed=11)
    now = timezone.now()
    # Opened over the last three days: most are due days ahead, some already due.
    ids = generate_tickets(
        subscriber_ids=subscriber_ids, count=TICKETS, seed=11, now=now, spread_hours=72
    )
    analyze()  # the subscribers and their members too, not only the tickets
    print(f"setup: {len(ids)} open tickets in {time.perf_counter() - started:.1f} s")
    try:
        open_count = Ticket.objects.filter(status="new", reacted_at__isnull=True).count()
        print(f"open unanswered tickets in the database: {open_count}")
        print("  ", timed("SLA scan, first pass (backlog, batch 2000)", sla_scan, now=now))
        minute = now + datetime.timedelta(minutes=1)
        print("  ", timed("SLA scan, the next minute (steady state)", sla_scan, now=minute))

        rng = random.Random(11)
        categories = list(Category.values)
        base = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC).timestamp()
        span = 7 * 365 * 86400
        pairs = [
            (
                rng.choice(categories),
                datetime.datetime.fromtimestamp(base + rng.random() * span, datetime.UTC),
            )
            for _ in range(PAIRS)
        ]
        sla.schedules()  # the calendars are loaded once per process
        began = time.perf_counter()
        for category, opened_at in pairs:
            sla.reaction_due_at(category, opened_at)
        elapsed = time.perf_counter() - began
        print(f"{'reaction_due_at, 100,000 random pairs':<48} {elapsed:7.2f} s")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM support_ticketmessage WHERE ticket_id >= %s", [min(ids)])
            cursor.execute("DELETE FROM support_ticket WHERE id >= %s", [min(ids)])


if __name__ == "__main__":
    main()

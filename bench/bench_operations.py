"""Operations at scale (issue 6):
- the monthly compensation proposal over 10,000 subscribers and 200 incidents (target < 5 s);
- a month with 5,000 credited subscribers: the report's PDF (target < 30 s) and CSV (< 2 s).

Run by bench/run.py (`make bench`) on the benchmark database.
"""

import time
from datetime import timedelta

from common import analyze, setup, timed

setup()

import logging  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.WARNING)  # no per-page progress lines

from django.utils import timezone  # noqa: E402

from billing import load as billing_load  # noqa: E402
from onebuh.dates import month_bounds, month_start  # noqa: E402
from operations import load  # noqa: E402
from operations.models import (  # noqa: E402
    CompensationCredit,
    CompensationProposal,
    CreditSource,
    Incident,
)
from operations.reporting import (  # noqa: E402
    render_csv,
    render_pdf_report,
    render_xlsx,
    report_for_month,
)
from operations.services import proposal_build  # noqa: E402
from subscribers.load import generate_subscribers  # noqa: E402
from subscribers.models import Subscriber  # noqa: E402

SUBSCRIBERS = 10_000
INCIDENTS = 200
CREDITED = 5_000
BENCH_KEY = "bench-operations:"


def _credits(ids, month, credited_at) -> None:
    # Synthetic: credits as the approvals leave them (the ledger side is not measured here).
    CompensationCredit.objects.filter(source_key__startswith=BENCH_KEY).delete()
    CompensationCredit.objects.bulk_create(
        [
            CompensationCredit(
                subscriber_id=pk,
                month=month,
                source=CreditSource.PROPOSAL,
                downtime=timedelta(hours=3 + pk % 40, minutes=pk % 60),
                hours=3 + pk % 40,
                percent=3 + pk % 40,
                monthly_fee=24900,
                amount=249 * (3 + pk % 40),
                incident_ids=[pk % 200 + 1, pk % 37 + 1],
                source_key=f"{BENCH_KEY}{pk}:{month:%Y-%m}",
                credited_at=credited_at,
            )
            for pk in ids
        ],
        batch_size=2000,
    )


def main() -> None:
    started = time.perf_counter()
    previous = month_start(month_start(timezone.localdate()) - timedelta(days=1))
    window = month_bounds(previous)
    backdated = window[0] - timedelta(days=40)
    # Earlier runs of this bench left their subscribers and proposal: take them out of the month.
    Subscriber.objects.filter(created_at=backdated).update(created_at=timezone.now())
    CompensationProposal.objects.filter(month=previous).delete()
    ids = generate_subscribers(count=SUBSCRIBERS, seed=11)
    billing_load.generate(subscriber_ids=ids, seed=11)
    # Registered before the month, so the month's incidents touch them.
    Subscriber.objects.filter(pk__in=ids).update(created_at=backdated)
    Incident.objects.filter(title__startswith="Нагрузка:").delete()
    print(load.generate(subscriber_ids=ids, seed=11, incidents=INCIDENTS, within=window))
    analyze()
    print(f"setup: {len(ids)} subscribers in {time.perf_counter() - started:.1f} s")
    timed(
        f"proposal, {SUBSCRIBERS} subscribers, {INCIDENTS} incidents (lines)",
        lambda month: proposal_build(month=month).lines.count(),
        month=previous,
    )
    report_month = month_start(timezone.localdate())
    _credits(ids[:CREDITED], previous, timezone.now())
    report = report_for_month(month=report_month)
    timed(
        f"report rows, {CREDITED} credits",
        lambda month: len(report_for_month(month=month).rows),
        month=report_month,
    )
    # The sizes are printed, not the files (timed() prints what the call returns).
    csv_size = timed("report CSV (bytes)", lambda report: len(render_csv(report)), report=report)
    timed("report XLSX (bytes)", lambda report: len(render_xlsx(report)), report=report)
    pdf_size = timed(
        "report PDF (bytes)", lambda report: len(render_pdf_report(report)), report=report
    )
    print(f"  CSV {csv_size // 1024} KiB, PDF {pdf_size // 1024} KiB")
    CompensationCredit.objects.filter(source_key__startswith=BENCH_KEY).delete()


if __name__ == "__main__":
    main()

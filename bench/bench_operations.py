"""Operations at scale (issue 6):
- the monthly compensation proposal over 10,000 subscribers and 200 incidents (target < 5 s);
- a month with 10,000 credited subscribers: the report's CSV (< 2 s) and XLSX, and its PDF
  built by the worker's own code (`report_build`) in a fresh process, whose peak resident memory
  is printed beside that of an idle worker process and those of the renderer child and its qpdf
  join (issue 16: each at most 150 MiB at 10,000 rows).
`BENCH_SCALE` (bench/run.py --scales) sets the subscribers; every one of them is credited.

Run by bench/run.py (`make bench`) on the benchmark database.
"""

import json
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from common import analyze, figure, scale, setup, timed

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
    CompensationReport,
    CreditSource,
    Incident,
)
from operations.reporting import render_csv, render_xlsx, report_for_month  # noqa: E402
from operations.services import proposal_build  # noqa: E402
from subscribers.load import generate_subscribers  # noqa: E402
from subscribers.models import Subscriber  # noqa: E402

SUBSCRIBERS = scale(10_000)
INCIDENTS = 200
CREDITED = SUBSCRIBERS
MIB = 1024 * 1024
# What a worker runs for a report, in a process of its own so its peak memory is the build's.
# The layout and the join run in the renderer child (onebuh/pdf_render.py): its figures are
# caught on their way back to the worker's code and printed beside the worker's own peak.
WORKER = """
import json
import sys
sys.path.insert(0, "bench")
from common import setup
setup()
from operations import reporting
from operations.services import report_build
child = {"peak_rss": 0, "join_peak_rss": 0}
def write_pdf_in_parts(parts, out, _write=reporting.write_pdf_in_parts):
    figures = _write(parts, out)
    child.update(figures)
    return figures
reporting.write_pdf_in_parts = write_pdf_in_parts
if int(sys.argv[1]):
    report_build(report_id=int(sys.argv[1]))
# VmHWM of this process alone: exec started a new address space (a forked child's ru_maxrss
# would start from the bench's own, much bigger, resident size).
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        child["worker"] = int(line.split()[1]) * 1024
print(json.dumps(child))
"""
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


def main() -> int:
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
        f"proposal, {INCIDENTS} incidents (lines)",
        lambda month: proposal_build(month=month).lines.count(),
        month=previous,
    )
    report_month = month_start(timezone.localdate())
    _credits(ids[:CREDITED], previous, timezone.now())
    report = report_for_month(month=report_month)
    timed(
        "report rows (credits)",
        lambda month: len(report_for_month(month=month).rows),
        month=report_month,
    )
    # The sizes are printed, not the files (timed() prints what the call returns).
    csv_size = timed("report CSV (bytes)", lambda report: len(render_csv(report)), report=report)
    timed("report XLSX (bytes)", lambda report: len(render_xlsx(report)), report=report)
    del report
    idle = _worker_peak_rss(0)["worker"]
    pdf = CompensationReport.objects.create(month=report_month, format="pdf")
    started = time.perf_counter()
    peaks = _worker_peak_rss(pdf.pk)
    elapsed = time.perf_counter() - started
    pdf.refresh_from_db()
    print(f"{'report PDF in a worker (rows)':<48} {elapsed:7.2f} s  -> {pdf.rows}", flush=True)
    figure("worker peak RSS, idle (Django, every app)", idle / MIB, "MiB")
    figure("worker peak RSS, building the PDF", peaks["worker"] / MIB, "MiB")
    figure("renderer child peak RSS (WeasyPrint)", peaks["peak_rss"] / MIB, "MiB")
    figure("qpdf join peak RSS", peaks["join_peak_rss"] / MIB, "MiB")
    print(f"  CSV {csv_size // 1024} KiB, PDF {pdf.file.size // 1024} KiB, status {pdf.status}")
    # Read strictly (issue 16): every process that builds the PDF stays within 150 MiB.
    within = max(peaks["worker"], peaks["peak_rss"], peaks["join_peak_rss"]) <= 150 * MIB
    ok = pdf.status == "ready" and (CREDITED > 10_000 or within)
    print(f"PDF memory target <= 150 MiB per process at 10,000 rows: {'OK' if ok else 'MISSED'}")
    pdf.file.delete(save=False)
    CompensationCredit.objects.filter(source_key__startswith=BENCH_KEY).delete()
    return 0 if ok else 1


def _worker_peak_rss(report_id: int) -> dict:
    """Peak resident memory (bytes) of a fresh worker process that builds the report (0: only
    starts), `worker`, and of its renderer child and qpdf, `peak_rss` and `join_peak_rss`."""
    root = Path(__file__).resolve().parent.parent
    answer = subprocess.run(
        [sys.executable, "-c", WORKER, str(report_id)],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(answer.stdout.splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())

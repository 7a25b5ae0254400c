"""Monthly compensation reports: requested by an accountant, built by a Celery task."""

import tempfile
from datetime import date

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from onebuh import files
from onebuh.dates import month_start
from onebuh.replica import reports_replica
from outbox.services import outbox_enqueue
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction

from ..models import CompensationReport, ReportFormat, ReportStatus
from ..reporting import render_csv, render_xlsx, report_for_month, write_pdf_for_month

RENDERERS = {
    ReportFormat.CSV: render_csv,
    ReportFormat.XLSX: render_xlsx,
}


REPORT_BUILD_KIND = "operations.report_build"


@transaction.atomic
def report_request(*, month: date, format: str, actor=None) -> CompensationReport:
    """Queue the build: large reports take a while, so no web request waits for one."""
    report = CompensationReport.objects.create(
        month=month_start(month),
        format=format,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action=AuditAction.REPORT_REQUEST, actor=actor, target=report)
    outbox_enqueue(kind=REPORT_BUILD_KIND, payload={"report_id": report.pk})
    return report


@transaction.atomic
def report_rebuild(*, report: CompensationReport, actor=None) -> bool:
    """Staff build a failed report again (admin action)."""
    requeued = CompensationReport.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
        status=ReportStatus.QUEUED, progress=0, error=""
    )
    if requeued:
        audit_record(action=AuditAction.REPORT_REBUILD, actor=actor, target=report)
        outbox_enqueue(kind=REPORT_BUILD_KIND, payload={"report_id": report.pk})
    return bool(requeued)


def _progress(report_id: int, percent: int) -> None:
    # Autocommitted at once, so the page polling the report sees it move.
    CompensationReport.objects.filter(pk=report_id).update(progress=percent)


def report_build(*, report_id: int, resume: bool = False) -> bool:
    """Build the file once; a second worker or a retry finds the row claimed and does nothing.
    `resume`: the outbox row that owes this build was taken back from a dead worker (its lease
    ran out), so a report left `running` by that worker is built again."""
    statuses = [ReportStatus.QUEUED, ReportStatus.RUNNING] if resume else [ReportStatus.QUEUED]
    claimed = CompensationReport.objects.filter(pk=report_id, status__in=statuses).update(
        status=ReportStatus.RUNNING, progress=5
    )
    if not claimed:
        return False
    report = CompensationReport.objects.get(pk=report_id)
    try:
        name = f"compensation-{report.month:%Y-%m}-{report.pk}.{report.format}"
        if report.format == ReportFormat.PDF:
            # Streamed from the database, laid out a few pages at a time by a renderer child
            # without Django (onebuh/pdf.py) into a scratch file, stored from there: neither
            # process holds the rows or the whole document (issue 16: bounded memory at 10,000
            # rows and beyond). A failed child's stderr is the report's error (admin only).
            with tempfile.TemporaryFile(dir=files.scratch_dir()) as handle, reports_replica():
                rows = write_pdf_for_month(month=report.month, out=handle)
                _progress(report_id, 90)
                handle.seek(0)
                report.file.save(name, File(handle), save=False)
        else:
            with reports_replica():  # the month's settled figures: the replica's reads
                data = report_for_month(month=report.month)
            rows = len(data.rows)
            _progress(report_id, 40)
            content = RENDERERS[report.format](data)
            _progress(report_id, 90)
            report.file.save(name, ContentFile(content), save=False)
    except Exception as error:
        CompensationReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    report.status = ReportStatus.READY
    report.progress = 100
    report.rows = rows
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "status", "progress", "rows", "finished_at"])
    return True

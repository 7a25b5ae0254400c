"""A report build whose worker died: its outbox row comes back after the lease and the report
left `running` is built again; a failed one is rebuilt by staff."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from operations.models import CompensationReport, ReportStatus
from operations.services import report_request
from operations.services.reports import report_rebuild
from outbox.dispatcher import outbox_dispatch
from outbox.models import OutboxMessage, OutboxState

pytestmark = pytest.mark.django_db


def test_a_report_left_running_by_a_dead_worker_is_built_again(real_outbox):
    report = report_request(month=datetime.date(2026, 10, 1), format="csv")
    now = timezone.now()
    # The worker claimed the row and the report, then died.
    OutboxMessage.objects.filter(kind="operations.report_build").update(
        state=OutboxState.SENDING, attempts=1, lease_until=now + datetime.timedelta(seconds=120)
    )
    CompensationReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING)
    outbox_dispatch()
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING
    with time_machine.travel(now + datetime.timedelta(seconds=121)):
        outbox_dispatch()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.file


def test_staff_build_a_failed_report_again(real_outbox, staff_accountant):
    report = report_request(month=datetime.date(2026, 10, 1), format="csv")
    CompensationReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED)
    OutboxMessage.objects.update(state=OutboxState.SENT)
    assert report_rebuild(report=report, actor=staff_accountant) is True
    assert report_rebuild(report=report, actor=staff_accountant) is False
    outbox_dispatch()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY

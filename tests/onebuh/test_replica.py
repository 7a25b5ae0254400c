"""Reports read from the replica, everything else from and to the primary (onebuh/replica.py).

The replica here is a second connection to the test database that PostgreSQL keeps read-only
(default_transaction_read_only, as on a hot standby), in a process of its own started with
DATABASE_REPLICA_URL, so the rows the test commits are what it reads."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from onebuh.replica import ReportsReplicaRouter, reports_replica
from operations.models import CompensationReport, ReportStatus
from support.models import Ticket

ROOT = Path(__file__).resolve().parents[2]

BUILD = """
import json
from django.db import connections
from operations.models import CompensationReport
from operations.services.reports import report_build
seen = {{"default": [], "replica": []}}
def recorder(alias):
    def record(execute, sql, params, many, context):
        seen[alias].append(sql)
        return execute(sql, params, many, context)
    return record
with connections["default"].execute_wrapper(recorder("default")), connections[
    "replica"
].execute_wrapper(recorder("replica")):
    built = report_build(report_id={report_id})
report = CompensationReport.objects.get(pk={report_id})
try:
    with connections["replica"].cursor() as cursor:
        cursor.execute("UPDATE operations_compensationreport SET rows = 0")
    refused = ""
except Exception as error:
    refused = str(error)
print(json.dumps({{
    "built": built,
    "status": report.status,
    "primary": seen["default"],
    "replica": seen["replica"],
    "refused": refused,
}}))
"""


def _url(settings_dict, **query) -> str:
    user, host, port = settings_dict["USER"], settings_dict["HOST"], settings_dict["PORT"] or 5432
    url = f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# serialized_rollback: the flush after this test must give back the migrations' rows (as e2e).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_build_reads_from_the_replica_and_writes_to_the_primary(tmp_path):
    report = CompensationReport.objects.create(month="2026-10-01", format="csv")
    primary = _url(connection.settings_dict)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onebuh.settings.test",
        "DATABASE_URL": primary,
        "DATABASE_REPLICA_URL": _url(
            connection.settings_dict, options="-c%20default_transaction_read_only%3Don"
        ),
        "ONEBUH_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", BUILD.format(report_id=report.pk)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["built"] is True and answer["status"] == ReportStatus.READY
    # The month's figures came from the replica; the claim, progress and result went to the
    # primary, which answered no SELECT of the report's data.
    assert any("operations_compensationcredit" in sql for sql in answer["replica"])
    # Reads only (a server-side cursor is DECLAREd for the streamed rows).
    assert {sql.split()[0] for sql in answer["replica"]} <= {"SELECT", "DECLARE"}
    assert any(sql.startswith("UPDATE") for sql in answer["primary"])
    assert not any("operations_compensationcredit" in sql for sql in answer["primary"])
    # The replica really is read-only, as a hot standby: a write there would have failed.
    assert "read-only transaction" in answer["refused"]
    report.refresh_from_db()
    assert report.status == ReportStatus.READY


def test_the_router_sends_reads_in_the_block_to_the_replica_only_when_there_is_one(settings):
    router = ReportsReplicaRouter()
    assert router.db_for_read(Ticket) == "default"
    with reports_replica():
        assert router.db_for_read(Ticket) == "default"  # no replica configured: the primary
        with pytest.warns(UserWarning, match="DATABASES"):  # Django's, about the override
            settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
        assert router.db_for_read(Ticket) == "replica"
        assert router.db_for_write(Ticket) == "default"
    assert router.db_for_read(Ticket) == "default"
    assert router.allow_migrate("replica", "support") is False
    assert router.allow_migrate("default", "support") is True

"""Uploads started and never finished are removed after ONEBUH_UPLOAD_ABANDONED_HOURS
(infobases_uploads_cleanup): rows failed, S3 multipart uploads aborted, part folders deleted."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from infobases import storage
from infobases.models import UploadSession, UploadStatus
from infobases.services import upload_start
from infobases.services.abandoned import uploads_expire_abandoned
from onebuh import files
from outbox.models import OutboxMessage

HOURS = 48


@pytest.fixture
def start(subscriber, owner, tariff):
    def start_one(name="base"):
        session = upload_start(
            subscriber=subscriber, uploaded_by=owner, filename=f"{name}.dt", size=10, name=name
        )
        if not session.upload_id:  # the file system: one part stored through the portal
            files.multipart_write_part(
                alias=storage.ALIAS,
                name=session.file,
                number=1,
                stream=io.BytesIO(b"0123456789"),
                limit=10,
            )
        else:  # S3: a part stored in the bucket's open multipart upload
            files.storage_for(storage.ALIAS).connection.meta.client.upload_part(
                Bucket=files.storage_for(storage.ALIAS).bucket_name,
                Key=f"infobases/{session.file}",
                UploadId=session.upload_id,
                PartNumber=1,
                Body=b"0123456789",
            )
        return session

    return start_one


def _cleanup(django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the owed removals run (eager)
        call_command("infobases_uploads_cleanup", stdout=out)
    return out.getvalue()


def test_an_abandoned_upload_on_disk_is_failed_and_its_parts_deleted(
    start, infobases_dir, django_capture_on_commit_callbacks
):
    old = start("old")
    parts = infobases_dir / f"{old.file}.parts"
    assert (parts / "00001.part").exists()
    # Parts no row points at any more (the row went with its subscriber, say).
    orphan = infobases_dir / "uploads" / "999" / "gone.dt.parts"
    orphan.mkdir(parents=True)
    (orphan / "00001.part").write_bytes(b"x")
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=HOURS - 1), tick=False):
        recent = start("recent")
        assert "uploads expired: 0" in _cleanup(django_capture_on_commit_callbacks)
        assert parts.exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=HOURS + 1), tick=False):
        assert "uploads expired: 1, stale parts swept: 1" in _cleanup(
            django_capture_on_commit_callbacks
        )
        assert not orphan.exists()
        old.refresh_from_db()
        assert old.status == UploadStatus.FAILED and "не была завершена" in old.message
        assert not parts.exists()
        # The one started an hour before the cut-off is left to finish.
        assert UploadSession.objects.get(pk=recent.pk).status == UploadStatus.UPLOADING
        assert (infobases_dir / f"{recent.file}.parts" / "00001.part").exists()
        # Again: nothing left to do, nothing fails.
        assert "uploads expired: 0, stale parts swept: 0" in _cleanup(
            django_capture_on_commit_callbacks
        )


def test_abandoned_multipart_uploads_are_aborted_in_the_bucket_orphans_too(
    s3_storage, start, django_capture_on_commit_callbacks
):
    old = start("old")
    # An upload opened in the bucket whose row never committed (no session points at it).
    orphan = files.multipart_start(alias=storage.ALIAS, name="uploads/1/orphan.dt")
    open_uploads = lambda: {  # noqa: E731
        u["UploadId"]
        for u in s3_storage["client"]
        .list_multipart_uploads(Bucket=s3_storage["bucket"])
        .get("Uploads", [])
    }
    assert {old.upload_id, orphan} <= open_uploads()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=HOURS + 1), tick=False):
        recent = start("recent")
        assert "uploads expired: 1, stale parts swept: 1" in _cleanup(
            django_capture_on_commit_callbacks
        )
        assert open_uploads() == {recent.upload_id}
        assert UploadSession.objects.get(pk=old.pk).status == UploadStatus.FAILED
        assert "uploads expired: 0, stale parts swept: 0" in _cleanup(
            django_capture_on_commit_callbacks
        )


def test_the_expiry_is_set_based(start, django_assert_num_queries):
    for n in range(15):
        start(f"b{n}")
    later = timezone.now() + datetime.timedelta(hours=HOURS + 1)
    # Lock and read, update, owe the removals (one outbox row per thousand uploads).
    with django_assert_num_queries(5):
        assert uploads_expire_abandoned(now=later) == 15
    assert OutboxMessage.objects.filter(kind="infobases.upload_abort").count() == 1

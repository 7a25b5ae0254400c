"""Resumable .dt uploads started and never finished (6.1, issue 16): removed after
ONEBUH_UPLOAD_ABANDONED_HOURS by `infobases_uploads_cleanup` (beat, hourly).

One pass, safe to run at any time and twice:
1. set-based, in one transaction: every upload still `uploading` that started before the cut-off
   is marked failed (the page then says so) and the removal of what it stored is owed in the
   outbox (`infobases.upload_abort`, a row per thousand uploads): the S3 multipart upload is
   aborted, or the part folder deleted on the file system;
2. the storage itself is swept for open multipart uploads and part folders under `uploads/`
   untouched since the cut-off that no row points at any more (a start whose transaction rolled
   back, a row deleted with its subscriber): they are aborted or deleted here.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onebuh import files
from outbox.services import outbox_enqueue_many

from .. import storage
from ..models import UploadSession, UploadStatus

UPLOAD_ABORT_KIND = "infobases.upload_abort"
ABORT_CHUNK = 1000


def _cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(hours=settings.ONEBUH_UPLOAD_ABANDONED_HOURS)


@transaction.atomic
def uploads_expire_abandoned(*, now: datetime.datetime) -> int:
    """Step 1: a constant number of queries whatever the number of uploads."""
    stale = UploadSession.objects.filter(status=UploadStatus.UPLOADING, created_at__lt=_cutoff(now))
    # SKIP LOCKED: an upload being completed right now (its row locked) is left to finish.
    rows = list(stale.select_for_update(skip_locked=True).values_list("pk", "file", "upload_id"))
    if not rows:
        return 0
    # The status in the filter too: a completion that committed meanwhile wins.
    UploadSession.objects.filter(
        pk__in=[pk for pk, _file, _id in rows], status=UploadStatus.UPLOADING
    ).update(
        status=UploadStatus.FAILED,
        message=_(
            "The upload was not finished within %(hours)s hours and was removed. Start it again."
        )
        % {"hours": settings.ONEBUH_UPLOAD_ABANDONED_HOURS},
    )
    uploads = [[file, upload_id] for _pk, file, upload_id in rows]
    outbox_enqueue_many(
        {"kind": UPLOAD_ABORT_KIND, "payload": {"uploads": uploads[i : i + ABORT_CHUNK]}}
        for i in range(0, len(uploads), ABORT_CHUNK)
    )
    return len(rows)


def uploads_abort(*, uploads: list[list[str]]) -> int:
    """Abort multipart uploads and remove part folders; ones already gone are fine."""
    for name, upload_id in uploads:
        files.multipart_abort(alias=storage.ALIAS, name=name, upload_id=upload_id)
    return len(uploads)


def uploads_sweep_storage(*, now: datetime.datetime) -> int:
    """Step 2: open multipart uploads and part folders no upload row points at (those with a
    row are step 1's, or still being uploaded, or were joined or aborted by the worker)."""
    stale = files.multipart_stale(alias=storage.ALIAS, prefix="uploads/", before=_cutoff(now))
    known = set(
        UploadSession.objects.filter(file__in=[u["name"] for u in stale]).values_list(
            "file", flat=True
        )
    )
    orphans = [[u["name"], u["upload_id"]] for u in stale if u["name"] not in known]
    return uploads_abort(uploads=orphans)


def uploads_cleanup(*, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    return {
        "expired": uploads_expire_abandoned(now=now),
        "swept": uploads_sweep_storage(now=now),
    }

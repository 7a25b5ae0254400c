"""Backups: daily by schedule, on demand, restore; retention by tariff (1.2, 2.4)."""

import datetime

from django.db import connection, transaction
from django.db.models import (
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from onebuh.errors import Conflict
from outbox.services import outbox_enqueue_many
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction

from ..models import (
    Backup,
    BackupCopy,
    BackupKind,
    BackupStatus,
    Infobase,
    InfobaseStatus,
    Operation,
    OperationKind,
)
from .common import queue_operation, queue_operations, require_active
from .infobases import infobase_create

# Subscribers without a tariff (none ordered yet, or billing not set up) keep copies this long.
DEFAULT_RETENTION_DAYS = 14
FINAL_BACKUP_DAYS = 30  # 1.2: the copy made before deleting an infobase is kept 30 days.
_DAILY_LOCK_KEY = 4_202_611  # pg_advisory_xact_lock key of the daily backup pass.


@transaction.atomic
def backup_request(*, infobase: Infobase, actor, kind: str = BackupKind.ON_DEMAND) -> Backup:
    """An on-demand copy. The panel warns that a .dt dump locks the infobase while it runs."""
    require_active(infobase.subscriber)
    if not infobase.is_ready:
        raise Conflict(_("The infobase is not ready; a backup is not possible now."))
    backup = Backup.objects.create(
        subscriber_id=infobase.subscriber_id, infobase=infobase, kind=kind
    )
    queue_operation(
        subscriber_id=infobase.subscriber_id,
        infobase=infobase,
        kind=OperationKind.BACKUP,
        actor=actor,
        params={"ref": infobase.ref, "backup_id": backup.pk},
    )
    audit_record(
        action=AuditAction.INFOBASE_BACKUP,
        subscriber=infobase.subscriber,
        actor=actor,
        target=infobase,
    )
    return backup


@transaction.atomic
def backups_schedule_daily(*, day: datetime.date) -> int:
    """Queue the day's backup of every ready infobase that has none yet. Safe to run twice."""
    if connection.vendor == "postgresql":
        # Two passes at once would both see "no backup yet"; the lock makes the second wait.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_DAILY_LOCK_KEY])
    has_daily = Backup.objects.filter(
        infobase=OuterRef("pk"), kind=BackupKind.DAILY, scheduled_for=day
    )
    infobases = list(
        Infobase.objects.filter(status=InfobaseStatus.READY, blocked_at__isnull=True)
        .exclude(Exists(has_daily))
        .values_list("pk", "subscriber_id", "ref")
    )
    backups = Backup.objects.bulk_create(
        [
            Backup(subscriber_id=sub, infobase_id=pk, kind=BackupKind.DAILY, scheduled_for=day)
            for pk, sub, _ref in infobases
        ],
        batch_size=2000,
    )
    queue_operations(
        [
            Operation(
                subscriber_id=sub,
                infobase_id=pk,
                kind=OperationKind.BACKUP,
                params={"ref": ref, "backup_id": backup.pk},
            )
            for (pk, sub, ref), backup in zip(infobases, backups, strict=True)
        ]
    )
    return len(backups)


def expired_backups(*, now=None):
    """Copies past their retention: the final copy by its own date; others by the tariff's days,
    but the newest finished copy of a live infobase is always kept (2.4: it stays downloadable)."""
    now = now or timezone.now()
    # The tariff lives in billing; this is the one place the infobases app reads it set-based.
    days = Coalesce(
        F("subscriber__subscription__tariff__backup_retention_days"), Value(DEFAULT_RETENTION_DAYS)
    )
    expires = ExpressionWrapper(
        F("created_at")
        + ExpressionWrapper(days * Value(datetime.timedelta(days=1)), output_field=DurationField()),
        output_field=DateTimeField(),
    )
    newer = Backup.objects.filter(
        infobase=OuterRef("infobase"),
        status=BackupStatus.DONE,
        created_at__gt=OuterRef("created_at"),
    )
    return Backup.objects.annotate(expires_at=expires).filter(
        Q(keep_until__isnull=False, keep_until__lt=now)
        | Q(keep_until__isnull=True, expires_at__lt=now)
        & (
            Q(status=BackupStatus.FAILED)
            | Q(status=BackupStatus.DONE)
            & (Q(infobase__status=InfobaseStatus.DELETED) | Exists(newer))
        )
    )


DELETE_FILES_KIND = "infobases.delete_files"
DELETE_FILES_CHUNK = 1000


def owe_file_deletion(files) -> None:
    """The files go once the caller's transaction commits: an outbox row per thousand files,
    written with the rows that stopped pointing at them, so no file outlives its record."""

    files = [file for file in files if file]
    outbox_enqueue_many(
        {"kind": DELETE_FILES_KIND, "payload": {"paths": files[start : start + DELETE_FILES_CHUNK]}}
        for start in range(0, len(files), DELETE_FILES_CHUNK)
    )


@transaction.atomic
def backups_apply_retention(*, now=None, chunk: int = 10000) -> int:
    """Delete expired copies and owe the deletion of their files (outbox, in this transaction).
    Fixed number of queries per chunk."""
    rows = list(expired_backups(now=now).values_list("pk", "file"))
    ids = [pk for pk, _file in rows]
    for start in range(0, len(ids), chunk):
        BackupCopy.objects.filter(backup_id__in=ids[start : start + chunk]).delete()
        Backup.objects.filter(pk__in=ids[start : start + chunk]).delete()
    files = [file for _pk, file in rows if file]
    owe_file_deletion(files)
    return len(ids)


@transaction.atomic
def backup_restore(*, backup: Backup, actor, into_new: bool, name: str = "") -> Infobase:
    """Restore into the same infobase (after a safety copy) or into a new one."""
    require_active(backup.subscriber)
    if backup.status != BackupStatus.DONE:
        raise Conflict(_("This copy is not finished; it cannot be restored."))
    infobase = backup.infobase
    if into_new:
        return infobase_create(
            subscriber=backup.subscriber,
            solution=infobase.solution,
            name=name or _("%(name)s (restored)") % {"name": infobase.name},
            with_demo_data=False,
            actor=actor,
            restore_from=backup.file,
        )
    if infobase.status not in (InfobaseStatus.READY, InfobaseStatus.FAILED):
        raise Conflict(_("The infobase is deleted or busy; restore into a new one."))
    queue_operation(
        subscriber_id=infobase.subscriber_id,
        infobase=infobase,
        kind=OperationKind.RESTORE,
        actor=actor,
        params={"ref": infobase.ref, "backup_id": backup.pk},
    )
    audit_record(
        action=AuditAction.INFOBASE_RESTORE,
        subscriber=infobase.subscriber,
        actor=actor,
        target=infobase,
        data={"backup": backup.pk},
    )
    return infobase

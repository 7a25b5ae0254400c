"""The runner of provisioning operations: claim, call the driver, record the result.

Driver calls happen outside database transactions (they take minutes); each result is written
in a short transaction. An operation runs once: the claim is a conditional UPDATE queued → running.
"""

import contextlib
import datetime
import logging
from pathlib import Path

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onebuh.ioerrors import io_error_log, io_error_message
from outbox.leases import lease_kept, lease_until
from outbox.services import outbox_kick
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction

from .. import passwords, storage
from ..models import (
    Backup,
    BackupKind,
    BackupStatus,
    Infobase,
    InfobaseStatus,
    Operation,
    OperationKind,
    OperationStatus,
    Release,
    ScheduledUpdate,
    UpdateStatus,
)
from ..provisioning import Driver, ProvisioningError, get_driver
from .backups import FINAL_BACKUP_DAYS
from .targets import copies_owe

logger = logging.getLogger(__name__)
# Failures of these leave the infobase in doubt: it is marked failed, never ready.
STATE_CHANGING = {
    OperationKind.CREATE,
    OperationKind.LOAD,
    OperationKind.DROP,
    OperationKind.RESTORE,
    OperationKind.UPDATE,
}


class RolledBack(ProvisioningError):
    """The operation failed but put the infobase back as it was: it stays usable."""


def _make_backup(op: Operation, driver: Driver, *, kind: str, backup: Backup | None = None):
    """Dump the infobase into a Backup row (created here unless given)."""
    if backup is None:
        backup = Backup.objects.create(
            subscriber_id=op.subscriber_id,
            infobase_id=op.infobase_id,
            kind=kind,
            keep_until=(
                timezone.now() + datetime.timedelta(days=FINAL_BACKUP_DAYS)
                if kind == BackupKind.FINAL
                else None
            ),
        )
    relative = storage.backup_relative_path(
        subscriber_id=op.subscriber_id,
        ref=op.params["ref"],
        backup_id=backup.pk,
        stamp=timezone.localtime().strftime("%Y%m%d-%H%M%S"),
    )
    try:
        # The 1C tools write a local file; with object storage it is uploaded after the dump.
        with storage.local_target(relative) as path:
            size = driver.dump(ref=op.params["ref"], path=path)
    except Exception:
        Backup.objects.filter(pk=backup.pk).update(status=BackupStatus.FAILED)
        raise
    now = timezone.now()
    with transaction.atomic():
        Backup.objects.filter(pk=backup.pk).update(
            status=BackupStatus.DONE, file=relative, size_bytes=size, completed_at=now
        )
        # Copies to the customer's own buckets are owed with the backup being done (issue 16).
        copies_owe(backup_ids=[backup.pk])
    live_size = _live_size(driver, op.params["ref"])
    Infobase.objects.filter(pk=op.infobase_id).update(size_bytes=live_size or size)
    backup.file = relative
    return backup


def _live_size(driver: Driver, ref: str) -> int | None:
    """The infobase's size is shown for the quota, not needed for the work: a DBMS that does
    not answer leaves it unknown until the next backup measures it, and the base that was
    created, loaded or dumped is not failed (and not done twice) for it."""
    try:
        return driver.size(ref=ref)
    except ProvisioningError as error:
        logger.warning("The size of infobase %s is unknown: %s", ref, error)
        return None


def _backup_once(op: Operation, driver: Driver, *, kind: str) -> Backup:
    """The safety copy before a restore or an update, taken once per operation: a rerun (the
    operation re-queued after its worker died) reuses it, since a second copy would hold the
    half-changed infobase. The copy's id is kept in the operation's parameters."""
    taken = Backup.objects.filter(
        pk=op.params.get("safety_backup_id"), status=BackupStatus.DONE
    ).first()
    if taken is not None:
        return taken
    backup = _make_backup(op, driver, kind=kind)
    op.params["safety_backup_id"] = str(backup.pk)
    Operation.objects.filter(pk=op.pk).update(params=op.params)
    return backup


def _mark_ready(op: Operation, **extra) -> None:
    Infobase.objects.filter(pk=op.infobase_id).exclude(
        status__in=[InfobaseStatus.DELETING, InfobaseStatus.DELETED]
    ).update(status=InfobaseStatus.READY, status_message="", **extra)


def _create(op: Operation, driver: Driver) -> None:
    params = op.params
    with contextlib.ExitStack() as stack:
        if params.get("restore_from"):
            restore_from = stack.enter_context(storage.local_copy(params["restore_from"]))
        elif params.get("template_dt"):
            restore_from = Path(params["template_dt"])
        else:
            restore_from = None
        dt_admin = params.get("dt_admin")
        admin = None
        if dt_admin:  # A customer's .dt with its own users: 1C is entered as its administrator.
            admin = (dt_admin["login"], passwords.unseal(dt_admin.get("password_sealed", "")) or "")
        driver.create(
            ref=params["ref"],
            template=params["template"],
            restore_from=restore_from,
            admin=admin,
        )
    blocked = Infobase.objects.filter(pk=op.infobase_id, blocked_at__isnull=False).exists()
    if blocked:  # Suspended while it was being created.
        driver.block(ref=params["ref"], message=_("Access to the service is suspended."))
    else:
        driver.publish(ref=params["ref"])
    if params.get("creator"):  # 14: whoever adds a base gets full rights to it
        _set_user(op, driver, params["creator"])
    _forget_passwords(op)
    _mark_ready(op, size_bytes=_live_size(driver, params["ref"]) or 0)


def _drop(op: Operation, driver: Driver) -> None:
    _make_backup(op, driver, kind=BackupKind.FINAL)
    driver.unpublish(ref=op.params["ref"])
    driver.drop(ref=op.params["ref"])
    Infobase.objects.filter(pk=op.infobase_id).update(
        status=InfobaseStatus.DELETED, deleted_at=timezone.now()
    )


def _purge(op: Operation, driver: Driver) -> None:
    driver.drop(ref=op.params["ref"])


def _set_user(op: Operation, driver: Driver, p: dict) -> None:
    """Create or change the 1C user; a sealed password is opened only to hand it to 1C."""
    profiles = (
        Infobase.objects.filter(pk=op.infobase_id)
        .values_list("solution__access_profiles", flat=True)
        .first()
        or {}
    ).get(p["role"])
    driver.user_set(
        ref=p["ref"],
        login=p["login"],
        full_name=p["full_name"],
        role=p["role"],
        password=passwords.unseal(p.get("password_sealed", "")),
        profiles=profiles,
    )


def _forget_passwords(op: Operation) -> None:
    """1C has the password now: the operation's row keeps no copy, not even a sealed one."""
    params = {k: v for k, v in op.params.items() if k != "password_sealed"}
    for nested in ("creator", "dt_admin"):
        if nested in params:
            params[nested] = {k: v for k, v in params[nested].items() if k != "password_sealed"}
    if params != op.params:
        Operation.objects.filter(pk=op.pk).update(params=params)


def _user_set(op: Operation, driver: Driver) -> None:
    _set_user(op, driver, op.params)
    _forget_passwords(op)


def _lock_set(op: Operation, driver: Driver) -> None:
    p = op.params
    ends = datetime.datetime.fromisoformat(p["to"]) if p.get("to") else None
    driver.lock_set(
        ref=p["ref"],
        starts=datetime.datetime.fromisoformat(p["from"]),
        ends=ends,
        message=p["message"],
        code=p["code"],
    )


def _backup(op: Operation, driver: Driver) -> None:
    backup = Backup.objects.get(pk=op.params["backup_id"])
    _make_backup(op, driver, kind=backup.kind, backup=backup)


def _restore(op: Operation, driver: Driver) -> None:
    source = Backup.objects.get(pk=op.params["backup_id"])
    _backup_once(op, driver, kind=BackupKind.BEFORE_RESTORE)
    with storage.local_copy(source.file) as path:
        driver.restore(ref=op.params["ref"], path=path)
    _mark_ready(op)


def _update(op: Operation, driver: Driver) -> None:
    p = op.params
    backup = _backup_once(op, driver, kind=BackupKind.BEFORE_UPDATE)
    try:
        driver.update_config(ref=p["ref"], template=p["template"])
    except Exception as error:
        # 7: a failed update leaves the infobase as it was: roll back from the backup just made.
        try:
            with storage.local_copy(backup.file) as path:
                driver.restore(ref=p["ref"], path=path)
        except Exception:
            logger.exception("Rollback of %s after a failed update failed", p["ref"])
            raise error from None
        raise RolledBack(
            _("The update failed and the infobase was restored from its backup: %(error)s")
            % {"error": error}
        ) from error
    release = Release.objects.get(pk=p["release_id"])
    with transaction.atomic():
        _mark_ready(op, release=release)
        ScheduledUpdate.objects.filter(pk=p["update_id"]).update(
            status=UpdateStatus.DONE, message="", finished_at=timezone.now()
        )


HANDLERS = {
    OperationKind.CREATE: _create,
    OperationKind.LOAD: _create,
    OperationKind.DROP: _drop,
    OperationKind.PURGE: _purge,
    OperationKind.BLOCK: lambda op, d: d.block(ref=op.params["ref"], message=op.params["message"]),
    OperationKind.UNBLOCK: lambda op, d: d.unblock(ref=op.params["ref"]),
    OperationKind.USER_SET: _user_set,
    OperationKind.USER_REMOVE: lambda op, d: d.user_remove(
        ref=op.params["ref"], login=op.params["login"]
    ),
    OperationKind.SESSION_END: lambda op, d: d.session_end(
        ref=op.params["ref"], session_id=op.params["session_id"]
    ),
    OperationKind.LOCK_SET: _lock_set,
    OperationKind.LOCK_CLEAR: lambda op, d: d.lock_clear(ref=op.params["ref"]),
    OperationKind.BACKUP: _backup,
    OperationKind.RESTORE: _restore,
    OperationKind.UPDATE: _update,
}


def failure_for_people(kind: str) -> str:
    """What the subscriber reads about a failed operation: the raw error (server paths, tool
    output) stays in the operation's record for staff (issue 18)."""
    texts = {
        OperationKind.CREATE: _("The infobase could not be created."),
        OperationKind.LOAD: _("The infobase could not be loaded from the dump."),
        OperationKind.DROP: _("The infobase could not be deleted."),
        OperationKind.RESTORE: _("The infobase could not be restored from the backup."),
        OperationKind.UPDATE: _("The infobase could not be updated to the new release."),
    }
    done = texts.get(kind, _("The operation failed."))
    return (
        done
        + " "
        + _(
            "The operator's engineers see the cause and will fix it; write to support if it is urgent."
        )
    )


@transaction.atomic
def record_failure(
    op: Operation, message: str, *, in_doubt: bool = True, public: bool = False
) -> None:
    """The operation failed for good: staff read `message` in the admin and may retry it."""
    Operation.objects.filter(pk=op.pk).update(
        status=OperationStatus.FAILED,
        message=message,
        finished_at=timezone.now(),
        lease_until=None,
        dispatch_token=None,
    )
    if op.kind in STATE_CHANGING and op.infobase_id and in_doubt:
        shown = message if public else failure_for_people(op.kind)
        Infobase.objects.filter(pk=op.infobase_id).exclude(status=InfobaseStatus.DELETED).update(
            status=InfobaseStatus.FAILED, status_message=shown
        )
    if op.kind == OperationKind.UPDATE:
        ScheduledUpdate.objects.filter(pk=op.params.get("update_id")).update(
            status=UpdateStatus.FAILED, message=message, finished_at=timezone.now()
        )
    if op.kind == OperationKind.BACKUP:
        Backup.objects.filter(pk=op.params.get("backup_id")).update(status=BackupStatus.FAILED)


def operation_run(*, operation_id, driver: Driver | None = None, token=None) -> str:
    """Run one operation if it is queued (and still in the chunk `token`, when given); return
    its final status. Safe to call twice: the claim is a conditional UPDATE queued → running.
    While the driver call runs, a side thread renews the lease; if this process dies the lease
    runs out and the reaper queues it again (every driver call is safe to repeat, see
    infobases/provisioning/base.py)."""
    claim = Operation.objects.filter(pk=operation_id, status=OperationStatus.QUEUED)
    if token is not None:
        claim = claim.filter(dispatch_token=token)
    claimed = claim.update(
        status=OperationStatus.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        lease_until=lease_until(),
    )
    if not claimed:  # Done, failed, another worker has it, or another chunk took it over.
        return Operation.objects.filter(pk=operation_id).values_list("status", flat=True).first()
    op = Operation.objects.get(pk=operation_id)
    running = Operation.objects.filter(pk=op.pk, status=OperationStatus.RUNNING)
    try:
        with lease_kept(lambda: running.update(lease_until=lease_until())):
            HANDLERS[op.kind](op, driver or get_driver())
    except OSError as error:
        # A full or failing disk during a dump or restore: a Russian message for staff and the
        # subscriber, one ERROR line; the drivers write dumps to .part files, so nothing is left
        # half-written under the final name.
        io_error_log(error, f"Operation {op.pk} ({op.kind})")
        record_failure(op, io_error_message(error))
        return OperationStatus.FAILED
    except Exception as error:
        logger.exception("Operation %s (%s) failed", op.pk, op.kind)
        record_failure(
            op,
            str(error) or error.__class__.__name__,
            in_doubt=not isinstance(error, RolledBack),
            public=getattr(error, "public", False),
        )
        return OperationStatus.FAILED
    running.update(
        status=OperationStatus.DONE,
        message="",
        finished_at=timezone.now(),
        lease_until=None,
        dispatch_token=None,
    )
    return OperationStatus.DONE


@transaction.atomic
def operation_retry(*, operation: Operation, actor) -> bool:
    """Staff put a failed operation, or one stuck running past its lease (its worker died),
    back in the queue; it runs again under the same id with its attempts counted afresh."""
    requeued = (
        Operation.objects.filter(pk=operation.pk)
        .filter(
            Q(status=OperationStatus.FAILED)
            | Q(status=OperationStatus.RUNNING, lease_until__lt=timezone.now())
        )
        .update(
            status=OperationStatus.QUEUED,
            message="",
            attempts=0,
            dispatched_at=None,
            dispatch_token=None,
            lease_until=None,
        )
    )
    if not requeued:
        return False
    if operation.kind == OperationKind.BACKUP:
        Backup.objects.filter(pk=operation.params.get("backup_id")).update(
            status=BackupStatus.QUEUED
        )
    audit_record(
        action=AuditAction.INFOBASE_OPERATION_RETRY,
        subscriber=operation.subscriber,
        actor=actor,
        target=operation,
    )
    outbox_kick()  # the dispatcher sends it after commit (and the beat, if the kick is lost)
    return True

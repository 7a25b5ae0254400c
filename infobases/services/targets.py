"""Copies of backups in the customer's own bucket (issue 16): targets, the check, the copy job.

A copy is owed (an outbox row per copy, `infobases.backup_copy`) in the transaction that marks a
backup done, so it exists exactly when the backup does. The job is safe to repeat: the object's
key is fixed per backup, so a second upload replaces the same object, and a copy already done is
skipped. A failure is recorded on the copy (a Russian message the customer sees on the backups
page, counted in /metrics) and raised, so the outbox retries with its back-off (30 s, 1, 2, 4 …
minutes) up to its attempts; the backup itself stays done whatever happens to its copies.
"""

import logging
import posixpath
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onebuh import files
from onebuh.sealed import seal
from outbox.services import outbox_enqueue_many, outbox_owe_again
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.locks import lock_subscriber
from subscribers.models import Subscriber

from .. import bucket, storage
from ..models import MAX_TARGETS, Backup, BackupCopy, BackupTarget, CopyStatus

logger = logging.getLogger(__name__)
BACKUP_COPY_KIND = "infobases.backup_copy"


class CopyFailed(Exception):
    """A copy did not reach the customer's bucket (the outbox retries it)."""


COPY_ATTEMPTS = 8
PROBE_BODY = b"ONEbuh connection check\n"


def _clean(*, endpoint_url: str, bucket_name: str, region: str, prefix: str) -> dict:
    endpoint_url = endpoint_url.strip().rstrip("/")
    problem = bucket.endpoint_problem(endpoint_url)
    if problem:
        raise ValidationError({"endpoint_url": problem})
    return {
        "endpoint_url": endpoint_url,
        "bucket": bucket_name.strip(),
        "region": region.strip(),
        "prefix": prefix.strip().strip("/"),
    }


def _keys(access_key: str, secret_key: str) -> dict:
    access_key, secret_key = access_key.strip(), secret_key.strip()
    return {
        "access_key_sealed": seal(access_key),
        "secret_key_sealed": seal(secret_key),
        "access_key_hint": access_key[-4:],
    }


def _checked(probed: bool) -> dict:
    if probed:
        return {"checked_at": timezone.now(), "check_ok": True, "check_message": ""}
    return {"checked_at": None, "check_ok": None, "check_message": ""}


@transaction.atomic
def target_add(
    *,
    subscriber: Subscriber,
    actor,
    endpoint_url: str,
    bucket_name: str,
    region: str = "",
    prefix: str = "",
    access_key: str,
    secret_key: str,
    probed: bool = False,
) -> BackupTarget:
    """`probed`: target_probe has just written to the bucket with these settings."""
    subscriber = lock_subscriber(subscriber)  # two managers cannot both pass the limit
    if BackupTarget.objects.filter(subscriber=subscriber).count() >= MAX_TARGETS:
        raise ValidationError(
            ngettext(
                "At most %(count)s storage can be added. Delete one first.",
                "At most %(count)s storages can be added. Delete one first.",
                MAX_TARGETS,
            )
            % {"count": MAX_TARGETS}
        )
    if not access_key.strip() or not secret_key.strip():
        raise ValidationError(_("Enter both the access key and the secret key."))
    target = BackupTarget.objects.create(
        subscriber=subscriber,
        created_by=actor,
        **_clean(endpoint_url=endpoint_url, bucket_name=bucket_name, region=region, prefix=prefix),
        **_keys(access_key, secret_key),
        **_checked(probed),
    )
    audit_record(
        action=AuditAction.BACKUP_TARGET_ADD,
        subscriber=subscriber,
        actor=actor,
        target=target,
        data={"endpoint": target.endpoint_url, "bucket": target.bucket},
    )
    return target


@transaction.atomic
def target_update(
    *,
    target: BackupTarget,
    actor,
    endpoint_url: str,
    bucket_name: str,
    region: str = "",
    prefix: str = "",
    enabled: bool = True,
    access_key: str = "",
    secret_key: str = "",
    probed: bool = False,
) -> BackupTarget:
    """Blank keys keep the stored ones (they are never shown back to be re-sent). `probed`:
    target_probe has just written to the bucket with these settings."""
    fields = _clean(
        endpoint_url=endpoint_url, bucket_name=bucket_name, region=region, prefix=prefix
    )
    fields["enabled"] = enabled
    if bool(access_key.strip()) != bool(secret_key.strip()):
        raise ValidationError(
            _("To change the keys, enter both the access key and the secret key.")
        )
    if access_key.strip():
        fields.update(_keys(access_key, secret_key))
    # A changed address or key makes the last check meaningless, unless it was just probed.
    fields.update(_checked(probed))
    for name, value in fields.items():
        setattr(target, name, value)
    target.save(update_fields=list(fields))
    audit_record(
        action=AuditAction.BACKUP_TARGET_CHANGE,
        subscriber=target.subscriber,
        actor=actor,
        target=target,
        data={
            "endpoint": target.endpoint_url,
            "bucket": target.bucket,
            "enabled": enabled,
            "keys_changed": bool(access_key.strip()),
        },
    )
    return target


@transaction.atomic
def target_delete(*, target: BackupTarget, actor) -> None:
    audit_record(
        action=AuditAction.BACKUP_TARGET_DELETE,
        subscriber=target.subscriber,
        actor=actor,
        target=target,
        data={"endpoint": target.endpoint_url, "bucket": target.bucket},
    )
    target.delete()


def _probe(target: BackupTarget) -> str | None:
    """Write and delete a small probe object: None when it worked, else the reason in Russian.
    Never raises for the storage's faults."""
    key = bucket.object_key(target, f".onebuh-check-{uuid.uuid4().hex}")
    try:
        client = bucket.client_for(target)
        client.put_object(Bucket=target.bucket, Key=key, Body=PROBE_BODY)
        client.delete_object(Bucket=target.bucket, Key=key)
    except Exception as error:
        explained = bucket.explain(error, target)
        logger.info("Backup target %s check failed: %s", target.pk, explained.detail)
        return str(explained)
    return None


def target_check(*, target: BackupTarget) -> str | None:
    """The probe on a saved storage; its outcome is recorded on the target either way."""
    message = _probe(target)
    BackupTarget.objects.filter(pk=target.pk).update(
        checked_at=timezone.now(), check_ok=message is None, check_message=message or ""
    )
    return message


def target_probe(
    *,
    target: BackupTarget | None = None,
    endpoint_url: str,
    bucket_name: str,
    region: str = "",
    prefix: str = "",
    access_key: str = "",
    secret_key: str = "",
) -> str | None:
    """The probe on settings before they are saved (the add and change forms), so wrong keys
    or a wrong bucket are said in Russian and change nothing. Blank keys are the stored
    target's. Stores nothing; a malformed address raises ValidationError as on saving."""
    candidate = BackupTarget(
        **_clean(endpoint_url=endpoint_url, bucket_name=bucket_name, region=region, prefix=prefix)
    )
    if access_key.strip() and secret_key.strip():
        keys = _keys(access_key, secret_key)
    elif target is not None:
        keys = {
            "access_key_sealed": target.access_key_sealed,
            "secret_key_sealed": target.secret_key_sealed,
        }
    else:
        raise ValidationError(_("Enter both the access key and the secret key."))
    for name, value in keys.items():
        setattr(candidate, name, value)
    return _probe(candidate)


def copies_owe(*, backup_ids) -> int:
    """In the caller's transaction (the one that marks the backups done): a copy row and an
    outbox row for every enabled target of each backup's subscriber. Set-based: 3 queries."""

    pairs = list(
        Backup.objects.filter(pk__in=list(backup_ids))
        .filter(subscriber__backup_targets__enabled=True)
        .values_list("pk", "subscriber__backup_targets__pk")
    )
    if not pairs:
        return 0
    BackupCopy.objects.bulk_create(
        [BackupCopy(backup_id=backup, target_id=target) for backup, target in pairs],
        ignore_conflicts=True,  # a backup finished twice (a rerun) owes its copies once
    )
    copies = BackupCopy.objects.filter(
        backup_id__in=[backup for backup, _t in pairs], status=CopyStatus.PENDING
    ).values_list("pk", flat=True)
    outbox_enqueue_many(
        {
            "kind": BACKUP_COPY_KIND,
            "payload": {"copy_id": pk},
            "dedupe_key": f"backup-copy:{pk}",  # the same key in backup_copy_retry
        }
        for pk in copies
    )
    return len(pairs)


@transaction.atomic
def backup_copy_retry(*, copy: BackupCopy, actor) -> None:
    """The customer asks again for a failed copy (after fixing the storage's keys or bucket):
    the copy waits again and is owed through the outbox now, with its attempts anew."""
    if not copy.target.enabled:
        raise ValidationError(_("The storage is switched off: switch it on first."))
    # A conditional UPDATE claims it: a double click, or a click racing the outbox's own retry
    # that has just copied it, brings it back once.
    claimed = BackupCopy.objects.filter(pk=copy.pk, status=CopyStatus.FAILED).update(
        status=CopyStatus.PENDING, attempts=0, message=""
    )
    if not claimed:
        raise ValidationError(_("This copy is no longer failed; reload the page."))
    outbox_owe_again(
        kind=BACKUP_COPY_KIND, payload={"copy_id": copy.pk}, dedupe_key=f"backup-copy:{copy.pk}"
    )
    audit_record(
        action=AuditAction.BACKUP_COPY_RETRY,
        subscriber=copy.target.subscriber,
        actor=actor,
        target=copy.backup,
        data={"bucket": copy.target.bucket, "copy": copy.pk},
    )


def _fail(copy: BackupCopy, error: bucket.BucketError, *, final: bool) -> None:
    retry = (
        ""
        if final
        else " "
        + _("The portal will try again by itself (attempt %(n)s of %(max)s).")
        % {"n": copy.attempts + 1, "max": COPY_ATTEMPTS}
    )
    BackupCopy.objects.filter(pk=copy.pk).exclude(status=CopyStatus.DONE).update(
        status=CopyStatus.FAILED, attempts=F("attempts") + 1, message=f"{error}{retry}"
    )


def backup_copy_run(*, copy_id: int, final: bool = False) -> str:
    """Copy one backup to one target (a worker, through the outbox). Safe to repeat."""
    copy = (
        BackupCopy.objects.select_related("backup__infobase", "target")
        .filter(pk=copy_id)
        .exclude(status=CopyStatus.DONE)
        .first()
    )
    if copy is None:  # done already, or the backup or the target was deleted since
        return "skipped"
    backup, target = copy.backup, copy.target
    if not target.enabled:
        return "skipped"
    key = bucket.object_key(target, f"{backup.infobase.ref}/{posixpath.basename(backup.file)}")
    try:
        client = bucket.client_for(target)
        source = files.storage_for(storage.ALIAS)
        with source.open(backup.file, "rb") as handle:
            # boto3 switches to a multipart upload by itself for big dumps.
            client.upload_fileobj(handle, target.bucket, key)
        stored = client.head_object(Bucket=target.bucket, Key=key)["ContentLength"]
        expected = source.size(backup.file)
        if stored != expected:
            raise bucket.BucketError(
                _("The copy arrived incomplete in the bucket; it will be sent again."),
                f"{stored} bytes stored of {expected}",
            )
    except Exception as error:
        explained = bucket.explain(error, target)
        _fail(copy, explained, final=final)
        # The outbox row (staff's view, the admin) keeps the raw error; the customer reads
        # the copy's message.
        raise CopyFailed(explained.detail) from error
    BackupCopy.objects.filter(pk=copy.pk).update(
        status=CopyStatus.DONE,
        key=key,
        copied_at=timezone.now(),
        message="",
        attempts=F("attempts") + 1,
    )
    return "done"

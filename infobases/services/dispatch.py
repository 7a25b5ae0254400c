"""The operations queue: the database is the queue, the broker holds only chunks about to run.

Every pass of the outbox dispatcher (beat every minute, and a kick after each commit that queued
operations) runs `operations_dispatch`:

1. **Reap.** An operation `running` past its lease (its worker died: the lease is renewed every
   third of ONEBUH_LEASE_SECONDS while the worker lives) goes back to `queued`, or to `failed`
   with a message staff can read once it has used `max_attempts`; the `.part` files its dump left
   are removed. A queued operation whose chunk never started within the dispatch lease (the
   message was lost with the broker, or the worker died before reaching it) is sent again.
2. **Dispatch.** Queued operations not yet sent are claimed in creation order with
   SELECT … FOR UPDATE SKIP LOCKED, at most ONEBUH_OPERATIONS_IN_FLIGHT in flight, and sent in
   chunks of ONEBUH_OPERATIONS_CHUNK: one Celery task `infobases.run_operations` per chunk, which
   runs them one after another (each claimed queued → running by its id, so never twice).
"""

import datetime
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outbox.leases import lease_kept, lease_seconds, lease_until
from outbox.services import outbox_kick
from outbox.workers import task_send

from ..models import Operation, OperationKind, OperationStatus
from .operations import operation_run, record_failure

logger = logging.getLogger(__name__)
# Kinds whose driver call writes a dump (a `.part` file while it runs).
DUMPING = {
    OperationKind.BACKUP,
    OperationKind.DROP,
    OperationKind.RESTORE,
    OperationKind.UPDATE,
}


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def dispatch_lease(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(
        seconds=_setting("ONEBUH_OPERATIONS_DISPATCH_LEASE_SECONDS", 900)
    )


def part_files_remove(*, operations) -> int:
    """Remove the `.part` files dumps of these dead operations left (older than one lease, so
    a live dump of the same infobase is never touched)."""
    removed = 0
    # Dumps are written to local files (then uploaded, with object storage): the file-system
    # folder of the infobases storage.
    root = Path(settings.ONEBUH_INFOBASES_DIR)
    if not root.exists():
        return 0
    cutoff = timezone.now().timestamp() - lease_seconds()
    for op in operations:
        ref = (op.params or {}).get("ref")
        if op.kind not in DUMPING or not ref:
            continue
        folder = root / "backups" / str(op.subscriber_id) / ref
        for part in folder.glob("*.part") if folder.is_dir() else ():
            try:
                if part.stat().st_mtime < cutoff:
                    part.unlink()
                    removed += 1
                    logger.warning("Removed %s left by the dead operation %s", part, op.pk)
            except FileNotFoundError:
                pass
    return removed


def operations_reap(*, now: datetime.datetime) -> dict[str, int]:
    with transaction.atomic():
        dead = list(
            Operation.objects.select_for_update(skip_locked=True).filter(
                status=OperationStatus.RUNNING, lease_until__lt=now
            )
        )
        to_fail = [op for op in dead if op.attempts >= op.max_attempts]
        to_requeue = [op.pk for op in dead if op.attempts < op.max_attempts]
        Operation.objects.filter(pk__in=to_requeue).update(
            status=OperationStatus.QUEUED,
            dispatched_at=None,
            dispatch_token=None,
            lease_until=None,
            message=_("The worker stopped during this operation; it was queued again."),
        )
        for op in to_fail:
            record_failure(
                op,
                ngettext(
                    "The worker stopped during this operation %(attempts)s time; it is not "
                    "retried any more. Check the cluster, then retry it in the admin.",
                    "The worker stopped during this operation %(attempts)s times; it is not "
                    "retried any more. Check the cluster, then retry it in the admin.",
                    op.attempts,
                )
                % {"attempts": op.attempts},
            )
        # Chunks that never started (lost with the broker, or their worker died first).
        resent = Operation.objects.filter(
            status=OperationStatus.QUEUED, dispatched_at__isnull=False, lease_until__lt=now
        ).update(dispatched_at=None, dispatch_token=None, lease_until=None)
    parts = part_files_remove(operations=dead)
    return {"requeued": len(to_requeue), "failed": len(to_fail), "resent": resent, "parts": parts}


def operations_claim(*, now: datetime.datetime) -> list[uuid.UUID]:
    chunk = _setting("ONEBUH_OPERATIONS_CHUNK", 20)
    limit = _setting("ONEBUH_OPERATIONS_IN_FLIGHT", 200)
    with transaction.atomic():
        in_flight = Operation.objects.filter(
            Q(status=OperationStatus.RUNNING)
            | Q(status=OperationStatus.QUEUED, dispatched_at__isnull=False)
        ).count()
        room = max(limit - in_flight, 0)
        if not room:
            return []
        ids = list(
            Operation.objects.filter(status=OperationStatus.QUEUED, dispatched_at__isnull=True)
            .order_by("created_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:room]
        )
        tokens = []
        until = dispatch_lease(now)
        for start in range(0, len(ids), chunk):
            token = uuid.uuid4()
            Operation.objects.filter(pk__in=ids[start : start + chunk]).update(
                dispatched_at=now, dispatch_token=token, lease_until=until
            )
            tokens.append(token)
    return tokens


def operations_dispatch(*, now: datetime.datetime) -> dict:
    figures = operations_reap(now=now)
    tokens = operations_claim(now=now)
    for token in tokens:
        try:
            task_send("infobases.run_operations", (str(token),), retry=False)
        except Exception:  # broker down: the dispatch lease runs out and they are sent again
            logger.error("Could not send a chunk of operations to the workers; resent later")
            break
    figures["chunks"] = len(tokens)
    return figures


def operations_run_chunk(*, token: str) -> dict[str, int]:
    """Run the chunk's operations in order, renewing the lease of the ones still waiting and of
    the running one while this process lives. After ONEBUH_OPERATIONS_CHUNK_SECONDS the rest
    goes back to the dispatcher, so one long chunk does not hold a worker for hours."""
    token = uuid.UUID(str(token))
    mine = Operation.objects.filter(
        dispatch_token=token, status__in=[OperationStatus.QUEUED, OperationStatus.RUNNING]
    )
    ids = list(
        mine.filter(status=OperationStatus.QUEUED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    budget = _setting("ONEBUH_OPERATIONS_CHUNK_SECONDS", 600)
    started = timezone.now()
    results = {"done": 0, "failed": 0, "skipped": 0, "returned": 0}

    def renew():
        # Waiting ones keep their dispatch lease, the running one its run lease.
        mine.update(lease_until=lease_until())

    with lease_kept(renew):
        for index, pk in enumerate(ids):
            if (timezone.now() - started).total_seconds() > budget:
                results["returned"] = Operation.objects.filter(
                    pk__in=ids[index:], status=OperationStatus.QUEUED, dispatch_token=token
                ).update(dispatched_at=None, dispatch_token=None, lease_until=None)
                outbox_kick()
                break
            status = operation_run(operation_id=pk, token=token)
            results[status if status in results else "skipped"] += 1
    return results


def operations_stuck(*, now: datetime.datetime | None = None):
    """What staff should look at: failed operations and ones running past their lease."""
    now = now or timezone.now()
    return Operation.objects.filter(
        Q(status=OperationStatus.FAILED) | Q(status=OperationStatus.RUNNING, lease_until__lt=now)
    )

"""The one way to owe a side effect: `outbox_enqueue` (or `outbox_enqueue_many`) inside the
transaction that makes the change. The row commits with the change or not at all; the
dispatcher sends it (beat every minute, `manage.py outbox_dispatch`, and a kick after commit)."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import OutboxMessage, OutboxState
from .registry import handler_for
from .workers import task_send

logger = logging.getLogger(__name__)


def outbox_enqueue(
    *,
    kind: str,
    payload: dict,
    dedupe_key: str | None = None,
    available_at: datetime.datetime | None = None,
    message_id: str = "",
) -> OutboxMessage | None:
    """Owe one side effect. Returns the row, or None when `dedupe_key` was owed already."""
    rows = outbox_enqueue_many(
        [
            {
                "kind": kind,
                "payload": payload,
                "dedupe_key": dedupe_key,
                "available_at": available_at,
                "message_id": message_id,
            }
        ]
    )
    return rows[0] if rows else None


def outbox_enqueue_many(items: Iterable[dict]) -> list[OutboxMessage]:
    """Owe many side effects in one INSERT (set-based passes). Each item has `kind`, `payload`
    and optionally `dedupe_key`, `available_at`, `message_id`. Rows whose `dedupe_key` exists
    already are skipped; the created rows are returned."""
    now = timezone.now()
    rows = []
    for item in items:
        handler = handler_for(item["kind"])  # an unknown kind fails here, in the caller
        rows.append(
            OutboxMessage(
                kind=item["kind"],
                payload=item["payload"],
                dedupe_key=item.get("dedupe_key"),
                available_at=item.get("available_at") or now,
                message_id=item.get("message_id") or "",
                max_attempts=handler.max_attempts,
                created_at=now,
            )
        )
    if not rows:
        return []
    plain = [row for row in rows if not row.dedupe_key]
    keyed: dict[str, OutboxMessage] = {}
    for row in rows:
        if row.dedupe_key:
            keyed.setdefault(row.dedupe_key, row)
    created = OutboxMessage.objects.bulk_create(plain, batch_size=2000) if plain else []
    if keyed:
        taken = set(
            OutboxMessage.objects.filter(dedupe_key__in=list(keyed)).values_list(
                "dedupe_key", flat=True
            )
        )
        fresh = [row for key, row in keyed.items() if key not in taken]
        # A concurrent transaction may take a key between the read and the insert: the
        # constraint keeps its row and this insert skips ours.
        OutboxMessage.objects.bulk_create(fresh, batch_size=2000, ignore_conflicts=True)
        # ignore_conflicts gives no ids back: read ours (same creation instant, our keys).
        created += list(
            OutboxMessage.objects.filter(
                dedupe_key__in=[row.dedupe_key for row in fresh], created_at=now
            )
        )
    if not created:
        return []
    outbox_kick()
    return created


@transaction.atomic
def outbox_owe_again(*, kind: str, payload: dict, dedupe_key: str) -> None:
    """Owe the side effect named by `dedupe_key` once more, now and with its attempts anew
    (a customer asks again after fixing what made it fail): its row, waiting out a back-off,
    failed for good or sent, goes back to pending; without a row one is owed. A row a worker
    holds right now is left to it (its outcome is the one that counts)."""
    again = (
        OutboxMessage.objects.filter(dedupe_key=dedupe_key, kind=kind)
        .exclude(state=OutboxState.SENDING)
        .update(
            state=OutboxState.PENDING,
            attempts=0,
            available_at=timezone.now(),
            last_error="",
            payload=payload,
        )
    )
    if again:
        outbox_kick()
    else:
        outbox_enqueue(kind=kind, payload=payload, dedupe_key=dedupe_key)


def _kick_now() -> None:
    """Start the dispatcher at once. An accelerator only: if the broker is down the beat's
    next pass sends the rows, so a failure here is logged and never reaches the caller."""
    try:
        task_send("outbox.dispatch", retry=False)
    except Exception:  # the broker being down must not fail a committed request
        logger.warning("Could not start the outbox dispatcher now; the next beat pass will")


class _Kick:
    """One after-commit kick; `done` once it ran (the test helpers run callbacks by hand)."""

    done = False

    def __call__(self):
        self.done = True
        _kick_now()


def outbox_kick() -> None:
    """Kick the dispatcher after the current transaction commits: once per savepoint (a loop of
    enqueues registers one kick, and one dropped with a rolled-back savepoint is replaced)."""
    if not getattr(settings, "ONEBUH_OUTBOX_KICK", True):
        return
    if not connection.in_atomic_block:
        _kick_now()
        return
    here = set(connection.savepoint_ids)
    for sids, func, *_robust in connection.run_on_commit:
        if sids == here and isinstance(func, _Kick) and not func.done:
            return
    transaction.on_commit(_Kick(), robust=True)

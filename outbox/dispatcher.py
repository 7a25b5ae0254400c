"""The dispatcher: takes due outbox rows with SELECT … FOR UPDATE SKIP LOCKED, hands them to
delivery tasks in chunks (one Celery task per chunk), takes back rows whose lease ran out, and
runs the apps' own passes (the operations queue, the report reaper).

Beat runs it every minute, `manage.py outbox_dispatch` by hand, and every transaction that
enqueues a row kicks it after commit. Any number may run at once: SKIP LOCKED splits the rows.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .leases import lease_kept, lease_until
from .models import OutboxMessage, OutboxState
from .registry import PASSES, handler_for
from .workers import task_send

logger = logging.getLogger(__name__)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def retry_delay(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min … at most an hour between attempts."""
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def messages_reap(*, now: datetime.datetime) -> dict[str, int]:
    """Rows whose delivery task died: back to pending, or failed once their attempts are used."""
    expired = OutboxMessage.objects.filter(state=OutboxState.SENDING, lease_until__lt=now)
    failed = expired.filter(attempts__gte=F("max_attempts")).update(
        state=OutboxState.FAILED,
        claim_token=None,
        lease_until=None,
        last_error="The delivery was interrupted on every attempt (lease ran out).",
    )
    requeued = expired.update(
        state=OutboxState.PENDING, claim_token=None, lease_until=None, available_at=now
    )
    return {"requeued": requeued, "failed": failed}


def messages_claim(*, now: datetime.datetime) -> list[uuid.UUID]:
    """Claim due rows in chunks; returns one token per chunk. Rows already in flight count
    against the limit, so the broker holds a few chunks and the database holds the queue."""
    chunk = _setting("ONEBUH_OUTBOX_CHUNK", 50)
    limit = _setting("ONEBUH_OUTBOX_IN_FLIGHT", 1000)
    with transaction.atomic():
        in_flight = OutboxMessage.objects.filter(state=OutboxState.SENDING).count()
        room = max(limit - in_flight, 0)
        if not room:
            return []
        ids = list(
            OutboxMessage.objects.filter(state=OutboxState.PENDING, available_at__lte=now)
            .order_by("available_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:room]
        )
        tokens = []
        until = lease_until(now)
        for start in range(0, len(ids), chunk):
            token = uuid.uuid4()
            OutboxMessage.objects.filter(pk__in=ids[start : start + chunk]).update(
                state=OutboxState.SENDING,
                claim_token=token,
                claimed_at=now,
                lease_until=until,
                attempts=F("attempts") + 1,
            )
            tokens.append(token)
    return tokens


def outbox_dispatch(*, now: datetime.datetime | None = None) -> dict:
    """One pass: reap, claim and send the chunks to the workers, then the apps' passes."""
    now = now or timezone.now()
    figures: dict = {"messages": messages_reap(now=now)}
    tokens = messages_claim(now=now)
    for token in tokens:
        try:
            task_send("outbox.deliver", (str(token),), retry=False)
        except Exception:  # broker down: the lease runs out and the rows come back
            logger.error("Could not send an outbox chunk to the workers; it comes back later")
            break
    figures["messages"]["chunks"] = len(tokens)
    for name, run in PASSES.items():
        try:
            figures[name] = run(now=now)
        except Exception:
            logger.exception("Dispatcher pass %s failed", name)
    return figures


def _finish(row: OutboxMessage, token: uuid.UUID, **fields) -> int:
    return OutboxMessage.objects.filter(
        pk=row.pk, claim_token=token, state=OutboxState.SENDING
    ).update(claim_token=None, lease_until=None, **fields)


def _fail_or_retry(row: OutboxMessage, token: uuid.UUID, error: Exception) -> None:
    message = f"{error.__class__.__name__}: {error}"[:2000]
    if row.attempts >= row.max_attempts:
        _finish(row, token, state=OutboxState.FAILED, last_error=message)
        logger.error("Outbox %s failed for good: %s", row, message)
    else:
        _finish(
            row,
            token,
            state=OutboxState.PENDING,
            last_error=message,
            available_at=timezone.now() + retry_delay(row.attempts),
        )
        logger.warning(
            "Outbox %s failed (attempt %s), retried later: %s", row, row.attempts, message
        )


def outbox_deliver(*, token: str) -> dict[str, int]:
    """Deliver one chunk. Only rows still holding this token are touched: if the lease ran out
    and the dispatcher gave them to another chunk, this one leaves them alone."""
    token = uuid.UUID(str(token))
    mine = OutboxMessage.objects.filter(claim_token=token, state=OutboxState.SENDING)
    mine.update(lease_until=lease_until())
    rows = list(mine.order_by("id"))
    figures = {"sent": 0, "retried": 0, "skipped": 0}
    chunk: dict = {}
    try:
        with lease_kept(lambda: mine.update(lease_until=lease_until())):
            for row in rows:
                figures[deliver_one(row, token=token, chunk=chunk)] += 1
    finally:
        for close in chunk.get("closers", []):
            close()
    return figures


def deliver_one(row: OutboxMessage, *, token: uuid.UUID, chunk: dict) -> str:
    handler = handler_for(row.kind)
    try:
        if handler.transactional:
            with transaction.atomic():
                locked = (
                    OutboxMessage.objects.select_for_update()
                    .filter(pk=row.pk, claim_token=token, state=OutboxState.SENDING)
                    .exists()
                )
                if not locked:
                    return "skipped"
                handler.func(row.payload, chunk=chunk, message=row)
                _finish(row, token, state=OutboxState.SENT, sent_at=timezone.now(), last_error="")
            return "sent"
        handler.func(row.payload, chunk=chunk, message=row)
    except Exception as error:  # recorded on the row; staff see it
        _fail_or_retry(row, token, error)
        return "retried"
    # A crash between the send and this UPDATE sends the row once more (emails keep their
    # Message-ID, so the receiving server drops the copy).
    kept = (
        {} if handler.keep_once_sent is None else {"payload": handler.keep_once_sent(row.payload)}
    )
    _finish(row, token, state=OutboxState.SENT, sent_at=timezone.now(), last_error="", **kept)
    return "sent"


@transaction.atomic
def outbox_retry(*, ids) -> int:
    """Staff put failed rows back (admin action); they go out with the next dispatcher pass."""
    return OutboxMessage.objects.filter(pk__in=list(ids), state=OutboxState.FAILED).update(
        state=OutboxState.PENDING, attempts=0, available_at=timezone.now(), last_error=""
    )


def outbox_stuck(*, now: datetime.datetime | None = None):
    """What staff should look at: failed rows and rows claimed past their lease."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        Q(state=OutboxState.FAILED) | Q(state=OutboxState.SENDING, lease_until__lt=now)
    )


def deliver_now(row: OutboxMessage) -> str:
    """Claim and deliver one row in this process (ONEBUH_OUTBOX_EAGER_EMAIL, tests only)."""
    token = uuid.uuid4()
    claimed = OutboxMessage.objects.filter(pk=row.pk, state=OutboxState.PENDING).update(
        state=OutboxState.SENDING,
        claim_token=token,
        claimed_at=timezone.now(),
        lease_until=lease_until(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "skipped"
    row.refresh_from_db()
    chunk: dict = {}
    try:
        return deliver_one(row, token=token, chunk=chunk)
    finally:
        for close in chunk.get("closers", []):
            close()

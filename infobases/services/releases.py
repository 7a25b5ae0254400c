"""7: publishing releases, informing subscribers and updating typical infobases at night (6.2)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from onebuh.dates import first_works_window_at_or_after, in_works_window
from outbox.services import outbox_enqueue
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction

from ..models import (
    Infobase,
    InfobaseStatus,
    Operation,
    OperationKind,
    Release,
    ScheduledUpdate,
    UpdateStatus,
)
from ..selectors import releases_changed
from .common import queue_operations

# 6.2: planned work runs in the 01:00–06:00 GMT+5 window (onebuh.dates) and is announced at
# least 48 hours ahead.
NOTICE = datetime.timedelta(hours=48)


def first_window_after(moment: datetime.datetime) -> datetime.datetime:
    """The start of the first night window at least 48 hours after `moment`."""
    return first_works_window_at_or_after(moment + NOTICE)


@transaction.atomic
def release_publish(*, release: Release, actor=None, now=None) -> int:
    """Publish a release: schedule typical infobases on older releases and inform subscribers.

    Returns the number of updates scheduled. Publishing twice does nothing the second time.
    """
    now = now or timezone.now()
    claimed = Release.objects.filter(pk=release.pk, published_at__isnull=True).update(
        published_at=now
    )
    if not claimed:
        return 0

    # After the commit: a list read before it must not cache the unpublished state again.
    transaction.on_commit(releases_changed)
    releases_changed()
    older = Q(release__isnull=True) | Q(release__released_on__lt=release.released_on)
    infobases = list(
        Infobase.objects.filter(
            older,
            solution_id=release.solution_id,
            status__in=[InfobaseStatus.CREATING, InfobaseStatus.READY, InfobaseStatus.FAILED],
        ).values_list("pk", "subscriber_id", "is_typical")
    )
    when = first_window_after(now)
    updates = ScheduledUpdate.objects.bulk_create(
        [
            ScheduledUpdate(infobase_id=pk, release=release, scheduled_for=when)
            for pk, _sub, typical in infobases
            if typical
        ],
        ignore_conflicts=True,
    )
    subscriber_ids = sorted({sub for _pk, sub, _typical in infobases})
    audit_record(
        action=AuditAction.RELEASE_PUBLISH,
        actor=actor,
        target=release,
        data={"subscribers": len(subscriber_ids), "updates": len(updates)},
    )
    if subscriber_ids:
        outbox_enqueue(
            kind="infobases.release_notify",
            payload={"release_id": release.pk, "subscriber_ids": subscriber_ids},
        )
    return len(updates)


@transaction.atomic
def updates_start_due(*, now=None) -> int:
    """Start the updates that are due, only inside the night window; the rest wait for the next.

    Rows are claimed with SKIP LOCKED so two passes at once never start one update twice.
    """
    now = now or timezone.now()
    if not in_works_window(now):
        return 0
    due = list(
        ScheduledUpdate.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            status=UpdateStatus.SCHEDULED,
            scheduled_for__lte=now,
            infobase__status=InfobaseStatus.READY,
            infobase__blocked_at__isnull=True,
        )
        .select_related("infobase", "release__solution")
    )
    operations = [
        Operation(
            subscriber_id=update.infobase.subscriber_id,
            infobase_id=update.infobase_id,
            kind=OperationKind.UPDATE,
            params={
                "ref": update.infobase.ref,
                "update_id": update.pk,
                "release_id": update.release_id,
                "template": update.release.template_path,
            },
        )
        for update in due
    ]

    created = queue_operations(operations)
    for update, operation in zip(due, created, strict=True):
        update.status, update.operation = UpdateStatus.RUNNING, operation
    ScheduledUpdate.objects.bulk_update(due, ["status", "operation"], batch_size=1000)
    return len(due)

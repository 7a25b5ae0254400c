"""What the apps below ask of the infobase layer: billing's suspension, resume, purge and tariff
counts, subscribers' member removal, role change and dashboard. They never import this module;
they send their signals (billing/signals.py, subscribers/signals.py) and `infobases.receivers`
calls these.

All take ids and work set-based (a fixed number of queries whatever the number of subscribers),
inside the caller's transaction: rows are marked here, synchronously; the cluster calls are
queued as operations (and file deletions as outbox rows) in the same transaction, and the
dispatcher sends them once it commits. Billing records the state change and
its audit row; the operations are the infobases' own record.
"""

from collections.abc import Sequence

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import storage
from .models import (
    Backup,
    BackupCopy,
    BackupStatus,
    BackupTarget,
    Infobase,
    InfobaseAccess,
    InfobaseStatus,
    Operation,
    OperationKind,
    PlacementRequest,
    ScheduledUpdate,
)
from .services.backups import owe_file_deletion
from .services.common import queue_operations
from .services.licensing import licence_record_terminations, removed_rows

_LIVE = (InfobaseStatus.CREATING, InfobaseStatus.READY, InfobaseStatus.FAILED)


def infobases_block_for_subscribers(*, subscriber_ids: Sequence[int], reason: str) -> None:
    """Suspension (3.5): block and unpublish every infobase of these subscribers."""
    rows = list(
        Infobase.objects.filter(
            subscriber_id__in=list(subscriber_ids), status__in=_LIVE, blocked_at__isnull=True
        ).values_list("pk", "subscriber_id", "ref", "status")
    )
    if not rows:
        return
    Infobase.objects.filter(pk__in=[row[0] for row in rows]).update(blocked_at=timezone.now())
    queue_operations(
        [
            Operation(
                subscriber_id=sub,
                infobase_id=pk,
                kind=OperationKind.BLOCK,
                params={"ref": ref, "message": reason},
            )
            for pk, sub, ref, status in rows
            # One being created is blocked by its own create operation when it finishes.
            if status != InfobaseStatus.CREATING
        ]
    )


def infobases_unblock_for_subscribers(*, subscriber_ids: Sequence[int], reason: str) -> None:
    """Resume: publish and unblock again what the suspension blocked."""
    rows = list(
        Infobase.objects.filter(
            subscriber_id__in=list(subscriber_ids), blocked_at__isnull=False
        ).values_list("pk", "subscriber_id", "ref", "status")
    )
    if not rows:
        return
    Infobase.objects.filter(pk__in=[row[0] for row in rows]).update(blocked_at=None)
    queue_operations(
        [
            Operation(
                subscriber_id=sub,
                infobase_id=pk,
                kind=OperationKind.UNBLOCK,
                params={"ref": ref, "reason": reason},
            )
            for pk, sub, ref, status in rows
            if status in _LIVE and status != InfobaseStatus.CREATING
        ]
    )


def infobases_purge_for_subscribers(*, subscriber_ids: Sequence[int], rule: str) -> dict:
    """Purge (3.6): drop the infobases, their backups and files, and the infobase users.

    Returns a summary of what was deleted, for the purge record.
    """
    ids = list(subscriber_ids)
    infobases = list(
        Infobase.objects.filter(subscriber_id__in=ids)
        .exclude(status=InfobaseStatus.DELETED)
        .values_list("pk", "subscriber_id", "ref")
    )
    files = list(
        Backup.objects.filter(subscriber_id__in=ids).exclude(file="").values_list("file", flat=True)
    )
    files += list(
        PlacementRequest.objects.filter(subscriber_id__in=ids).values_list("file", flat=True)
    )
    accesses = InfobaseAccess.objects.filter(infobase__subscriber_id__in=ids)
    removed = removed_rows(accesses)
    # Children first, by subscriber, so the number of queries does not depend on the rows.
    access_count = accesses.delete()[0]
    # The customer's own storages: their sealed keys go with the data (copies already made
    # stay in the customer's bucket, which is theirs).
    BackupCopy.objects.filter(target__subscriber_id__in=ids).delete()
    BackupTarget.objects.filter(subscriber_id__in=ids).delete()
    backup_count = Backup.objects.filter(subscriber_id__in=ids).delete()[0]
    ScheduledUpdate.objects.filter(infobase__subscriber_id__in=ids).delete()
    PlacementRequest.objects.filter(subscriber_id__in=ids).delete()
    Operation.objects.filter(subscriber_id__in=ids).update(infobase=None)
    infobase_count = Infobase.objects.filter(subscriber_id__in=ids).delete()[0]
    licence_record_terminations(removed=removed)
    queue_operations(
        [
            Operation(
                subscriber_id=sub,
                infobase_id=None,
                kind=OperationKind.PURGE,
                params={"ref": ref, "rule": rule},
            )
            for _pk, sub, ref in infobases
        ]
    )
    owe_file_deletion(files)
    return {
        "infobases": len(infobases),
        "infobase_rows": infobase_count,
        "backups": backup_count,
        "infobase_users": access_count,
    }


# Infobases whose cluster users still exist: a deleted or deleting one loses its users with it.
_USERS_LIVE = (InfobaseStatus.CREATING, InfobaseStatus.READY, InfobaseStatus.FAILED)


def infobases_access_end_for_members(*, membership_ids: Sequence[int], actor=None) -> int:
    """A member leaves (issue 18): every 1C user the membership had in the subscriber's
    infobases is removed through the driver (queued as `access_revoke` does) and the licence
    terminations (2.2) are recorded. Set-based; runs in the caller's transaction, whatever the
    subscriber's state (a suspended subscriber's former member must lose the login too).
    Returns the number of 1C users removed."""
    accesses = InfobaseAccess.objects.filter(membership_id__in=list(membership_ids))
    rows = list(
        accesses.values_list(
            "infobase_id", "infobase__subscriber_id", "infobase__ref", "infobase__status", "login"
        )
    )
    if not rows:
        return 0
    removed = removed_rows(accesses)
    accesses.delete()
    licence_record_terminations(removed=removed)
    queue_operations(
        [
            Operation(
                subscriber_id=subscriber_id,
                infobase_id=infobase_id,
                kind=OperationKind.USER_REMOVE,
                actor=actor,
                params={"ref": ref, "login": login},
            )
            for infobase_id, subscriber_id, ref, status, login in rows
            if status in _USERS_LIVE
        ]
    )
    return len(rows)


def infobases_access_lower_for_members(
    *, membership_ids: Sequence[int], to_role: str, actor=None
) -> int:
    """A member's role is lowered below manager (issue 18): full rights in 1C (the
    administration of the infobase and its users) end; the 1C users become plain users
    through the driver. Returns the number of accesses lowered."""
    accesses = InfobaseAccess.objects.filter(
        membership_id__in=list(membership_ids), infobase__status__in=_USERS_LIVE
    ).exclude(role=to_role)
    rows = list(
        accesses.values_list(
            "pk",
            "infobase_id",
            "infobase__subscriber_id",
            "infobase__ref",
            "login",
            "membership__user__email",
            "membership__user__full_name",
        )
    )
    if not rows:
        return 0
    InfobaseAccess.objects.filter(pk__in=[row[0] for row in rows]).update(role=to_role)
    queue_operations(
        [
            Operation(
                subscriber_id=subscriber_id,
                infobase_id=infobase_id,
                kind=OperationKind.USER_SET,
                actor=actor,
                params={
                    "ref": ref,
                    "login": login,
                    "full_name": full_name or email,
                    "role": to_role,
                    "new": False,
                    "email": email,
                },
            )
            for _pk, infobase_id, subscriber_id, ref, login, email, full_name in rows
        ]
    )
    return len(rows)


def infobases_usage_for_subscriber(*, subscriber) -> dict:
    """What the subscriber uses against its tariff: infobases not deleted, and 1C users
    (members with access to at least one of them). Billing checks downgrades with it."""
    live = Infobase.objects.filter(subscriber=subscriber, status__in=_LIVE)
    users = (
        InfobaseAccess.objects.filter(infobase__in=live)
        .order_by()
        .values("membership_id")
        .distinct()
        .count()
    )
    return {"users": users, "infobases": live.count()}


def infobases_names_for_subscriber(*, subscriber) -> list[str]:
    """The names of the subscriber's infobases that still hold data (a termination's
    confirmation page says which will be deleted)."""
    live = Infobase.objects.filter(subscriber=subscriber, status__in=_LIVE)
    return list(live.order_by("name").values_list("name", flat=True))


__all__ = [
    "infobases_access_end_for_members",
    "infobases_access_lower_for_members",
    "infobases_block_for_subscribers",
    "infobases_names_for_subscriber",
    "infobases_purge_for_subscribers",
    "infobases_unblock_for_subscribers",
    "infobases_usage_for_subscriber",
    "storage",
]


def infobases_first_steps() -> dict:
    """The dashboard's first-steps checklist (issue 14) as expressions over a queryset of
    subscribers (read in the caller's one query): whether it has a live base, how many people
    have a 1C account in its live bases, and whether a backup is finished."""

    people = (
        InfobaseAccess.objects.filter(
            infobase__subscriber_id=OuterRef("pk"), infobase__status__in=_LIVE
        )
        .order_by()
        .values("infobase__subscriber_id")
        .annotate(n=Count("membership_id", distinct=True))
        .values("n")[:1]
    )
    return {
        "has_infobase": Exists(
            Infobase.objects.filter(subscriber_id=OuterRef("pk"), status__in=_LIVE)
        ),
        "people_with_access": Coalesce(Subquery(people), 0),
        "has_backup": Exists(
            Backup.objects.filter(subscriber_id=OuterRef("pk"), status=BackupStatus.DONE)
        ),
    }

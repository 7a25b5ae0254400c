"""Pieces every infobase service shares: the active-subscriber rule, limits, queueing operations."""

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from billing.selectors import tariff_for_subscriber
from onebuh.errors import Conflict
from outbox.services import outbox_kick
from subscribers.models import Subscriber, SubscriberStatus

from ..models import Infobase, InfobaseAccess, InfobaseStatus, Operation

LIVE_STATUSES = (InfobaseStatus.CREATING, InfobaseStatus.READY, InfobaseStatus.FAILED)


def require_active(subscriber: Subscriber) -> None:
    """3.5: while suspended only downloading the last backups is allowed (2.4)."""
    if subscriber.status != SubscriberStatus.ACTIVE:
        raise Conflict(
            _(
                "Access to the service is suspended: this action is not available. "
                "You can still download the last backup of each infobase."
            )
        )


def tariff_or_error(subscriber: Subscriber):
    tariff = tariff_for_subscriber(subscriber=subscriber)
    if tariff is None:
        raise Conflict(
            _(
                "The subscriber has no tariff yet. Choose a tariff in the Billing section "
                "first, then add infobases."
            )
        )
    return tariff


def check_infobase_limit(subscriber: Subscriber, *, adding: int = 1) -> None:
    tariff = tariff_or_error(subscriber)
    count = Infobase.objects.filter(subscriber=subscriber, status__in=LIVE_STATUSES).count()
    if count + adding > tariff.max_infobases:
        raise Conflict(
            ngettext(
                "Your tariff «%(tariff)s» allows %(limit)s infobase and you have %(count)s. "
                "Delete an infobase or change the tariff in the Billing section.",
                "Your tariff «%(tariff)s» allows %(limit)s infobases and you have %(count)s. "
                "Delete an infobase or change the tariff in the Billing section.",
                tariff.max_infobases,
            )
            % {"tariff": tariff.name, "limit": tariff.max_infobases, "count": count}
        )


def check_user_limit(subscriber: Subscriber, *, membership_id: int) -> None:
    """Tariff 1C users: members with access to at least one infobase of the subscriber."""
    tariff = tariff_or_error(subscriber)
    with_access = set(
        InfobaseAccess.objects.filter(
            infobase__subscriber=subscriber, infobase__status__in=LIVE_STATUSES
        ).values_list("membership_id", flat=True)
    )
    if membership_id not in with_access and len(with_access) >= tariff.max_users:
        raise Conflict(
            ngettext(
                "Your tariff «%(tariff)s» allows %(limit)s 1C user and all are taken. "
                "Revoke someone's access or change the tariff in the Billing section.",
                "Your tariff «%(tariff)s» allows %(limit)s 1C users and all are taken. "
                "Revoke someone's access or change the tariff in the Billing section.",
                tariff.max_users,
            )
            % {"tariff": tariff.name, "limit": tariff.max_users}
        )


def queue_operations(operations: Sequence[Operation]) -> list[Operation]:
    """Store the operations in the caller's transaction; the dispatcher sends them to the
    workers in chunks once it commits (kicked after commit, and every minute by the beat, so a
    lost kick or a dead worker only delays them — infobases/services/dispatch.py)."""
    if not operations:
        return []
    created = Operation.objects.bulk_create(operations, batch_size=2000)
    outbox_kick()
    return created


def queue_operation(**fields) -> Operation:
    return queue_operations([Operation(**fields)])[0]

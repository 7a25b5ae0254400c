"""Staff's manual suspension, and termination with reconciliation and bonus payout (9.4)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import (
    LedgerEntry,
    LedgerKind,
    NoticeKind,
    ReconciliationStatement,
    Subscription,
)
from billing.periods import PURGE_AFTER_DAYS
from billing.selectors import balances_for
from billing.signals import subscribers_blocked, subscribers_unblocked
from onebuh.signals import send_merged
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.locks import lock_subscriber
from subscribers.models import Subscriber, SubscriberStateChange, SubscriberStatus, SuspensionReason
from subscribers.services import subscriber_change_state

from .notices import notices_create

Event = SubscriberStateChange.Event


@transaction.atomic
def subscriber_suspend_manually(*, subscriber: Subscriber, reason: str, actor) -> Subscriber:
    """Staff suspend with a reason; a payment never lifts this (only staff do)."""
    subscriber = lock_subscriber(subscriber)
    if not reason.strip():
        raise ValidationError(_("Give the reason of the suspension."))
    if subscriber.status not in (SubscriberStatus.ACTIVE, SubscriberStatus.SUSPENDED):
        raise ValidationError(_("Only an active or suspended subscriber can be suspended."))
    subscriber = subscriber_change_state(
        subscriber=subscriber,
        to_status=SubscriberStatus.SUSPENDED,
        event=Event.SUSPENDED,
        cause=reason.strip(),
        actor=actor,
        suspension_reason=SuspensionReason.MANUAL,
    )
    send_merged(
        subscribers_blocked,
        sender="billing",
        subscriber_ids=[subscriber.pk],
        reason=SuspensionReason.MANUAL.value,
    )
    return subscriber


@transaction.atomic
def subscriber_lift_manual_suspension(*, subscriber: Subscriber, cause: str, actor) -> Subscriber:
    """Staff lift their own suspension. An overdue debt suspends again on the next pass."""
    subscriber = lock_subscriber(subscriber)
    if subscriber.suspension_reason != SuspensionReason.MANUAL:
        raise ValidationError(_("The subscriber is not suspended by the operator."))
    subscriber = subscriber_change_state(
        subscriber=subscriber,
        to_status=SubscriberStatus.ACTIVE,
        event=Event.RESUMED,
        cause=cause.strip() or _("Resumed by the operator"),
        actor=actor,
    )
    Subscription.objects.filter(subscriber=subscriber, ended_at__isnull=True).update(
        billable_from=timezone.localdate()
    )
    send_merged(
        subscribers_unblocked,
        sender="billing",
        subscriber_ids=[subscriber.pk],
        reason=SuspensionReason.MANUAL.value,
    )
    return subscriber


@transaction.atomic
def termination_request(*, subscriber: Subscriber, actor) -> Subscription:
    """9.4: the subscriber refuses further use; staff then reconcile and terminate."""
    subscriber = lock_subscriber(subscriber)
    subscription = Subscription.objects.select_for_update().filter(subscriber=subscriber).first()
    if subscription is None or subscription.ended_at is not None:
        raise ValidationError(_("There is no service to terminate."))
    if subscription.termination_requested_at is not None:
        raise ValidationError(_("Termination is already requested."))
    subscription.termination_requested_at = timezone.now()
    subscription.save(update_fields=["termination_requested_at"])
    # A note on the history (the state machine's): a request must not restart the purge clock.
    subscriber_change_state(
        subscriber=subscriber,
        to_status=subscriber.status,
        event=Event.TERMINATION_REQUESTED,
        cause=_("The subscriber asked to terminate the service (9.4)"),
        actor=actor,
    )
    return subscription


@transaction.atomic
def reconciliation_create(*, subscriber: Subscriber, actor) -> ReconciliationStatement:
    """Акт сверки: every ledger entry up to now and the two balances."""
    subscriber = lock_subscriber(
        subscriber
    )  # No entry slips in between the snapshot and the balances.
    money, bonus = balances_for(subscriber=subscriber)
    last = LedgerEntry.objects.filter(subscriber=subscriber).order_by("-id").first()
    statement = ReconciliationStatement.objects.create(
        subscriber=subscriber,
        last_entry=last,
        money_balance=money,
        bonus_balance=bonus,
        created_by=actor,
    )
    audit_record(
        action=AuditAction.RECONCILIATION,
        subscriber=subscriber,
        actor=actor,
        target=statement,
        data={"money": str(money), "bonus": str(bonus)},
    )
    return statement


def _statement_is_current(statement: ReconciliationStatement) -> bool:
    later = LedgerEntry.objects.filter(subscriber_id=statement.subscriber_id)
    if statement.last_entry_id is not None:
        later = later.filter(id__gt=statement.last_entry_id)
    return not later.exists()


@transaction.atomic
def bonus_payout(
    *, subscriber: Subscriber, statement: ReconciliationStatement, actor
) -> LedgerEntry:
    """9.4: bonuses become money only for a subscriber who refuses the service, and only after
    a reconciliation statement that still covers every entry."""
    subscriber = lock_subscriber(subscriber)
    subscription = Subscription.objects.filter(subscriber=subscriber).first()
    if subscription is None or subscription.termination_requested_at is None:
        raise ValidationError(_("Bonuses are paid out only when the subscriber terminates (9.4)."))
    if statement.subscriber_id != subscriber.pk or not _statement_is_current(statement):
        raise ValidationError(_("Make a new reconciliation statement first."))
    _money, bonus = balances_for(subscriber=subscriber)
    if bonus <= 0:
        raise ValidationError(_("There are no bonuses to pay out."))
    entry = LedgerEntry.objects.create(
        subscriber=subscriber,
        kind=LedgerKind.PAYOUT,
        bonus=-bonus,
        description=str(statement),
        reason=str(statement),
        actor=actor,
    )
    audit_record(
        action=AuditAction.BONUS_PAYOUT,
        subscriber=subscriber,
        actor=actor,
        target=entry,
        data={"amount": str(bonus), "statement": statement.pk},
    )
    return entry


@transaction.atomic
def subscriber_terminate(*, subscriber: Subscriber, actor) -> Subscriber:
    """End the service after the request and a reconciliation. Access ends; the final backup is
    offered by email, and the data follows the purge path 30 days later."""
    subscriber = lock_subscriber(subscriber)
    subscription = Subscription.objects.select_for_update().filter(subscriber=subscriber).first()
    if subscription is None or subscription.termination_requested_at is None:
        raise ValidationError(_("The subscriber has not asked to terminate."))
    if subscriber.status not in (SubscriberStatus.ACTIVE, SubscriberStatus.SUSPENDED):
        raise ValidationError(_("The service is already ended."))
    if not subscriber.reconciliation_statements.filter(
        created_at__gte=subscription.termination_requested_at
    ).exists():
        raise ValidationError(_("Make a reconciliation statement first (9.4)."))
    now = timezone.now()
    subscriber = subscriber_change_state(
        subscriber=subscriber,
        to_status=SubscriberStatus.TERMINATED,
        event=Event.TERMINATED,
        cause=_("The service is terminated at the subscriber's request (9.4)"),
        actor=actor,
    )
    purge_on = timezone.localdate(now + datetime.timedelta(days=PURGE_AFTER_DAYS))
    subscriber_change_state(
        subscriber=subscriber,
        to_status=SubscriberStatus.TERMINATED,
        event=Event.PURGE_SCHEDULED,
        cause=_("The data will be deleted on %(date)s") % {"date": f"{purge_on:%d.%m.%Y}"},
        actor=actor,
    )
    subscription.ended_at = now
    subscription.save(update_fields=["ended_at"])
    send_merged(
        subscribers_blocked, sender="billing", subscriber_ids=[subscriber.pk], reason="terminated"
    )
    notices_create(
        kind=NoticeKind.TERMINATED,
        items=[(subscriber.pk, "terminated", {"purge_on": purge_on.isoformat()})],
    )
    return subscriber

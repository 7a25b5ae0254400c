"""Promised payment (обещанный платёж): a subscriber suspended for non-payment restores its access
itself for the tariff's N days (default 3), once per overdue invoice. If the debt is still unpaid
when the days end, the suspension pass suspends it again, and the 30-day clock of 3.6 keeps
counting from the first suspension (the pass sets `status_changed_at` back to it)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import PromisedPayment
from billing.selectors import debt_for, overdue_invoices, tariff_for_subscriber
from billing.signals import subscribers_unblocked
from onebuh.signals import send_merged
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.locks import lock_subscriber
from subscribers.models import (
    Subscriber,
    SubscriberStateChange,
    SubscriberStatus,
    SuspensionReason,
)
from subscribers.states import subscribers_transition


def promised_payment_offer(*, subscriber: Subscriber, now=None) -> dict | None:
    """What the billing page offers: {"days", "debt"}, or None when the rule does not allow it."""
    now = now or timezone.now()
    if not (
        subscriber.status == SubscriberStatus.SUSPENDED
        and subscriber.suspension_reason == SuspensionReason.NON_PAYMENT
    ):
        return None
    tariff = tariff_for_subscriber(subscriber=subscriber)
    days = tariff.promised_payment_days if tariff is not None else 0
    overdue = overdue_invoices(today=timezone.localdate(now)).filter(subscriber=subscriber)
    if not days or not overdue.exists() or overdue.filter(promise__isnull=False).exists():
        return None
    return {"days": days, "debt": debt_for(subscriber=subscriber)}


@transaction.atomic
def promised_payment_take(*, subscriber: Subscriber, actor) -> PromisedPayment:
    now = timezone.now()
    # Locked like payments and the passes, so a concurrent suspension pass or payment waits.
    subscriber = lock_subscriber(subscriber)
    offer = promised_payment_offer(subscriber=subscriber, now=now)
    if offer is None:
        raise ValidationError(
            _(
                "A promised payment is possible only while access is suspended for non-payment, "
                "once per overdue invoice."
            )
        )
    invoice = (
        overdue_invoices(today=timezone.localdate(now))
        .filter(subscriber=subscriber)
        .order_by("due_date", "number")
        .first()
    )
    ends_at = now + datetime.timedelta(days=offer["days"])
    promise = PromisedPayment.objects.create(
        subscriber=subscriber,
        invoice=invoice,
        debt=offer["debt"],
        suspended_since=subscriber.status_changed_at,
        starts_at=now,
        ends_at=ends_at,
        taken_by=actor,
    )
    subscribers_transition(
        subscriber_ids=[subscriber.pk],
        event=SubscriberStateChange.Event.RESUMED,
        from_status=SubscriberStatus.SUSPENDED,
        to_status=SubscriberStatus.ACTIVE,
        cause=_("Promised payment: access restored until %(date)s without payment")
        % {"date": f"{timezone.localtime(ends_at):%d.%m.%Y %H:%M}"},
        actor=actor,
        at=now,
    )
    send_merged(
        subscribers_unblocked,
        sender="billing",
        subscriber_ids=[subscriber.pk],
        reason=SuspensionReason.NON_PAYMENT.value,
    )
    audit_record(
        action=AuditAction.PROMISED_PAYMENT,
        subscriber=subscriber,
        actor=actor,
        target=promise,
        data={"until": ends_at.isoformat(), "debt": str(offer["debt"]), "invoice": invoice.pk},
    )
    return promise

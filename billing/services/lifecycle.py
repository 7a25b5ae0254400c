"""The set-based passes: suspension for non-payment (3.5), resume, the 30-day purge (3.6), and
the reminders. Each takes a fixed number of queries whatever the number of subscribers."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import (
    Invoice,
    InvoiceStatus,
    NoticeKind,
    PromisedPayment,
    PurgeRecord,
    Subscription,
)
from billing.periods import PURGE_AFTER_DAYS, PURGE_WARNING_DAYS, REMINDER_DAYS_BEFORE_DUE
from billing.selectors import has_overdue, overdue_invoices
from billing.signals import (
    subscribers_blocked,
    subscribers_purged,
    subscribers_purging,
    subscribers_unblocked,
)
from onebuh.signals import send_merged
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.locks import lock_subscribers
from subscribers.models import (
    Subscriber,
    SubscriberStateChange,
    SubscriberStatus,
    SuspensionReason,
)
from subscribers.states import subscribers_transition

from .notices import notices_create

Event = SubscriberStateChange.Event
RULE_NON_PAYMENT = "3.6: 30 calendar days without payment"
RULE_TERMINATED = "9.4: 30 calendar days after termination"
KEPT = ["ledger", "invoices", "payments", "reconciliation statements", "registration data"]


def _lock_and_recheck(queryset) -> list[int]:
    """Lock the candidate rows (in id order, so passes never deadlock each other), then ask
    again in a new statement: it sees what payments committed while we waited for the locks."""
    locked = lock_subscribers(queryset)
    if not locked:
        return []
    return list(queryset.filter(pk__in=locked).order_by("pk").values_list("pk", flat=True))


def _non_payment_suspended() -> Q:
    return Q(status=SubscriberStatus.SUSPENDED, suspension_reason=SuspensionReason.NON_PAYMENT)


@transaction.atomic
def subscribers_suspend_overdue(*, now: datetime.datetime | None = None) -> list[int]:
    """3.5: an invoice unpaid by its due date suspends access: from the next day on."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # A running promised payment keeps access until it ends.
    promised = PromisedPayment.objects.filter(subscriber=OuterRef("pk"), ends_at__gt=now)
    ids = _lock_and_recheck(
        Subscriber.objects.filter(status=SubscriberStatus.ACTIVE)
        .filter(has_overdue(today=today))
        .exclude(Exists(promised))
    )
    overdue = list(
        overdue_invoices(today=today)
        .filter(subscriber__status__in=[SubscriberStatus.ACTIVE, SubscriberStatus.SUSPENDED])
        .values_list("subscriber_id", "number", "pk")
    )
    suspended = set(ids)
    if ids:
        subscribers_transition(
            subscriber_ids=ids,
            event=Event.SUSPENDED,
            from_status=SubscriberStatus.ACTIVE,
            to_status=SubscriberStatus.SUSPENDED,
            suspension_reason=SuspensionReason.NON_PAYMENT,
            cause=_("An invoice was not paid by its due date (3.5)"),
            at=now,
        )
        # After a lapsed promised payment whose invoice is still unpaid, the 30-day clock (3.6)
        # goes on from the first suspension, not from this one.
        lapsed = PromisedPayment.objects.filter(
            subscriber=OuterRef("pk"), ends_at__lte=now, invoice__status=InvoiceStatus.OPEN
        ).order_by("suspended_since")
        Subscriber.objects.filter(pk__in=ids).filter(Exists(lapsed)).update(
            status_changed_at=Subquery(lapsed.values("suspended_since")[:1])
        )
        since = dict(Subscriber.objects.filter(pk__in=ids).values_list("pk", "status_changed_at"))
        purge_on = {
            pk: timezone.localdate(at + datetime.timedelta(days=PURGE_AFTER_DAYS))
            for pk, at in since.items()
        }
        for day in sorted(set(purge_on.values())):
            subscribers_transition(
                subscriber_ids=[pk for pk in ids if purge_on[pk] == day],
                event=Event.PURGE_SCHEDULED,
                from_status=SubscriberStatus.SUSPENDED,
                to_status=SubscriberStatus.SUSPENDED,
                cause=_("The data will be deleted on %(date)s unless the debt is paid (3.6)")
                % {"date": f"{day:%d.%m.%Y}"},
                at=now,
            )
        send_merged(
            subscribers_blocked,
            sender="billing",
            subscriber_ids=ids,
            reason=SuspensionReason.NON_PAYMENT.value,
        )
        notices_create(
            kind=NoticeKind.SUSPENDED,
            items=[
                (sid, f"{now:%Y%m%d%H%M%S}", {"purge_on": purge_on[sid].isoformat()}) for sid in ids
            ],
        )
        audit_record(action=AuditAction.SUSPEND_OVERDUE, data={"subscribers": len(ids)})
    # An overdue invoice gets one notice; the suspension email already tells the suspended.
    for covered in (True, False):
        notices_create(
            kind=NoticeKind.INVOICE_OVERDUE,
            items=[
                (sid, str(number), {"invoice": pk})
                for sid, number, pk in overdue
                if (sid in suspended) is covered
            ],
            already_sent=covered,
        )
    return ids


@transaction.atomic
def subscribers_resume_settled(
    *, subscriber_ids=None, now: datetime.datetime | None = None
) -> list[int]:
    """Lift non-payment suspensions whose overdue debt is paid: at once, with no staff action.
    A manual suspension is never lifted here."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = Subscriber.objects.filter(_non_payment_suspended()).exclude(
        has_overdue(today=today)
    )
    if subscriber_ids is not None:
        candidates = candidates.filter(pk__in=list(subscriber_ids))
    ids = _lock_and_recheck(candidates)
    if not ids:
        return []
    move = {"subscriber_ids": ids, "from_status": SubscriberStatus.SUSPENDED, "at": now}
    subscribers_transition(
        **move,
        event=Event.PURGE_CANCELLED,
        to_status=SubscriberStatus.SUSPENDED,
        cause=_("The debt is paid: the data will not be deleted"),
    )
    subscribers_transition(
        **move,
        event=Event.RESUMED,
        to_status=SubscriberStatus.ACTIVE,
        cause=_("The debt is paid: access is restored automatically (3.5)"),
    )
    # The days of suspension are not charged: a month not charged yet counts from today. The
    # hourly run charges it, not this pass, so a payment never waits for the invoice counter.
    # Lock order: the counter, then rows; payments and the passes take rows only.
    Subscription.objects.filter(subscriber_id__in=ids, ended_at__isnull=True).update(
        billable_from=today
    )
    send_merged(
        subscribers_unblocked,
        sender="billing",
        subscriber_ids=ids,
        reason=SuspensionReason.NON_PAYMENT.value,
    )
    if subscriber_ids is None:
        audit_record(action=AuditAction.RESUME_PAID, data={"subscribers": len(ids)})
    return ids


def _purge_due() -> Q:
    return Q(_non_payment_suspended()) | Q(status=SubscriberStatus.TERMINATED)


@transaction.atomic
def subscribers_purge_expired(*, now: datetime.datetime | None = None) -> list[int]:
    """3.6: delete the data of subscribers 30 calendar days without payment (or terminated):
    their infobases, backups, files and infobase users. The ledger, invoices and registration
    data stay. The state is re-checked under the row lock, so a paid subscriber is never purged."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=PURGE_AFTER_DAYS)
    candidates = Subscriber.objects.filter(_purge_due(), status_changed_at__lte=cutoff).exclude(
        _non_payment_suspended() & ~has_overdue(today=timezone.localdate(now))
    )
    ids = _lock_and_recheck(candidates)
    if not ids:
        return []
    rows = list(
        Subscriber.objects.filter(pk__in=ids).values_list("pk", "status", "status_changed_at")
    )
    by_status: dict[str, list[int]] = {}
    for pk, status, _since in rows:
        by_status.setdefault(status, []).append(pk)
    rules = {
        status: RULE_TERMINATED if status == SubscriberStatus.TERMINATED else RULE_NON_PAYMENT
        for status in by_status
    }
    for status, pks in by_status.items():
        subscribers_transition(
            subscriber_ids=pks,
            event=Event.PURGED,
            from_status=status,
            to_status=SubscriberStatus.PURGED,
            cause=_("The data is deleted by the rule «%(rule)s»") % {"rule": rules[status]},
            at=now,
        )
    for status, pks in by_status.items():
        rule = rules[status]
        summary = send_merged(subscribers_purging, sender="billing", subscriber_ids=pks, rule=rule)
        per_subscriber = summary.get("by_subscriber", {})
        PurgeRecord.objects.bulk_create(
            [
                PurgeRecord(
                    subscriber_id=pk,
                    rule=rule,
                    deleted={
                        "infobase_layer": per_subscriber.get(pk)
                        or per_subscriber.get(str(pk))
                        or summary,
                        "kept": KEPT,
                    },
                    state_since=since,
                    purged_at=now,
                )
                for pk, row_status, since in rows
                if row_status == status
            ],
            batch_size=2000,
        )
    Subscription.objects.filter(subscriber_id__in=ids, ended_at__isnull=True).update(ended_at=now)
    # The infobases and their 1C users are gone above; the members' API tokens end too (issue 18).
    send_merged(subscribers_purged, sender="billing", subscriber_ids=ids)
    notices_create(kind=NoticeKind.PURGED, items=[(pk, "purged", {}) for pk in ids])
    audit_record(action=AuditAction.PURGE, data={"subscribers": len(ids)})
    return ids


@transaction.atomic
def billing_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Reminders 3 days before the due date and warnings 7 and 1 days before the purge."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminders = Invoice.objects.filter(
        status=InvoiceStatus.OPEN,
        due_date__gte=today,
        due_date__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE_DUE),
        subscriber__status=SubscriberStatus.ACTIVE,
    ).values_list("subscriber_id", "number", "pk")
    created = notices_create(
        kind=NoticeKind.INVOICE_REMINDER,
        items=[(sid, str(number), {"invoice": pk}) for sid, number, pk in reminders],
    )
    suspended = Subscriber.objects.filter(
        Q(_non_payment_suspended()) | Q(status=SubscriberStatus.TERMINATED)
    ).values_list("pk", "status_changed_at")
    warnings = []
    for pk, since in suspended:
        purge_on = timezone.localdate(since + datetime.timedelta(days=PURGE_AFTER_DAYS))
        days_left = (purge_on - today).days
        # The tightest window that applies: one email from 7 days on, one on the last day.
        for ahead in sorted(PURGE_WARNING_DAYS):
            if 0 < days_left <= ahead:
                key = f"{since:%Y%m%d%H%M%S}-{ahead}"
                warnings.append((pk, key, {"purge_on": purge_on.isoformat(), "days": ahead}))
                break
    created += notices_create(kind=NoticeKind.PURGE_WARNING, items=warnings)
    return len(created)

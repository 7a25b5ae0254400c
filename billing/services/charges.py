"""Ordering the service, changing the tariff (3.1, 4.4) and the monthly charge run."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Invoice, InvoiceKind, Subscription, Tariff
from billing.periods import PAYMENT_TERM_DAYS, prorate
from billing.selectors import monthly_invoice_exists
from billing.usage import usage_for
from onebuh.dates import month_end, month_start, next_month_start
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.locks import lock_subscriber
from subscribers.models import Subscriber, SubscriberStatus

from .ledger import INVOICE_COUNTER, ChargeLine, counter_lock, invoices_issue


def first_invoice_preview(*, tariff: Tariff, today: datetime.date) -> dict:
    """What ordering today would invoice: the rest of this month at the tariff's price."""
    return {
        "tariff": tariff,
        "period_start": today,
        "period_end": month_end(today),
        "total": prorate(tariff.monthly_fee, today),
        "due_date": today + datetime.timedelta(days=PAYMENT_TERM_DAYS),
    }


def _monthly_lines(*, today: datetime.date, subscriber_ids=None) -> list[ChargeLine]:
    """Active subscribers not yet charged for this month; the month counts from the day the
    subscriber ordered or was resumed, so a later start pays only its part of the month."""
    month = month_start(today)
    due = (
        Subscription.objects.filter(
            subscriber__status=SubscriberStatus.ACTIVE,
            ended_at__isnull=True,
            billable_from__lte=today,
        )
        .exclude(monthly_invoice_exists(month=month))
        .order_by("subscriber_id")
    )
    if subscriber_ids is not None:
        due = due.filter(subscriber_id__in=subscriber_ids)
    lines = []
    for subscriber_id, tariff_id, name, fee, billable_from in due.values_list(
        "subscriber_id", "tariff_id", "tariff__name", "tariff__monthly_fee", "billable_from"
    ):
        start = max(month, billable_from)
        lines.append(
            ChargeLine(
                subscriber_id=subscriber_id,
                tariff_id=tariff_id,
                tariff_name=name,
                monthly_fee=fee,
                kind=InvoiceKind.MONTHLY,
                month=month,
                period_start=start,
                total=prorate(fee, start),
                # With the invoice's (subscriber, month) constraint: one charge per period.
                source_key=f"month:{month:%Y-%m}",
            )
        )
    return lines


@transaction.atomic
def billing_run(*, now: datetime.datetime | None = None, subscriber_ids=None) -> list[Invoice]:
    """Charge this month's fee to every active subscriber not charged yet and issue invoices.

    Safe twice and concurrently: the invoice counter lock makes a second run wait and then find
    the month charged; the unique constraints refuse a second charge whatever happens."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counter = counter_lock(INVOICE_COUNTER)
    # 4.4: a downgrade ordered last month takes effect with this month's charge.
    pending = Subscription.objects.filter(pending_from__lte=today)
    if subscriber_ids is not None:
        pending = pending.filter(subscriber_id__in=subscriber_ids)
    pending.update(tariff=F("pending_tariff"), pending_tariff=None, pending_from=None)
    invoices = invoices_issue(
        lines=_monthly_lines(today=today, subscriber_ids=subscriber_ids),
        counter=counter,
        now=now,
    )
    if invoices and subscriber_ids is None:
        audit_record(
            action=AuditAction.BILLING_RUN,
            data={"month": f"{month_start(today):%Y-%m}", "invoices": len(invoices)},
        )
    return invoices


@transaction.atomic
def subscription_order(*, subscriber: Subscriber, tariff: Tariff, actor) -> Invoice | None:
    """3.1: the subscriber orders the service; the first invoice covers the rest of the month."""
    counter = counter_lock(INVOICE_COUNTER)
    subscriber = lock_subscriber(subscriber)
    if Subscription.objects.filter(subscriber=subscriber).exists():
        raise ValidationError(_("The service is already ordered; change the tariff instead."))
    if not tariff.is_public:
        raise ValidationError(_("This tariff is not offered."))
    if subscriber.status != SubscriberStatus.ACTIVE:
        raise ValidationError(_("The service cannot be ordered in the current state."))
    now = timezone.now()
    subscription = Subscription.objects.create(
        subscriber=subscriber, tariff=tariff, started_at=now, billable_from=timezone.localdate(now)
    )
    invoices = invoices_issue(
        lines=_monthly_lines(today=timezone.localdate(now), subscriber_ids=[subscriber.pk]),
        counter=counter,
        now=now,
    )
    audit_record(
        action=AuditAction.ORDER,
        subscriber=subscriber,
        actor=actor,
        target=subscription,
        data={"tariff": tariff.code, "fee": str(tariff.monthly_fee)},
    )
    return invoices[0] if invoices else None


def _check_limits(*, subscriber: Subscriber, tariff: Tariff) -> None:
    """4.4: a smaller tariff only if what the subscriber uses fits its limits."""
    usage = usage_for(subscriber=subscriber)
    problems = []
    if usage.get("users", 0) > tariff.max_users:
        problems.append(
            _("users: %(used)s, the tariff allows %(limit)s")
            % {"used": usage["users"], "limit": tariff.max_users}
        )
    if usage.get("infobases", 0) > tariff.max_infobases:
        problems.append(
            _("infobases: %(used)s, the tariff allows %(limit)s")
            % {"used": usage["infobases"], "limit": tariff.max_infobases}
        )
    if problems:
        raise ValidationError(
            _("The tariff «%(tariff)s» is too small for what you use now (%(problems)s).")
            % {"tariff": tariff.name, "problems": "; ".join(problems)}
        )


@transaction.atomic
def subscription_change_tariff(
    *, subscriber: Subscriber, tariff: Tariff, actor
) -> tuple[Subscription, Invoice | None]:
    """4.4: an upgrade works at once with a prorated charge for the rest of the month; a
    downgrade takes effect next month and only if the current usage fits the new limits."""
    counter = counter_lock(INVOICE_COUNTER)
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("tariff", "subscriber")
        .filter(subscriber=subscriber, ended_at__isnull=True)
        .first()
    )
    if subscription is None:
        raise ValidationError(_("Order the service first."))
    if not tariff.is_public:
        raise ValidationError(_("This tariff is not offered."))
    old = subscription.tariff
    now = timezone.now()
    today = timezone.localdate(now)
    invoice = None
    if tariff.pk == old.pk:
        if subscription.pending_tariff_id is None:
            raise ValidationError(_("This is already your tariff."))
        effective = today  # Staying on the current tariff cancels the pending downgrade.
    elif tariff.monthly_fee > old.monthly_fee:
        if subscription.subscriber.status != SubscriberStatus.ACTIVE:
            raise ValidationError(_("The tariff can be raised while the service is active."))
        subscription.tariff = tariff
        effective = today
        month = month_start(today)
        charged = Invoice.objects.filter(
            subscriber=subscriber, kind=InvoiceKind.MONTHLY, month=month
        ).exists()
        if charged:
            line = ChargeLine(
                subscriber_id=subscriber.pk,
                tariff_id=tariff.pk,
                tariff_name=tariff.name,
                monthly_fee=tariff.monthly_fee,
                kind=InvoiceKind.UPGRADE,
                month=month,
                period_start=today,
                total=prorate(tariff.monthly_fee - old.monthly_fee, today),
                source_key="",
            )
            invoice = next(iter(invoices_issue(lines=[line], counter=counter, now=now)), None)
    else:
        _check_limits(subscriber=subscriber, tariff=tariff)
        effective = next_month_start(today)
    if effective > today:
        subscription.pending_tariff, subscription.pending_from = tariff, effective
    else:
        subscription.pending_tariff, subscription.pending_from = None, None
    subscription.save(update_fields=["tariff", "pending_tariff", "pending_from"])
    audit_record(
        action=AuditAction.TARIFF_CHANGE,
        subscriber=subscriber,
        actor=actor,
        target=subscription,
        data={
            "from": old.code,
            "to": tariff.code,
            "effective": effective.isoformat(),
            "invoice": invoice.number if invoice else None,
        },
    )
    return subscription, invoice

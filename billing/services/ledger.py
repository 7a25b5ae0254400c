"""The personal account: issuing invoices with their charges, bonuses, corrections, allocation."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import (
    BillingCounter,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    LedgerKind,
    NoticeKind,
)
from billing.periods import PAYMENT_TERM_DAYS, ZERO, money
from billing.selectors import balances_by_subscriber, open_debt_by_subscriber
from onebuh.dates import month_end
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.locks import lock_subscribers
from subscribers.models import Subscriber

from .lifecycle import subscribers_resume_settled
from .notices import notices_create

INVOICE_COUNTER = "invoice_number"


@dataclass(frozen=True)
class ChargeLine:
    subscriber_id: int
    tariff_id: int
    tariff_name: str
    monthly_fee: Decimal
    kind: str
    month: datetime.date
    period_start: datetime.date
    total: Decimal
    source_key: str


def counter_lock(name: str) -> BillingCounter:
    """Lock a counter row. Taking the invoice counter first serializes every invoice issue, so
    numbers have no gaps and two monthly runs see each other's invoices.

    Lock order, against deadlocks: the counter before any subscriber or subscription row. Code
    that holds row locks (payments, the suspension, resume and purge passes) never asks for it."""
    BillingCounter.objects.get_or_create(name=name)
    return BillingCounter.objects.select_for_update().get(name=name)


def invoices_issue(
    *, lines: Sequence[ChargeLine], counter: BillingCounter, now: datetime.datetime
) -> list[Invoice]:
    """Issue one invoice per line with its ledger entries, set-based. Bonuses pay first (9.3),
    then money already on the account; the rest is due. The caller holds `counter` locked."""
    lines = [line for line in lines if line.total > 0]
    if not lines:
        return []
    ids = [line.subscriber_id for line in lines]
    if len(set(ids)) != len(ids):
        raise ValueError("One invoice per subscriber per call.")
    balances = balances_by_subscriber(subscriber_ids=ids)
    debts = open_debt_by_subscriber(subscriber_ids=ids)
    first_number = counter.value + 1
    counter.value += len(lines)
    counter.save(update_fields=["value"])
    due_date = timezone.localdate(now) + datetime.timedelta(days=PAYMENT_TERM_DAYS)
    invoices = []
    for offset, line in enumerate(lines):
        cash, bonus = balances.get(line.subscriber_id, (ZERO, ZERO))
        bonus_used = min(max(bonus, ZERO), line.total)
        amount_due = line.total - bonus_used
        # Money on the account not yet taken by open invoices is an advance that pays this one.
        advance = max(ZERO, cash + debts.get(line.subscriber_id, ZERO))
        paid = min(advance, amount_due)
        invoices.append(
            Invoice(
                number=first_number + offset,
                subscriber_id=line.subscriber_id,
                kind=line.kind,
                tariff_id=line.tariff_id,
                monthly_fee=line.monthly_fee,
                month=line.month,
                period_start=line.period_start,
                period_end=month_end(line.period_start),
                total=line.total,
                bonus_applied=bonus_used,
                amount_due=amount_due,
                paid_amount=paid,
                status=InvoiceStatus.PAID if paid == amount_due else InvoiceStatus.OPEN,
                issued_at=now,
                due_date=due_date,
                paid_at=now if paid == amount_due else None,
            )
        )
    Invoice.objects.bulk_create(invoices, batch_size=1000)
    entries = []
    for invoice, line in zip(invoices, lines, strict=True):
        period = f"{invoice.period_start:%d.%m.%Y}–{invoice.period_end:%d.%m.%Y}"
        entries.append(
            LedgerEntry(
                subscriber_id=line.subscriber_id,
                kind=LedgerKind.CHARGE,
                money=-line.total,
                description=f"{line.tariff_name}, {period}",
                source_key=line.source_key,
                invoice=invoice,
                at=now,
            )
        )
        if invoice.bonus_applied:
            entries.append(
                LedgerEntry(
                    subscriber_id=line.subscriber_id,
                    kind=LedgerKind.BONUS_SPEND,
                    bonus=-invoice.bonus_applied,
                    money=invoice.bonus_applied,
                    description=f"№ {invoice.display_number}",
                    source_key=line.source_key,
                    invoice=invoice,
                    at=now,
                )
            )
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    notices_create(
        kind=NoticeKind.INVOICE_ISSUED,
        items=[(i.subscriber_id, str(i.number), {"invoice": i.pk}) for i in invoices],
    )
    return invoices


def invoices_allocate(*, subscriber_id: int, amount: Decimal, now: datetime.datetime) -> Decimal:
    """Pay the oldest open invoices first with `amount`; a partial payment stays on the invoice.
    Returns what is left over (an advance). The caller holds the subscriber row locked."""
    left = amount
    invoices = (
        Invoice.objects.select_for_update()
        .filter(subscriber_id=subscriber_id, status=InvoiceStatus.OPEN)
        .order_by("due_date", "number")
    )
    for invoice in invoices:
        if left <= 0:
            break
        take = min(left, invoice.remaining)
        invoice.paid_amount += take
        left -= take
        fields = ["paid_amount"]
        if invoice.paid_amount == invoice.amount_due:
            invoice.status = InvoiceStatus.PAID
            invoice.paid_at = now
            fields += ["status", "paid_at"]
        invoice.save(update_fields=fields)
    return left


@transaction.atomic
def ledger_credit_bonus(
    *, subscriber: Subscriber, amount: Decimal, reason: str, source_key: str, actor=None
) -> LedgerEntry:
    """9.3: credit compensation as bonuses. Idempotent per source_key (a unique constraint): a
    second call with the same key returns the first entry and credits nothing."""
    amount = money(amount)
    if amount <= 0:
        raise ValidationError(_("A bonus credit must be positive."))
    if not source_key:
        raise ValidationError(_("A bonus credit needs a source key."))
    lookup = {"subscriber": subscriber, "kind": LedgerKind.BONUS_CREDIT, "source_key": source_key}
    existing = LedgerEntry.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        # A savepoint: a concurrent call with the same key loses on the constraint, not the caller.
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                **lookup, bonus=amount, description=reason[:255], reason=reason, actor=actor
            )
    except IntegrityError:
        return LedgerEntry.objects.get(**lookup)
    audit_record(
        action=AuditAction.BONUS_CREDIT,
        subscriber=subscriber,
        actor=actor,
        target=entry,
        reason=reason,
        data={"amount": str(amount), "source_key": source_key},
    )
    return entry


@transaction.atomic
def ledger_add_correction(
    *, subscriber: Subscriber, account: str, amount: Decimal, reason: str, actor
) -> LedgerEntry:
    """An accountant's correction: a new entry with a reason; nothing is ever edited. A positive
    money correction pays open invoices like a payment and may lift a non-payment suspension."""
    amount = money(amount)
    if not reason.strip():
        raise ValidationError(_("A correction needs a reason."))
    if amount == 0:
        raise ValidationError(_("A correction cannot be zero."))
    if account not in ("money", "bonus"):
        raise ValidationError(_("Choose the money or the bonus balance."))
    # Same lock as payments: the purge must see a settling correction or run before it.
    lock_subscribers([subscriber.pk])
    now = timezone.now()
    entry = LedgerEntry.objects.create(
        subscriber=subscriber,
        kind=LedgerKind.CORRECTION,
        money=amount if account == "money" else ZERO,
        bonus=amount if account == "bonus" else ZERO,
        description=reason[:255],
        reason=reason,
        actor=actor,
        at=now,
    )
    if account == "money" and amount > 0:
        invoices_allocate(subscriber_id=subscriber.pk, amount=amount, now=now)

        subscribers_resume_settled(subscriber_ids=[subscriber.pk], now=now)
    audit_record(
        action=AuditAction.LEDGER_CORRECTION,
        subscriber=subscriber,
        actor=actor,
        target=entry,
        reason=reason,
        data={"account": account, "amount": str(amount)},
    )
    return entry

"""Payments: provider notifications, bank transfers an accountant records, statement imports.

One write path, `payments_record_many`, set-based (a constant number of queries per batch);
`payment_record` is the same path for one payment."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from psycopg2.extras import execute_values

from billing.models import Invoice, InvoiceStatus, LedgerEntry, LedgerKind, Payment, PaymentMethod
from billing.periods import ZERO, money
from billing.statements.common import MAX_AMOUNT, TAX_ID
from onebuh.emails import send_templated_email
from outbox.email import emails_batched
from subscribers.audit_actions import AuditAction
from subscribers.locks import lock_subscribers
from subscribers.models import AuditEntry, Subscriber, SubscriberStatus

from .lifecycle import subscribers_resume_settled

EXTERNAL_ID_MAX = 100
GENERIC_PROVIDER = "generic"


@dataclass
class IncomingPayment:
    """One payment to credit. Its identity: (provider, transaction id) for a provider payment;
    (payer, document No., document date, amount) for a bank transfer."""

    subscriber_id: int
    amount: Decimal
    method: str
    external_id: str
    provider: str = ""
    payer_key: str = ""
    document_date: datetime.date | None = None
    received_at: datetime.datetime | None = None
    payload: dict = field(default_factory=dict)
    comment: str = ""

    @property
    def identity(self) -> tuple:
        if self.method == PaymentMethod.PROVIDER:
            return (self.method, self.provider, self.external_id)
        return (self.method, self.payer_key, self.external_id, self.document_date, self.amount)


def payment_identity(payment: Payment) -> tuple:
    if payment.method == PaymentMethod.PROVIDER:
        return (payment.method, payment.provider, payment.external_id)
    return (
        payment.method,
        payment.payer_key,
        payment.external_id,
        payment.document_date,
        payment.amount,
    )


def payer_key_for(*, tax_id: str, subscriber: Subscriber) -> str:
    """The payer of a bank transfer: its БИН/ИИН, else the subscriber's own (most pay from their
    own account, so a later statement line finds the same key), else the subscriber itself."""
    tax_id = (tax_id or "").strip()
    if TAX_ID.match(tax_id):
        return tax_id
    return subscriber.tax_number or f"subscriber:{subscriber.pk}"


def clean_external_id(value) -> str:
    """Ids over the limit are refused, never cut: two long ids must never collide."""
    text = str(value if value is not None else "").strip()
    if not text:
        raise ValidationError(_("The payment needs its id or document number."))
    if len(text) > EXTERNAL_ID_MAX:
        raise ValidationError(
            ngettext(
                "The payment id is longer than %(limit)s character.",
                "The payment id is longer than %(limit)s characters.",
                EXTERNAL_ID_MAX,
            )
            % {"limit": EXTERNAL_ID_MAX}
        )
    if not text.isprintable():
        raise ValidationError(_("The payment id contains control characters."))
    return text


def clean_amount(value) -> Decimal:
    amount = money(value)
    if amount <= 0:
        raise ValidationError(_("The amount must be positive."))
    if amount > MAX_AMOUNT:
        raise ValidationError(_("The amount is larger than the personal account can hold."))
    return amount


@transaction.atomic
def payment_record(
    *,
    subscriber: Subscriber,
    amount: Decimal,
    method: str,
    external_id: str,
    received_at: datetime.datetime | None = None,
    actor=None,
    payload: dict | None = None,
    comment: str = "",
    provider: str = "",
    payer_tax_id: str = "",
    document_date: datetime.date | None = None,
) -> tuple[Payment, bool]:
    """Credit one payment once per identity, pay the oldest open invoices first and, if no
    overdue invoice is left, lift a non-payment suspension at once (3.5).

    Returns (payment, created); a replay returns the first payment and changes nothing."""
    item = IncomingPayment(
        subscriber_id=subscriber.pk,
        amount=clean_amount(amount),
        method=method,
        external_id=clean_external_id(external_id),
        received_at=received_at,
        payload=payload or {},
        comment=comment,
    )
    if method == PaymentMethod.PROVIDER:
        item.provider = provider or GENERIC_PROVIDER
    else:
        item.payer_key = payer_key_for(tax_id=payer_tax_id, subscriber=subscriber)
        item.document_date = document_date or timezone.localdate(received_at or timezone.now())
    try:
        with transaction.atomic():  # A concurrent replay loses on the unique constraint.
            ((payment, created),) = payments_record_many(items=[item], actor=actor)
    except IntegrityError:
        existing = _existing_by_identity([item])
        return existing[item.identity], False
    return payment, created


def _existing_by_identity(items: list[IncomingPayment]) -> dict[tuple, Payment]:
    provider = [i for i in items if i.method == PaymentMethod.PROVIDER]
    bank = [i for i in items if i.method != PaymentMethod.PROVIDER]
    query = Q(pk__in=[])
    if provider:
        query |= Q(
            method=PaymentMethod.PROVIDER,
            provider__in={i.provider for i in provider},
            external_id__in={i.external_id for i in provider},
        )
    if bank:
        query |= Q(
            method=PaymentMethod.BANK_TRANSFER,
            payer_key__in={i.payer_key for i in bank},
            external_id__in={i.external_id for i in bank},
            document_date__in={i.document_date for i in bank},
        )
    wanted = {i.identity for i in items}
    found = {}
    for payment in Payment.objects.filter(query):
        key = payment_identity(payment)
        if key in wanted:
            found[key] = payment
    return found


def payments_record_many(
    *,
    items: list[IncomingPayment],
    actor=None,
    now: datetime.datetime | None = None,
    source: dict | None = None,
) -> list[tuple[Payment, bool]]:
    """Credit many payments in a fixed number of queries: lock the subscribers, skip the known
    identities, create payments and ledger entries, pay open invoices oldest first, audit, and
    lift the non-payment suspensions that are settled. Call inside a transaction."""
    if not items:
        return []
    now = now or timezone.now()
    ids = sorted({i.subscriber_id for i in items})
    # The payment-vs-purge race: the purge locks the same subscriber rows (in id order, as here)
    # and re-checks the debt after taking the lock. A payment that commits first stops the purge;
    # one that waits for a purge that committed finds the subscriber purged and stays a credit.
    lock_subscribers(ids)
    existing = _existing_by_identity(items)
    results: list[tuple[Payment | None, bool]] = []
    fresh: list[Payment] = []
    for item in items:
        known = existing.get(item.identity)
        if known is not None:
            results.append((known, False))
            continue
        payment = Payment(
            subscriber_id=item.subscriber_id,
            method=item.method,
            provider=item.provider,
            external_id=item.external_id,
            payer_key=item.payer_key,
            document_date=item.document_date,
            amount=item.amount,
            received_at=item.received_at or now,
            recorded_by=actor,
            comment=item.comment,
            payload=item.payload,
        )
        existing[item.identity] = payment  # the same identity twice in one batch credits once
        fresh.append(payment)
        results.append((payment, True))
    if not fresh:
        return results
    Payment.objects.bulk_create(fresh, batch_size=1000)
    labels = dict(PaymentMethod.choices)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                subscriber_id=p.subscriber_id,
                kind=LedgerKind.PAYMENT,
                money=p.amount,
                description=f"{labels[p.method]} {p.external_id}"[:255],
                payment=p,
                actor=actor,
                at=now,
            )
            for p in fresh
        ],
        batch_size=1000,
    )
    advances = _invoices_pay(payments=fresh, now=now)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                subscriber_id=p.subscriber_id,
                actor=actor if is_user else None,
                actor_is_staff=bool(is_user and actor.is_staff),
                action=AuditAction.PAYMENT,
                target_type=p._meta.label_lower,
                target_id=str(p.pk),
                target_repr=str(p)[:255],
                data={
                    "amount": str(p.amount),
                    "method": p.method,
                    "provider": p.provider,
                    "payer": p.payer_key,
                    "advance": str(advances[p.pk]),
                    **(source or {}),
                },
                at=now,
            )
            for p in fresh
        ],
        batch_size=1000,
    )
    subscribers_resume_settled(subscriber_ids={p.subscriber_id for p in fresh}, now=now)
    _purged_payments_notify(payments=fresh)
    return results


def _purged_payments_notify(*, payments: list[Payment]) -> None:
    """A payment that lands on an account whose data were purged (it waited for the purge's
    lock, or came later) cannot resume anything: staff get a notice, owed with the payment, and
    the admin lists it under "refund to make"."""
    purged = Subscriber.objects.filter(
        pk__in={p.subscriber_id for p in payments}, status=SubscriberStatus.PURGED
    ).in_bulk()
    with emails_batched():
        for payment in payments:
            subscriber = purged.get(payment.subscriber_id)
            if subscriber is None:
                continue
            send_templated_email(
                template="billing-purged-payment",
                to=[settings.ONEBUH_ACCOUNTING_EMAIL],
                context={
                    "payment": payment,
                    "subscriber": subscriber,
                    "admin_url": f"{settings.SITE_URL}/admin/billing/payment/{payment.pk}/change/",
                },
                dedupe_key=f"billing.purged-payment:{payment.pk}",
            )


def _invoices_pay(*, payments: list[Payment], now: datetime.datetime) -> dict[int, Decimal]:
    """Pay the oldest open invoices first, payment by payment; a partial payment stays on the
    invoice. Returns each payment's leftover (an advance). The subscribers are locked."""
    by_subscriber = defaultdict(list)
    for invoice in (
        Invoice.objects.select_for_update()
        .filter(subscriber_id__in={p.subscriber_id for p in payments}, status=InvoiceStatus.OPEN)
        .order_by("subscriber_id", "due_date", "number")
    ):
        by_subscriber[invoice.subscriber_id].append(invoice)
    changed = {}
    advances = {}
    for payment in payments:
        left = payment.amount
        for invoice in by_subscriber[payment.subscriber_id]:
            if left <= 0:
                break
            if invoice.status != InvoiceStatus.OPEN:
                continue
            take = min(left, invoice.remaining)
            invoice.paid_amount += take
            left -= take
            if invoice.paid_amount == invoice.amount_due:
                invoice.status, invoice.paid_at = InvoiceStatus.PAID, now
            changed[invoice.pk] = invoice
        advances[payment.pk] = max(left, ZERO)
    if changed:
        _invoices_save_paid(list(changed.values()))
    return advances


def _invoices_save_paid(invoices: list[Invoice]) -> None:
    """One UPDATE … FROM (VALUES …) per 1,000 invoices on PostgreSQL; Django's bulk_update builds
    a CASE per row and field, which costs seconds per thousand rows to compile."""
    if connection.vendor != "postgresql":
        Invoice.objects.bulk_update(invoices, ["paid_amount", "status", "paid_at"], batch_size=500)
        return
    table = Invoice._meta.db_table
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            f"UPDATE {table} AS i SET paid_amount = v.paid_amount, status = v.status, "  # noqa: S608 (table name from the model)
            "paid_at = v.paid_at FROM (VALUES %s) AS v(id, paid_amount, status, paid_at) "
            "WHERE i.id = v.id",
            [(i.pk, i.paid_amount, i.status, i.paid_at) for i in invoices],
            template="(%s::bigint, %s::numeric, %s::varchar, %s::timestamptz)",
            page_size=1000,
        )

"""Online payment: the order a payer starts from an invoice or the billing page, and the
acquirer's notifications (Check, Pay, Fail) checked against it."""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Invoice, InvoiceStatus, OrderStatus, PaymentMethod, PaymentOrder
from billing.selectors import debt_for
from billing.statements.common import MAX_AMOUNT, clean_text
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.models import Subscriber

from .payments import payment_record

# Check's documented answers.
OK, UNKNOWN_INVOICE, WRONG_ACCOUNT, WRONG_AMOUNT, NOT_ACCEPTED = 0, 10, 11, 12, 13
KEPT_FIELDS = (
    "TransactionId",
    "Amount",
    "Currency",
    "PaymentAmount",
    "PaymentCurrency",
    "DateTime",
    "InvoiceId",
    "AccountId",
    "Status",
    "Reason",
    "ReasonCode",
    "TestMode",
    "CardFirstSix",
    "CardLastFour",
    "CardType",
    "OperationType",
    "GatewayName",
)


@transaction.atomic
def payment_order_create(
    *, subscriber: Subscriber, provider_code: str, invoice: Invoice | None = None, actor=None
) -> PaymentOrder:
    """An order for the invoice's unpaid part, or for the whole debt from the billing page."""
    if invoice is not None:
        if invoice.subscriber_id != subscriber.pk or invoice.status != InvoiceStatus.OPEN:
            raise ValidationError(_("This invoice is already paid."))
        amount = invoice.remaining
    else:
        amount = debt_for(subscriber=subscriber)
    if amount <= 0:
        raise ValidationError(_("There is nothing to pay."))
    order = PaymentOrder.objects.create(
        subscriber=subscriber,
        invoice=invoice,
        provider=provider_code,
        amount=amount,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action=AuditAction.PAYMENT_ORDER,
        subscriber=subscriber,
        actor=actor,
        target=order,
        data={"amount": str(amount), "provider": provider_code},
    )
    return order


def _amount(value: str) -> Decimal | None:
    try:
        amount = Decimal(value.strip()[:40])
    except (InvalidOperation, AttributeError):
        return None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        return None
    return amount.quantize(Decimal("0.01"))


def _order_for(fields: dict, provider_code: str) -> tuple[PaymentOrder | None, int]:
    reference = fields.get("InvoiceId", "").strip()
    if not reference.isdigit() or len(reference) > 12:
        return None, UNKNOWN_INVOICE
    order = (
        PaymentOrder.objects.select_for_update()
        .filter(pk=int(reference), provider=provider_code)
        .first()
        if int(reference) <= 2**63 - 1
        else None
    )
    if order is None:
        return None, UNKNOWN_INVOICE
    if fields.get("AccountId", "").strip() != str(order.subscriber_id):
        return order, WRONG_ACCOUNT
    amount = _amount(fields.get("Amount", ""))
    currency = fields.get("Currency", "").strip().upper()
    if amount != order.amount or currency != order.currency:
        return order, WRONG_AMOUNT
    return order, OK


def _paid_at(value: str) -> datetime.datetime | None:
    """DateTime is UTC, "yyyy-mm-dd HH:MM:SS" (or ISO with a T)."""
    try:
        moment = datetime.datetime.fromisoformat(value.strip()[:40].replace(" ", "T"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


@transaction.atomic
def cloudpayments_notice_handle(*, kind: str, fields: dict, provider_code: str) -> int:
    """Handle one verified notification; returns the code to answer. Idempotent: a replayed
    Pay finds its transaction already credited and answers 0 again."""
    fields = {k: clean_text(str(v), 500) for k, v in fields.items() if k in KEPT_FIELDS}
    order, code = _order_for(fields, provider_code)
    if kind == "check":
        if code == OK and order.status != OrderStatus.CREATED:
            return NOT_ACCEPTED
        return code
    if order is None:
        return code
    if kind == "fail":
        if order.status == OrderStatus.CREATED:
            order.status = OrderStatus.FAILED
            order.failure = fields.get("Reason", "")[:255] or _("Declined")
            order.save(update_fields=["status", "failure"])
        return OK
    # Pay: the money is taken; credit it only if it is what the order asked for.
    transaction_id = fields.get("TransactionId", "")
    paid_at = _paid_at(fields.get("DateTime", ""))
    tolerance = datetime.timedelta(seconds=settings.ONEBUH_WEBHOOK_TOLERANCE_SECONDS)
    if code == OK and not (transaction_id.isdigit() and len(transaction_id) <= 100):
        code = NOT_ACCEPTED
    if code == OK and (paid_at is None or paid_at > timezone.now() + tolerance):
        code = NOT_ACCEPTED
    if code != OK:
        audit_record(
            action=AuditAction.PAYMENT_REFUSED,
            subscriber=order.subscriber,
            target=order,
            data={"code": code, **fields},
        )
        return code
    payment, _created = payment_record(
        subscriber=order.subscriber,
        amount=order.amount,
        method=PaymentMethod.PROVIDER,
        provider=provider_code,
        external_id=transaction_id,
        received_at=paid_at,
        payload=fields,
    )
    if order.status != OrderStatus.PAID:
        order.status, order.payment, order.failure = OrderStatus.PAID, payment, ""
        order.save(update_fields=["status", "payment", "failure"])
    return OK

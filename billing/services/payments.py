"""Payments: the provider's webhook and bank transfers an accountant records."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import LedgerEntry, LedgerKind, Payment
from billing.periods import money
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.models import Subscriber

from .ledger import invoices_allocate
from .lifecycle import subscribers_resume_settled


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
) -> tuple[Payment, bool]:
    """Credit a payment once per (method, external id), pay the oldest open invoices first and,
    if no overdue invoice is left, lift a non-payment suspension at once (3.5).

    Returns (payment, created); a replay returns the first payment and changes nothing."""
    amount = money(amount)
    if amount <= 0:
        raise ValidationError(_("The amount must be positive."))
    external_id = external_id.strip()
    if not external_id:
        raise ValidationError(_("The payment needs its id or document number."))
    # The payment-vs-purge race: the purge locks the same subscriber rows and re-checks the debt
    # after taking the lock. A payment that commits first stops the purge; one that waits for a
    # purge that committed finds the subscriber purged and stays a credit on the account.
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    existing = Payment.objects.filter(method=method, external_id=external_id).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    try:
        with transaction.atomic():  # A concurrent replay loses on the unique constraint.
            payment = Payment.objects.create(
                subscriber=subscriber,
                method=method,
                external_id=external_id,
                amount=amount,
                received_at=received_at or now,
                recorded_by=actor,
                comment=comment,
                payload=payload or {},
            )
    except IntegrityError:
        return Payment.objects.get(method=method, external_id=external_id), False
    LedgerEntry.objects.create(
        subscriber=subscriber,
        kind=LedgerKind.PAYMENT,
        money=amount,
        description=f"{payment.get_method_display()} {external_id}"[:255],
        payment=payment,
        actor=actor,
        at=now,
    )
    advance = invoices_allocate(subscriber_id=subscriber.pk, amount=amount, now=now)
    audit_record(
        action=AuditAction.PAYMENT,
        subscriber=subscriber,
        actor=actor,
        target=payment,
        data={"amount": str(amount), "method": method, "advance": str(advance)},
    )
    subscribers_resume_settled(subscriber_ids=[subscriber.pk], now=now)
    return payment, True

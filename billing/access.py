"""Tenancy for billing objects: the member's subscriber's invoice or statement, else 404."""

from django.db.models import QuerySet
from django.utils import timezone

from subscribers.access import get_for_member
from subscribers.models import Membership

from .models import Invoice, LedgerEntry, PaymentOrder, PromisedPayment, ReconciliationStatement


def invoices_visible_to(*, membership: Membership) -> QuerySet[Invoice]:
    """The subscriber's invoices; only for members who see billing (others see none)."""
    if not membership.can_see_billing:
        return Invoice.objects.none()
    return Invoice.objects.filter(subscriber_id=membership.subscriber_id)


def ledger_entries_visible_to(*, membership: Membership) -> QuerySet[LedgerEntry]:
    """The subscriber's personal account; only for members who see billing."""
    if not membership.can_see_billing:
        return LedgerEntry.objects.none()
    return LedgerEntry.objects.filter(subscriber_id=membership.subscriber_id)


def promised_payment_running_for(*, membership: Membership) -> PromisedPayment | None:
    """The subscriber's promised payment still running (3.5), if any."""
    if not membership.can_see_billing:
        return None
    return PromisedPayment.objects.filter(
        subscriber_id=membership.subscriber_id, ends_at__gt=timezone.now()
    ).first()


def invoice_for_member(*, membership: Membership, pk) -> Invoice:
    return get_for_member(
        Invoice.objects.select_related("tariff", "subscriber"), membership=membership, pk=pk
    )


def statement_for_member(*, membership: Membership, pk) -> ReconciliationStatement:
    return get_for_member(
        ReconciliationStatement.objects.select_related("subscriber", "last_entry"),
        membership=membership,
        pk=pk,
    )


def payment_order_for_member(*, membership: Membership, pk) -> PaymentOrder:
    return get_for_member(
        PaymentOrder.objects.select_related("subscriber", "invoice"),
        membership=membership,
        pk=pk,
    )

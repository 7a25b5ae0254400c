"""Tenancy for billing objects: the member's subscriber's invoice or statement, else 404."""

from subscribers.access import get_for_member
from subscribers.models import Membership

from .models import Invoice, PaymentOrder, ReconciliationStatement


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

"""Billing's panel URLs with objects (see tests/test_tenancy.py)."""

from billing.services import reconciliation_create
from tests.billing.factories import SubscriptionFactory


def _invoice(other):
    from billing.services import billing_run

    SubscriptionFactory(subscriber=other)
    (invoice,) = billing_run(subscriber_ids=[other.pk])
    return {"pk": invoice.pk}


def _statement(other):
    return {"pk": reconciliation_create(subscriber=other, actor=None).pk}


OBJECT_URLS = {
    "billing:invoice_pdf": _invoice,
    "billing:statement_pdf": _statement,
}

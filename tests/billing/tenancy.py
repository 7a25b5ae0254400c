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


def _order(other):
    from billing.services.online import payment_order_create

    SubscriptionFactory(subscriber=other)
    billing_run_for(other)
    return {"pk": payment_order_create(subscriber=other, provider_code="sandbox").pk}


def billing_run_for(other):
    from billing.services import billing_run

    return billing_run(subscriber_ids=[other.pk])


OBJECT_URLS = {
    "billing:invoice_pdf": _invoice,
    "billing:act_pdf": _invoice,
    "billing:invoice_pay": _invoice,
    "billing:pay_sandbox": _order,
    "billing:statement_pdf": _statement,
}

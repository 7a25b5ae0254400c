"""The customer beside a ticket (Freshdesk's sidebar, WHMCS's client summary): tariff and this
month's quota use, infobases and their states, balance, debt, suspension and purge date, open
and recent tickets, open and recent incidents that touch the subscriber — each linked to its
admin page (an incident only for those who may open it). A few queries, whatever the history."""

from django.urls import reverse

from billing.selectors import balances_for, debt_for, purge_date_for, tariff_for_subscriber
from onebuh.signals import send_merged

from ..selectors import quota_usage, tickets_for_staff
from ..signals import customer_context_requested


def customer_context(*, ticket, user) -> dict:
    subscriber = ticket.subscriber
    context = {
        "subscriber": subscriber,
        "subscriber_url": reverse("admin:subscribers_subscriber_change", args=[subscriber.pk]),
        "tariff": tariff_for_subscriber(subscriber=subscriber),
        "quotas": list(quota_usage(subscriber=subscriber).values()),
        "infobases": [
            (ib, reverse("admin:infobases_infobase_change", args=[ib.pk]))
            for ib in subscriber.infobases.order_by("name")[:10]
        ],
        "tickets": [
            (t, reverse("admin:support_ticket_change", args=[t.pk]))
            for t in tickets_for_staff(user=user)
            .filter(subscriber=subscriber)
            .exclude(pk=ticket.pk)
            .order_by("-opened_at")[:8]
        ],
        "can_see_billing": user.has_perm("billing.view_billingaccount"),
    }
    # operations adds the incidents touching the subscriber (support/signals.py).
    context.update(
        send_merged(customer_context_requested, sender="support", subscriber=subscriber, user=user)
    )
    if context["can_see_billing"]:
        money, bonus = balances_for(subscriber=subscriber)
        context.update(
            balance=money,
            bonus=bonus,
            debt=debt_for(subscriber=subscriber),
            purge_date=purge_date_for(subscriber=subscriber),
            account_url=reverse("admin:billing_billingaccount_change", args=[subscriber.pk]),
        )
    return context

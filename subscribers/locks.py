"""Row locks on subscribers: every `SELECT … FOR UPDATE` of a subscriber row is taken here.

A subscriber's row is the mutex of everything that must see a subscriber's other writes: its
state (a payment against the purge, 3.5/3.6), its balance and quotas (two tickets taking the last
unit, 4.4), its limits (two admins adding bases past the tariff), its compensation credits (two
approvals of one month, 9.3) and its members' access (a grant against a removal).

The lock order, for every transaction that takes more than one of these (so two of them never
wait on each other):

1. the invoice counter (`billing.services.ledger.counter_lock`), only by code that issues
   invoices (the monthly run, an order, a tariff raise), before any subscriber row; code that
   already holds subscriber rows (payments, the suspension, resume and purge passes) never asks
   for it;
2. subscriber rows, several at once always in pk order (`lock_subscribers`);
3. then rows that belong to those subscribers: their subscription and invoices (billing), a
   compensation claim or proposal line (operations), a membership or a 1C access (infobases).

`tests/subscribers/test_locks.py` fails when a subscriber row is locked anywhere else.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Subscriber


def lock_subscriber(subscriber: Subscriber | int) -> Subscriber:
    """Lock one subscriber's row and return it fresh (its state as of the lock)."""
    pk = subscriber.pk if isinstance(subscriber, Subscriber) else subscriber
    return Subscriber.objects.select_for_update().get(pk=pk)


def lock_subscribers(subscribers: Iterable[int] | QuerySet) -> list[int]:
    """Lock many subscribers' rows in pk order; the ids locked, in that order.

    Takes ids, or a queryset of candidates (a set-based pass): the caller then asks its question
    again in a new statement, which sees what others committed while it waited for the locks.
    """
    queryset = (
        subscribers
        if isinstance(subscribers, QuerySet)
        else Subscriber.objects.filter(pk__in=sorted(set(subscribers)))
    )
    if queryset.model is not Subscriber:
        raise TypeError("lock_subscribers takes subscriber ids or a queryset of subscribers")
    return list(queryset.order_by("pk").select_for_update().values_list("pk", flat=True))

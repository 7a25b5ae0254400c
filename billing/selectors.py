"""Reads other apps rely on (the tariff, the fee, the balances) and the billing page's reads."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from billing.providers import active_provider
from onebuh.compiled import execute_prepared
from onebuh.dates import month_end, month_shift, month_start
from subscribers.models import Subscriber, SubscriberStatus, SuspensionReason

from .history import HISTORY_SECTIONS, billing_histories
from .models import Invoice, InvoiceKind, InvoiceStatus, LedgerEntry, Subscription, Tariff
from .periods import PURGE_AFTER_DAYS, ZERO

_ZERO_SUM = Value(ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))


def tariff_for_subscriber(*, subscriber: Subscriber) -> Tariff | None:
    """The tariff in force for the subscriber, or None if it has not ordered the service yet."""
    return Tariff.objects.filter(subscriptions__subscriber=subscriber).first()


def tariff_value(field: str):
    """An expression for querysets of subscribers: `field` of the tariff in force (NULL without a
    subscription) — for pages that read a tariff's figure beside their own counts in one query."""
    return Subquery(
        Subscription.objects.filter(subscriber_id=OuterRef("pk")).values(f"tariff__{field}")[:1]
    )


def subscription_for(*, subscriber: Subscriber) -> Subscription | None:
    return (
        Subscription.objects.select_related("tariff", "pending_tariff")
        .filter(subscriber=subscriber)
        .first()
    )


def balances_for(*, subscriber: Subscriber) -> tuple[Decimal, Decimal]:
    """(money, bonus) on the personal account: the sums of every ledger entry."""
    totals = LedgerEntry.objects.filter(subscriber=subscriber).aggregate(
        money=Coalesce(Sum("money"), _ZERO_SUM), bonus=Coalesce(Sum("bonus"), _ZERO_SUM)
    )
    return totals["money"], totals["bonus"]


def balances_by_subscriber(*, subscriber_ids: Iterable[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """Balances of many subscribers in one query (the monthly run)."""
    rows = (
        LedgerEntry.objects.filter(subscriber_id__in=list(subscriber_ids))
        .values("subscriber_id")
        .annotate(money_sum=Sum("money"), bonus_sum=Sum("bonus"))
        .order_by()
    )
    return {row["subscriber_id"]: (row["money_sum"], row["bonus_sum"]) for row in rows}


def open_debt_by_subscriber(*, subscriber_ids: Iterable[int]) -> dict[int, Decimal]:
    """What the open invoices still ask, per subscriber, in one query."""
    rows = (
        Invoice.objects.filter(subscriber_id__in=list(subscriber_ids), status=InvoiceStatus.OPEN)
        .values("subscriber_id")
        .annotate(debt=Sum("amount_due") - Sum("paid_amount"))
        .order_by()
    )
    return {row["subscriber_id"]: row["debt"] for row in rows}


def monthly_fee_for(*, subscriber: Subscriber, month: datetime.date) -> Decimal:
    """The monthly fee in force for that calendar month (Almaty) — see monthly_fees_for."""
    return monthly_fees_for(subscriber_ids=[subscriber.pk], month=month)[subscriber.pk]


def monthly_fees_for(*, subscriber_ids, month: datetime.date) -> dict[int, Decimal]:
    """The fee of each subscriber for that calendar month, in two queries whatever their number
    (the compensation proposal asks for thousands, sent as one array: onebuh/lookups.py): the
    fee of the month's latest charge if it was charged, else the current tariff's price, else
    0.00 (the 9.3 base)."""
    ids = list(subscriber_ids)
    fees = dict.fromkeys(ids, ZERO)
    fees.update(
        Subscription.objects.filter(subscriber_id__any_of=ids).values_list(
            "subscriber_id", "tariff__monthly_fee"
        )
    )
    charged = (
        Invoice.objects.filter(subscriber_id__any_of=ids, month=month_start(month))
        .order_by("subscriber_id", "issued_at", "number")
        .values_list("subscriber_id", "monthly_fee")
    )
    fees.update(charged)  # The latest charge of each subscriber comes last and wins.
    return fees


def overdue_invoices(*, today: datetime.date) -> QuerySet:
    """Open invoices whose due date has passed: unpaid by the due date means overdue (3.5)."""
    return Invoice.objects.filter(status=InvoiceStatus.OPEN, due_date__lt=today)


def has_overdue(*, today: datetime.date):
    """An Exists() for subscriber querysets: the subscriber has an overdue invoice."""
    return Exists(overdue_invoices(today=today).filter(subscriber_id=OuterRef("pk")))


def debt_for(*, subscriber: Subscriber) -> Decimal:
    return open_debt_by_subscriber(subscriber_ids=[subscriber.pk]).get(subscriber.pk, ZERO)


def purge_date_for(*, subscriber: Subscriber) -> datetime.date | None:
    """3.6: the day the data may be deleted, for a non-payment suspension or a termination."""
    non_payment = (
        subscriber.status == SubscriberStatus.SUSPENDED
        and subscriber.suspension_reason == SuspensionReason.NON_PAYMENT
    )
    if non_payment or subscriber.status == SubscriberStatus.TERMINATED:
        deadline = subscriber.status_changed_at + datetime.timedelta(days=PURGE_AFTER_DAYS)
        return timezone.localdate(deadline)
    return None


# The tables of LedgerEntry, Invoice, Subscription and Tariff (pinned by tests/billing: the sums
# match the selectors, the tariff tariff_for_subscriber).
_ACCOUNT_SUMMARY_SQL = (
    "SELECT l.money, l.bonus, d.debt, t.name, t.monthly_fee FROM"
    " (SELECT COALESCE(SUM(money), 0) AS money, COALESCE(SUM(bonus), 0) AS bonus"
    "  FROM billing_ledgerentry WHERE subscriber_id = %s) AS l,"
    " (SELECT COALESCE(SUM(amount_due) - SUM(paid_amount), 0) AS debt"
    "  FROM billing_invoice WHERE subscriber_id = %s AND status = %s) AS d"
    " LEFT JOIN billing_subscription s ON s.subscriber_id = %s"
    " LEFT JOIN billing_tariff t ON t.id = s.tariff_id"
)


def account_summary(*, subscriber: Subscriber) -> dict:
    """Money and bonus balances and the open debt (the same sums as balances_for and debt_for),
    and the tariff's name and monthly fee ("tariff": None before the service is ordered), in one
    plain query: the dashboard card, the suspended banner and the billing page ask on every
    view, and the ORM's compilation of the equivalent subqueries costs more than the database's
    work (measured: bench/bench_http.py, bench/profile_page.py)."""
    if connection.vendor != "postgresql":
        # SQLite (the embedded `make run` default) sums decimals as floats: keep to the ORM,
        # whose Decimal conversion is exact.
        money, bonus = balances_for(subscriber=subscriber)
        tariff = tariff_for_subscriber(subscriber=subscriber)
        return {
            "money": money,
            "bonus": bonus,
            "debt": debt_for(subscriber=subscriber),
            "tariff": {"name": tariff.name, "monthly_fee": tariff.monthly_fee} if tariff else None,
        }
    with connection.cursor() as cursor:
        execute_prepared(
            cursor,
            _ACCOUNT_SUMMARY_SQL,
            [subscriber.pk, subscriber.pk, InvoiceStatus.OPEN.value, subscriber.pk],
        )
        money, bonus, debt, tariff_name, tariff_fee = cursor.fetchone()
    cents = Decimal("0.01")
    return {
        "money": money.quantize(cents),
        "bonus": bonus.quantize(cents),
        "debt": debt.quantize(cents),
        "tariff": None
        if tariff_name is None
        else {"name": tariff_name, "monthly_fee": tariff_fee.quantize(cents)},
    }


def billing_overview(*, subscriber: Subscriber, expand: str | None = None, page=None) -> dict:
    """Everything the panel's billing page shows, in a fixed number of queries: balances and debt
    (one), and the latest invoices, payments, ledger entries, bonus credits, state changes and
    statements with the subscription and its tariffs and the running promised payment (one:
    billing.history); `expand` names the one history to show whole, page by page."""

    summary = account_summary(subscriber=subscriber)
    online = active_provider() is not None
    expanded = expand if expand in HISTORY_SECTIONS else None
    sections = billing_histories(subscriber=subscriber, expand=expanded, page=page, online=online)
    subscription = next(iter(sections["subscription"]["rows"]), None)
    return {
        "money": summary["money"],
        "bonus": summary["bonus"],
        "debt": summary["debt"],
        "subscription": subscription,
        "online": online,
        "sections": sections,
        "expanded": expanded,
        "invoices": sections["invoices"]["rows"],
        "payments": sections["payments"]["rows"],
        "bonus_entries": sections["bonuses"]["rows"],
        "entries": sections["entries"]["rows"],
        "state_changes": sections["history"]["rows"],
        "statements": sections["statements"]["rows"],
        "purge_date": purge_date_for(subscriber=subscriber),
        "forecast": balance_forecast(
            subscriber=subscriber,
            money=summary["money"],
            debt=summary["debt"],
            tariff=subscription.tariff if subscription else None,
            last_month=next((row["month"] for row in sections["last_monthly"]["rows"]), None),
        ),
    }


_UNKNOWN = object()


def balance_forecast(
    *, subscriber: Subscriber, money: Decimal, debt: Decimal, tariff=_UNKNOWN, last_month=_UNKNOWN
):
    """ "Средств хватит до …": the last day of the last month the money on the account pays for,
    after the months already charged; None when there is debt, no advance or no fee. `tariff`
    and `last_month` (of the last monthly charge) when the caller has read them already (None:
    no subscription, no monthly charge yet)."""
    if debt > 0 or money <= 0:
        return None
    if tariff is _UNKNOWN:
        tariff = tariff_for_subscriber(subscriber=subscriber)
    if debt > 0 or money <= 0 or tariff is None or tariff.monthly_fee <= 0:
        return None
    if last_month is _UNKNOWN:
        last_month = (
            Invoice.objects.filter(subscriber=subscriber, kind="monthly")
            .order_by("-month")
            .values_list("month", flat=True)
            .first()
        )
    last = last_month or month_start(timezone.localdate())
    months = int(money // tariff.monthly_fee)
    return month_end(month_shift(last, months))


def monthly_invoice_exists(*, month: datetime.date):
    """An Exists() for subscription querysets: the month is already charged."""
    return Exists(
        Invoice.objects.filter(
            subscriber_id=OuterRef("subscriber_id"), kind=InvoiceKind.MONTHLY, month=month
        )
    )


def ledger_for_statement(*, subscriber: Subscriber, up_to_id: int | None) -> list[LedgerEntry]:
    entries = LedgerEntry.objects.filter(subscriber=subscriber).order_by("at", "id")
    if up_to_id is None:
        return []
    return list(entries.filter(id__lte=up_to_id).select_related("invoice"))


def debtors(*, today: datetime.date) -> QuerySet:
    return Subscriber.objects.filter(has_overdue(today=today)).filter(
        ~Q(status=SubscriberStatus.PURGED)
    )

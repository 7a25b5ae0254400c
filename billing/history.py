"""The billing page's histories — invoices, payments, account entries, bonuses, state changes and
reconciliation statements — read in one query and shown as ready text, with the few other rows
the page shows (the subscription and its tariffs, the running promised payment, the last monthly
charge).

Each history is a `values()` queryset of the columns its table shows. On PostgreSQL the latest
rows of all of them come back in one statement (each history's LIMITed query aggregated to JSON,
UNION ALL); elsewhere (SQLite, `make run`) one query each. The rows are then turned into the
cells the template prints — labels, dates, amounts and links computed once per page, not per row
in the template (bench/bench_http.py measured those as most of the page's time). "Show all" pages
through one history with the same columns and the same rows.
"""

import datetime
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from onebuh.compiled import FixedQuery, execute_prepared
from onebuh.listing import UrlPattern, choice_labels, local_date, local_datetime
from subscribers.models import Subscriber, SubscriberStateChange

from .models import (
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentMethod,
    PromisedPayment,
    ReconciliationStatement,
    Subscription,
)
from .money import kzt

# The page shows the latest rows of each history; "show all" pages through one of them.
LATEST_ROWS = 12
ALL_ROWS_PER_PAGE = 50
LATEST_STATEMENTS = 10


def _datetime(value):
    return parse_datetime(value) if isinstance(value, str) else value


def _date(value):
    return parse_date(value) if isinstance(value, str) else value


def _decimal(value):
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class TariffFigures:
    name: str
    monthly_fee: Decimal


@dataclass(frozen=True)
class SubscriptionFigures:
    """What the billing page shows of the subscription (read with the histories)."""

    tariff: TariffFigures
    pending_tariff: TariffFigures | None
    pending_from: datetime.date | None
    termination_requested_at: datetime.datetime | None
    ended_at: datetime.datetime | None


@dataclass(frozen=True)
class History:
    # The model's rows of one subscriber at a moment (the running promise), in page order.
    rows: Callable[[Subscriber, datetime.datetime], QuerySet]
    columns: dict  # alias → None for the model's own field of that name, or an expression
    types: dict  # alias → converter of the JSON value (dates, decimals)
    latest: int = LATEST_ROWS

    def queryset(self, subscriber: Subscriber, now: datetime.datetime) -> QuerySet:
        fields = [alias for alias, expression in self.columns.items() if expression is None]
        expressions = {a: e for a, e in self.columns.items() if e is not None}
        return self.rows(subscriber, now).values(*fields, **expressions)


_ENTRY_COLUMNS = {
    "id": None,
    "kind": None,
    "at": None,
    "description": None,
    "money": None,
    "bonus": None,
    "invoice_number": F("invoice__number"),
}
_ENTRY_TYPES = {"at": _datetime, "money": _decimal, "bonus": _decimal}

HISTORIES: dict[str, History] = {
    "invoices": History(
        rows=lambda s, _now: Invoice.objects.filter(subscriber=s).order_by("-number"),
        columns={
            "id": None,
            "number": None,
            "kind": None,
            "status": None,
            "tariff_name": F("tariff__name"),
            "period_start": None,
            "period_end": None,
            "total": None,
            "bonus_applied": None,
            "paid_amount": None,
            "due_date": None,
        },
        types={
            "period_start": _date,
            "period_end": _date,
            "due_date": _date,
            "total": _decimal,
            "bonus_applied": _decimal,
            "paid_amount": _decimal,
        },
    ),
    "payments": History(
        rows=lambda s, _now: Payment.objects.filter(subscriber=s).order_by("-received_at", "-id"),
        columns={
            "id": None,
            "method": None,
            "amount": None,
            "received_at": None,
        },
        types={"amount": _decimal, "received_at": _datetime},
    ),
    "entries": History(
        rows=lambda s, _now: LedgerEntry.objects.filter(subscriber=s).order_by("-at", "-id"),
        columns=_ENTRY_COLUMNS,
        types=_ENTRY_TYPES,
    ),
    "bonuses": History(
        rows=lambda s, _now: (
            LedgerEntry.objects.filter(subscriber=s).exclude(bonus=0).order_by("-at", "-id")
        ),
        columns=_ENTRY_COLUMNS,
        types=_ENTRY_TYPES,
    ),
    "history": History(
        rows=lambda s, _now: SubscriberStateChange.objects.filter(subscriber=s).order_by(
            "-at", "-id"
        ),
        columns={"id": None, "event": None, "at": None, "cause": None},
        types={"at": _datetime},
    ),
    "statements": History(
        rows=lambda s, _now: ReconciliationStatement.objects.filter(subscriber=s).order_by(
            "-created_at", "-id"
        ),
        columns={"id": None, "created_at": None},
        types={"created_at": _datetime},
        latest=LATEST_STATEMENTS,
    ),
    # Not a table: the month of the last monthly charge, for the forecast ("enough until …").
    "last_monthly": History(
        rows=lambda s, _now: Invoice.objects.filter(
            subscriber=s, kind=InvoiceKind.MONTHLY
        ).order_by("-month"),
        columns={"month": None},
        types={"month": _date},
        latest=1,
    ),
    # Not a table: the subscription with its tariffs, for the tariff card.
    "subscription": History(
        rows=lambda s, _now: Subscription.objects.filter(subscriber=s).order_by("id"),
        columns={
            "id": None,
            "tariff_name": F("tariff__name"),
            "tariff_fee": F("tariff__monthly_fee"),
            "pending_name": F("pending_tariff__name"),
            "pending_fee": F("pending_tariff__monthly_fee"),
            "pending_from": None,
            "termination_requested_at": None,
            "ended_at": None,
        },
        types={
            "tariff_fee": _decimal,
            "pending_fee": _decimal,
            "pending_from": _date,
            "termination_requested_at": _datetime,
            "ended_at": _datetime,
        },
        latest=1,
    ),
    # Not a table: the promised payment still running (3.5), for the notice under the debt.
    "promise": History(
        rows=lambda s, now: PromisedPayment.objects.filter(subscriber=s, ends_at__gt=now).order_by(
            "-ends_at", "-id"
        ),
        columns={"id": None, "ends_at": None},
        types={"ends_at": _datetime},
        latest=1,
    ),
}
# What "show all" may expand (the statements are a short list under the account).
HISTORY_SECTIONS = ("invoices", "payments", "entries", "bonuses", "history")


# Each history's latest rows compiled once per process (onebuh.compiled): the ORM's compilation
# of the seven querysets cost more than the database's work (bench/profile_page.py, issue 16.4).
_LATEST = {
    name: FixedQuery(
        lambda subscriber_id, now, history=history: history.queryset(
            Subscriber(pk=subscriber_id), now
        )[: history.latest + 1]
    )
    for name, history in HISTORIES.items()
}


def _union(names: list[str], subscriber: Subscriber, now: datetime.datetime) -> tuple[str, list]:
    """One statement for the named histories' latest rows: each one's rows as JSON."""
    parts, params = [], []
    for name in names:
        sql, query_params = _LATEST[name].sql(subscriber_id=subscriber.pk, now=now)
        # `sql` is the ORM's own compiled query; every value is a parameter.
        aggregate = f"(SELECT COALESCE(json_agg(t), '[]') FROM ({sql}) AS t)::text"  # noqa: S608
        parts.append(f"SELECT %s, {aggregate}")
        params += [name, *query_params]
    return " UNION ALL ".join(parts), params


@functools.cache
def _order(name: str) -> tuple[str, ...]:
    """The history's page order (restated after the JSON, see _latest_rows)."""
    return tuple(HISTORIES[name].rows(Subscriber(pk=0), timezone.now()).query.order_by)


def _latest_rows(
    subscriber: Subscriber, names: list[str], now: datetime.datetime
) -> dict[str, list[dict]]:
    """Up to `latest` + 1 rows of each named history (one more tells whether there are others)."""
    if connection.vendor != "postgresql":
        return {
            name: list(HISTORIES[name].queryset(subscriber, now)[: HISTORIES[name].latest + 1])
            for name in names
        }
    sql, params = _union(names, subscriber, now)
    with connection.cursor() as cursor:
        execute_prepared(cursor, sql, params)
        found = dict(cursor.fetchall())
    latest = {}
    for name in names:
        history = HISTORIES[name]
        rows = json.loads(found[name], parse_float=Decimal)
        for row in rows:
            for alias, convert in history.types.items():
                row[alias] = convert(row[alias])
        # json_agg keeps the subquery's order in practice; the page order is restated here
        # rather than relied upon.
        for field in reversed(_order(name)):
            key = field.lstrip("-")
            rows.sort(key=lambda row, key=key: row[key], reverse=field.startswith("-"))
        latest[name] = rows
    return latest


class _Cells:
    """Turns rows into the cells the template prints, with the labels and links of this page."""

    def __init__(self, *, online: bool):
        self.online = online
        self.invoice_kinds = choice_labels(InvoiceKind)
        self.invoice_statuses = choice_labels(InvoiceStatus)
        self.methods = choice_labels(PaymentMethod)
        self.ledger_kinds = choice_labels(LedgerKind)
        self.events = choice_labels(SubscriberStateChange.Event)
        self.invoice_pdf = UrlPattern("billing:invoice_pdf")
        self.act_pdf = UrlPattern("billing:act_pdf")
        self.invoice_pay = UrlPattern("billing:invoice_pay")
        self.statement_pdf = UrlPattern("billing:statement_pdf")
        self.statement_title = _("Reconciliation statement No. %(number)s")

    def invoices(self, row: dict) -> dict:
        paid, is_open = row["status"] == InvoiceStatus.PAID, row["status"] == InvoiceStatus.OPEN
        return {
            "number": f"{row['number']:06d}",
            "period": f"{local_date(row['period_start'])}–{local_date(row['period_end'])}",
            "kind": self.invoice_kinds.get(row["kind"], row["kind"]),
            "tariff": row["tariff_name"],
            "total": kzt(row["total"]),
            "bonus_applied": kzt(row["bonus_applied"]),
            "paid_amount": kzt(row["paid_amount"]),
            "due_date": local_date(row["due_date"]),
            "paid": paid,
            "status": self.invoice_statuses.get(row["status"], row["status"]),
            "pdf_url": self.invoice_pdf(row["id"]),
            "act_url": self.act_pdf(row["id"])
            if paid and row["kind"] == InvoiceKind.MONTHLY
            else "",
            "pay_url": self.invoice_pay(row["id"]) if is_open and self.online else "",
        }

    def payments(self, row: dict) -> dict:
        return {
            "received": local_datetime(row["received_at"]),
            "method": self.methods.get(row["method"], row["method"]),
            "amount": kzt(row["amount"]),
        }

    def entries(self, row: dict) -> dict:
        number = row["invoice_number"]
        return {
            "at": local_datetime(row["at"]),
            "day": local_date(row["at"]),
            "kind": self.ledger_kinds.get(row["kind"], row["kind"]),
            "invoice": f"{number:06d}" if number is not None else "",
            "description": row["description"],
            "money": kzt(row["money"]) if row["money"] else "",
            "bonus": kzt(row["bonus"]) if row["bonus"] else "",
        }

    bonuses = entries

    def history(self, row: dict) -> dict:
        return {
            "at": local_datetime(row["at"]),
            "event": self.events.get(row["event"], row["event"]),
            "cause": row["cause"],
        }

    def last_monthly(self, row: dict) -> dict:
        return row

    promise = last_monthly

    def subscription(self, row: dict) -> "SubscriptionFigures":
        pending = row["pending_name"]
        return SubscriptionFigures(
            tariff=TariffFigures(row["tariff_name"], row["tariff_fee"]),
            pending_tariff=TariffFigures(pending, row["pending_fee"]) if pending else None,
            pending_from=row["pending_from"],
            termination_requested_at=row["termination_requested_at"],
            ended_at=row["ended_at"],
        )

    def statements(self, row: dict) -> dict:
        return {
            "url": self.statement_pdf(row["id"]),
            "title": self.statement_title % {"number": row["id"]},
            "created": local_date(row["created_at"]),
        }


def billing_histories(
    *, subscriber: Subscriber, expand: str | None = None, page=None, online: bool = False
) -> dict:
    """{name: {"rows": [cells…], "more": bool, "page": Page | None}} for every history: the
    latest rows of each in one query; `expand` names the one to show whole, page by page."""
    cells = _Cells(online=online)
    now = timezone.now()
    names = [name for name in HISTORIES if name != expand]
    sections = {
        name: {
            "rows": [getattr(cells, name)(row) for row in rows[: HISTORIES[name].latest]],
            "more": len(rows) > HISTORIES[name].latest,
            "page": None,
        }
        for name, rows in _latest_rows(subscriber, names, now).items()
    }
    if expand in HISTORY_SECTIONS:
        current = Paginator(
            HISTORIES[expand].queryset(subscriber, now), ALL_ROWS_PER_PAGE
        ).get_page(page)
        sections[expand] = {
            "rows": [getattr(cells, expand)(row) for row in current],
            "more": False,
            "page": current,
        }
    return sections

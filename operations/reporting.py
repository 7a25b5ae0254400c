"""The monthly compensation report for accountants: its rows, and the PDF, CSV and XLSX files.

"The month" is when the bonuses were credited (the ledger's month), so the report's total is the
month's compensation bonus credits in the ledger. A row is one subscriber and one downtime month:
a month's credits are cumulative (each credits what the month's total downtime entitles minus what
was credited before, services/credits.py), so the row shows the month's latest total — downtime,
full hours, percent, fee and entitlement — beside what was credited before this month and what
was credited in it. Its columns multiply out: entitled = fee × percent / 100, and
credited now = entitled − already credited before.
"""

import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F, Max, Min, Sum, Window
from django.db.models.functions import FirstValue
from django.utils import timezone
from django.utils.translation import gettext as _

from onebuh.dates import month_bounds
from onebuh.exports import Sheet, csv_bytes, xlsx_bytes
from onebuh.pdf import write_pdf_in_parts

from .compensation import compensation_amount
from .models import CompensationCredit

# The PDF is a register: one monospaced line per row. WeasyPrint lays out a line of text about
# eight times faster than a table row of cells, which keeps 5,000 rows well under 30 s.
PDF_ROWS_FIRST_PAGE = 42
PDF_ROWS_PER_PAGE = 48
# Pages laid out by one WeasyPrint document (issue 16): about 470 lines, ~20 MiB while it renders.
PDF_PAGES_PER_PART = 10
# (width, right-aligned) of each column of the PDF register, in characters.
PDF_COLUMNS = [
    (5, True),
    (30, False),
    (12, False),
    (7, False),
    (10, False),
    (7, True),
    (5, True),
    (4, True),
    (12, True),
    (12, True),
    (12, True),
    (12, True),
    (28, False),
    (16, False),
]


@dataclass(frozen=True)
class ReportRow:
    number: int
    credited_at: date
    subscriber: str
    tax_number: str
    downtime_month: str
    downtime: str
    hours: int
    percent: int
    monthly_fee: Decimal
    entitled: Decimal
    credited_before: Decimal
    amount: Decimal
    reference: str
    incidents: str
    subscriber_id: int = 0


@dataclass(frozen=True)
class Report:
    month: date
    rows: list[ReportRow]
    total_amount: Decimal
    total_hours: int
    subscribers: int
    total_entitled: Decimal = Decimal("0.00")
    total_before: Decimal = Decimal("0.00")


def _duration(value: timedelta) -> str:
    minutes = int(value.total_seconds()) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def _reference(credit) -> str:
    if credit.claim_id is not None:
        return _("claim #%(claim)s, ticket #%(ticket)s") % {
            "claim": credit.claim_id,
            "ticket": credit.claim.ticket_id,
        }
    return _("operator's proposal for %(month)s") % {"month": credit.month.strftime("%m.%Y")}


def _month_credits(month: date):
    """The month's credits as they stand now: pinned to the highest id, so a credit made while
    a long report streams does not change its row count halfway (credits are never updated)."""
    start, end = month_bounds(month)
    in_month = CompensationCredit.objects.filter(credited_at__gte=start, credited_at__lt=end)
    last_id = in_month.aggregate(last=Max("id"))["last"] or 0
    return in_month.filter(id__lte=last_id)


# What report_rows reads of a credit, its subscriber (display_name, tax_number) and its claim.
_REPORT_COLUMNS = (
    "subscriber_id",
    "month",
    "claim_id",
    "downtime",
    "hours",
    "percent",
    "monthly_fee",
    "amount",
    "incident_ids",
    "credited_at",
    "subscriber__legal_form",
    "subscriber__name",
    "subscriber__person_full_name",
    "subscriber__bin",
    "subscriber__iin",
    "claim__ticket_id",
)


def report_rows(*, month: date, credits=None) -> Iterator[ReportRow]:
    """The rows one at a time, in the order of each row's first credit (2 queries whatever the
    number of rows: the month's credits streamed grouped by subscriber and downtime month, and
    what was credited for those months before it). Only one group's credits are in memory."""
    start, _end = month_bounds(month)
    in_month = credits if credits is not None else _month_credits(month)
    group = [F("subscriber_id"), F("month")]
    ordered = (
        in_month.select_related("subscriber", "claim")
        # Only the columns a row shows: the whole credit, subscriber and claim rows made the
        # final sort about 750 bytes a row and spill to disk (`_REPORT_COLUMNS`).
        .only(*_REPORT_COLUMNS)
        .annotate(
            first_at=Window(Min("credited_at"), partition_by=group),
            first_id=Window(
                FirstValue("id"), partition_by=group, order_by=[F("credited_at"), F("id")]
            ),
        )
        .order_by("first_at", "first_id", "credited_at", "id")
    )
    before = {
        (row["subscriber_id"], row["month"]): row["total"]
        for row in CompensationCredit.objects.filter(
            credited_at__lt=start,
            subscriber_id__in=in_month.values("subscriber_id"),
            month__in=in_month.values("month"),
        )
        .values("subscriber_id", "month")
        .annotate(total=Sum("amount"))
    }
    # 500 credits a fetch, not 2,000: each is a model instance with its subscriber and claim, and
    # a chunk is what a PDF worker holds (about 9 MiB less at 10,000 rows, bench_operations).
    groups = itertools.groupby(
        ordered.iterator(chunk_size=500), key=lambda credit: (credit.subscriber_id, credit.month)
    )
    for number, ((subscriber_id, downtime_month), grouped) in enumerate(groups, start=1):
        group_credits = list(grouped)
        # The latest credit carries the month's total: every credit tops the month up to it.
        last = group_credits[-1]
        subscriber = last.subscriber
        incidents = sorted({pk for credit in group_credits for pk in credit.incident_ids})
        yield ReportRow(
            number=number,
            credited_at=timezone.localdate(last.credited_at),
            subscriber=subscriber.display_name,
            tax_number=subscriber.tax_number,
            downtime_month=downtime_month.strftime("%m.%Y"),
            downtime=_duration(last.downtime),
            hours=last.hours,
            percent=last.percent,
            monthly_fee=last.monthly_fee,
            entitled=compensation_amount(last.monthly_fee, last.downtime),
            credited_before=before.get((subscriber_id, downtime_month), Decimal("0.00")),
            amount=sum((credit.amount for credit in group_credits), Decimal("0.00")),
            reference="; ".join(_reference(credit) for credit in group_credits),
            incidents=", ".join(f"#{pk}" for pk in incidents),
            subscriber_id=subscriber_id,
        )


class Tally:
    """The totals of rows as they pass. `subscribers`, when the caller has counted them (the
    streamed PDF, by a query), spares the set of ids that would grow with the rows."""

    def __init__(self, subscribers: int | None = None):
        self.rows = 0
        self.hours = 0
        self.amount = Decimal("0.00")
        self.entitled = Decimal("0.00")
        self.before = Decimal("0.00")
        self._counted = subscribers
        self._subscribers: set[int] = set()

    def add(self, row: ReportRow) -> ReportRow:
        self.rows += 1
        self.hours += row.hours
        self.amount += row.amount
        self.entitled += row.entitled
        self.before += row.credited_before
        if self._counted is None:
            self._subscribers.add(row.subscriber_id)
        return row

    @property
    def subscribers(self) -> int:
        return len(self._subscribers) if self._counted is None else self._counted


def report_for_month(*, month: date) -> Report:
    """The whole report in memory (CSV, XLSX and the API's figures)."""
    tally = Tally()
    rows = [tally.add(row) for row in report_rows(month=month)]
    return Report(
        month=month,
        rows=rows,
        total_amount=tally.amount,
        total_hours=tally.hours,
        subscribers=tally.subscribers,
        total_entitled=tally.entitled,
        total_before=tally.before,
    )


def columns() -> list[str]:
    return [
        _("No."),
        _("Last credited on"),
        _("Subscriber"),
        _("БИН/ИИН"),
        _("Downtime month"),
        _("Compensable downtime, h:min"),
        _("Full hours"),
        _("Percent"),
        _("Month's fee, KZT"),
        _("Entitled, KZT"),
        _("Already credited before, KZT"),
        _("Credited now, KZT"),
        _("Claim / ticket"),
        _("Incidents"),
    ]


def _values(row: ReportRow) -> list:
    return [
        row.number,
        row.credited_at,
        row.subscriber,
        row.tax_number,
        row.downtime_month,
        row.downtime,
        row.hours,
        row.percent,
        row.monthly_fee,
        row.entitled,
        row.credited_before,
        row.amount,
        row.reference,
        row.incidents,
    ]


def _total_row(report: Report) -> list:
    return [
        _("Total"),
        "",
        "",
        "",
        "",
        "",
        report.total_hours,
        "",
        "",
        report.total_entitled,
        report.total_before,
        report.total_amount,
    ]


def render_csv(report: Report) -> bytes:
    """Through the one export helper: UTF-8 with a BOM and semicolons, no cell a formula."""
    return csv_bytes([*(_values(row) for row in report.rows), _total_row(report)], header=columns())


def render_xlsx(report: Report) -> bytes:
    """Amounts are numbers in a money format, the credit date a date; names never formulas."""
    month = report.month.strftime("%m.%Y")
    return xlsx_bytes(
        [
            Sheet(
                title=month,
                title_lines=[_("Downtime compensation credited in %(month)s") % {"month": month}],
                header=columns(),
                rows=(_values(row) for row in report.rows),
                footer=[_total_row(report)],
                column_widths={1: 12, 2: 36, 3: 14, 12: 30, 13: 20},
            )
        ]
    )


def _money(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


def _cell(text, width: int, right: bool) -> str:
    text = str(text)
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.rjust(width) if right else text.ljust(width)


def _line(values) -> str:
    return " ".join(_cell(v, w, r) for v, (w, r) in zip(values, PDF_COLUMNS, strict=True))


def _pdf_header() -> list[str]:
    return [
        _line(
            [
                _("No."),
                _("Subscriber"),
                _("БИН/ИИН"),
                _("Month"),
                _("Credited"),
                _("h:min"),
                _("Hours"),
                "%",
                _("Fee, KZT"),
                _("Entitled"),
                _("Before"),
                _("Now, KZT"),
                _("Basis"),
                _("Incidents"),
            ]
        )
    ]


def _pdf_line(row: ReportRow) -> str:
    return _line(
        [
            row.number,
            row.subscriber,
            row.tax_number,
            row.downtime_month,
            row.credited_at.strftime("%d.%m.%Y"),
            row.downtime,
            row.hours,
            f"{row.percent}%",
            _money(row.monthly_fee),
            _money(row.entitled),
            _money(row.credited_before),
            _money(row.amount),
            row.reference,
            row.incidents,
        ]
    )


def _register_pages(row_count: int) -> int:
    if not row_count:
        return 0
    rest = max(row_count - PDF_ROWS_FIRST_PAGE, 0)
    return 1 + -(-rest // PDF_ROWS_PER_PAGE)


def pdf_parts(
    *, month: date, rows: Iterable[ReportRow], row_count: int, subscribers: int | None = None
) -> Iterator[tuple[str, dict]]:
    """The register as documents of PDF_PAGES_PER_PART pages each (see write_pdf_in_parts),
    made lazily: each part takes its rows from `rows` only when it is rendered, and the last
    one carries the totals tallied on the way.

    Each register page is one page of the PDF (rows per page are fixed, lines never wrap) and
    the totals take a page of their own, so the page count follows from `row_count` before
    anything is laid out and every part prints "Page N of M" with the real numbers."""
    register_pages = _register_pages(row_count)
    tally = Tally(subscribers)
    lines = (_pdf_line(tally.add(row)) for row in rows)
    common = {
        "month": month,
        "header": _pdf_header(),
        "generated_at": timezone.localtime(),
        "total_pages": register_pages + 1 if register_pages else 1,
    }
    page = 0
    while True:
        first_page = page + 1
        pages = []
        while len(pages) < PDF_PAGES_PER_PART and page < register_pages:
            size = PDF_ROWS_FIRST_PAGE if page == 0 else PDF_ROWS_PER_PAGE
            pages.append(list(itertools.islice(lines, size)))
            page += 1
        is_last = page >= register_pages
        context = {
            **common,
            "pages": pages,
            "first_page": first_page,
            "is_first": first_page == 1,
        }
        if is_last:
            context.update(
                is_last=True,
                totals=tally,
                total_amount=_money(tally.amount),
            )
        yield "pdf/compensation_report.html", context
        if is_last:
            return


def write_pdf_report(report: Report, out) -> int:
    """Write a report held in memory into the binary file `out`; returns its page count."""

    figures = write_pdf_in_parts(
        pdf_parts(month=report.month, rows=report.rows, row_count=len(report.rows)), out
    )
    return figures["pages"]


def write_pdf_for_month(*, month: date, out) -> int:
    """The month's PDF streamed from the database into `out`, a few pages at a time: a worker's
    memory does not grow with the number of rows (issue 16). Returns the number of rows."""

    credits = _month_credits(month)
    row_count = credits.values("subscriber_id", "month").distinct().count()
    subscribers = credits.values("subscriber_id").distinct().count()
    rows = report_rows(month=month, credits=credits)
    parts = pdf_parts(month=month, rows=rows, row_count=row_count, subscribers=subscribers)
    write_pdf_in_parts(parts, out)
    return row_count


def render_pdf_report(report: Report) -> bytes:
    buffer = io.BytesIO()
    write_pdf_report(report, buffer)
    return buffer.getvalue()

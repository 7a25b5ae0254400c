"""The monthly compensation report for accountants: its rows, and the PDF, CSV and XLSX files.

"The month" is when the bonuses were credited (the ledger's month), so the report's total is the
month's compensation bonus credits in the ledger; each row also names the downtime month.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from billing.compensation import month_bounds
from onebuh.exports import Sheet, csv_bytes, xlsx_bytes

from .models import CompensationCredit, CreditSource

# The PDF is a register: one monospaced line per credit. WeasyPrint lays out a line of text about
# eight times faster than a table row of cells, which keeps 5,000 rows well under 30 s.
PDF_ROWS_FIRST_PAGE = 42
PDF_ROWS_PER_PAGE = 48
# (width, right-aligned) of each column of the PDF register, in characters.
PDF_COLUMNS = [
    (5, True),
    (36, False),
    (12, False),
    (7, False),
    (10, False),
    (7, True),
    (5, True),
    (12, True),
    (4, True),
    (12, True),
    (34, False),
    (26, False),
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
    monthly_fee: Decimal
    percent: int
    amount: Decimal
    source: str
    reference: str
    incidents: str


@dataclass(frozen=True)
class Report:
    month: date
    rows: list[ReportRow]
    total_amount: Decimal
    total_hours: int
    subscribers: int


def _duration(value: timedelta) -> str:
    minutes = int(value.total_seconds()) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def report_for_month(*, month: date) -> Report:
    """Every compensation credited in the month (2 queries whatever the number of rows)."""
    start, end = month_bounds(month)
    credits = (
        CompensationCredit.objects.filter(credited_at__gte=start, credited_at__lt=end)
        .select_related("subscriber", "claim")
        .order_by("credited_at", "id")
    )
    source_labels = dict(CreditSource.choices)
    rows, total, hours, subscribers = [], Decimal("0.00"), 0, set()
    for number, credit in enumerate(credits.iterator(chunk_size=2000), start=1):
        if credit.claim is not None:
            reference = _("claim #%(claim)s, ticket #%(ticket)s") % {
                "claim": credit.claim_id,
                "ticket": credit.claim.ticket_id,
            }
        else:
            reference = _("operator's proposal for %(month)s") % {
                "month": credit.month.strftime("%m.%Y")
            }
        subscriber = credit.subscriber
        rows.append(
            ReportRow(
                number=number,
                credited_at=timezone.localdate(credit.credited_at),
                subscriber=subscriber.display_name,
                tax_number=subscriber.tax_number,
                downtime_month=credit.month.strftime("%m.%Y"),
                downtime=_duration(credit.downtime),
                hours=credit.hours,
                monthly_fee=credit.monthly_fee,
                percent=credit.percent,
                amount=credit.amount,
                source=str(source_labels[credit.source]),
                reference=reference,
                incidents=", ".join(f"#{pk}" for pk in credit.incident_ids),
            )
        )
        total += credit.amount
        hours += credit.hours
        subscribers.add(subscriber.pk)
    return Report(
        month=month, rows=rows, total_amount=total, total_hours=hours, subscribers=len(subscribers)
    )


def columns() -> list[str]:
    return [
        _("No."),
        _("Credited on"),
        _("Subscriber"),
        _("БИН/ИИН"),
        _("Downtime month"),
        _("Compensable downtime, h:min"),
        _("Full hours"),
        _("Month's fee, KZT"),
        _("Percent"),
        _("Amount, KZT"),
        _("Source"),
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
        row.monthly_fee,
        row.percent,
        row.amount,
        row.source,
        row.reference,
        row.incidents,
    ]


def _total_row(report: Report) -> list:
    return [_("Total"), "", "", "", "", "", report.total_hours, "", "", report.total_amount]


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
                column_widths={1: 12, 2: 36, 3: 14, 11: 30, 12: 20},
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


def pdf_lines(report: Report) -> tuple[list[str], list[list[str]]]:
    """The register's header lines and its rows split into pages."""
    header = [
        _line(
            [
                _("No."),
                _("Subscriber"),
                _("БИН/ИИН"),
                _("Month"),
                _("Credited"),
                _("h:min"),
                _("Hours"),
                _("Fee, KZT"),
                "%",
                _("Amount, KZT"),
                _("Basis"),
                _("Incidents"),
            ]
        )
    ]
    lines = [
        _line(
            [
                row.number,
                row.subscriber,
                row.tax_number,
                row.downtime_month,
                row.credited_at.strftime("%d.%m.%Y"),
                row.downtime,
                row.hours,
                _money(row.monthly_fee),
                f"{row.percent}%",
                _money(row.amount),
                row.reference,
                row.incidents,
            ]
        )
        for row in report.rows
    ]
    pages = [lines[:PDF_ROWS_FIRST_PAGE]] if lines else []
    rest = lines[PDF_ROWS_FIRST_PAGE:]
    pages += [rest[i : i + PDF_ROWS_PER_PAGE] for i in range(0, len(rest), PDF_ROWS_PER_PAGE)]
    return header, pages


def render_pdf_report(report: Report) -> bytes:
    from onebuh.pdf import render_pdf

    header, pages = pdf_lines(report)
    return render_pdf(
        "pdf/compensation_report.html",
        {
            "report": report,
            "header": header,
            "pages": pages,
            "total_amount": _money(report.total_amount),
            "generated_at": timezone.localtime(),
        },
    )

"""The monthly compensation report for accountants: its rows, and the PDF, CSV and XLSX files.

"The month" is when the bonuses were credited (the ledger's month), so the report's total is the
month's compensation bonus credits in the ledger. A row is one subscriber and one downtime month:
a month's credits are cumulative (each credits what the month's total downtime entitles minus what
was credited before, services/credits.py), so the row shows the month's latest total — downtime,
full hours, percent, fee and entitlement — beside what was credited before this month and what
was credited in it. Its columns multiply out: entitled = fee × percent / 100, and
credited now = entitled − already credited before.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from onebuh.dates import month_bounds
from onebuh.exports import Sheet, csv_bytes, xlsx_bytes

from .compensation import compensation_amount
from .models import CompensationCredit

# The PDF is a register: one monospaced line per row. WeasyPrint lays out a line of text about
# eight times faster than a table row of cells, which keeps 5,000 rows well under 30 s.
PDF_ROWS_FIRST_PAGE = 42
PDF_ROWS_PER_PAGE = 48
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


def report_for_month(*, month: date) -> Report:
    """One row per subscriber and downtime month credited in the month (2 queries whatever the
    number of rows: the month's credits, and what was credited for those months before it)."""
    start, end = month_bounds(month)
    in_month = CompensationCredit.objects.filter(credited_at__gte=start, credited_at__lt=end)
    credits = in_month.select_related("subscriber", "claim").order_by("credited_at", "id")
    groups: dict[tuple[int, date], list] = {}
    for credit in credits.iterator(chunk_size=2000):
        groups.setdefault((credit.subscriber_id, credit.month), []).append(credit)
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
    rows, total, hours = [], Decimal("0.00"), 0
    total_entitled, total_before = Decimal("0.00"), Decimal("0.00")
    for number, ((subscriber_id, downtime_month), group) in enumerate(groups.items(), start=1):
        # The latest credit carries the month's total: every credit tops the month up to it.
        last = group[-1]
        subscriber = last.subscriber
        credited_before = before.get((subscriber_id, downtime_month), Decimal("0.00"))
        amount = sum((credit.amount for credit in group), Decimal("0.00"))
        entitled = compensation_amount(last.monthly_fee, last.downtime)
        incidents = sorted({pk for credit in group for pk in credit.incident_ids})
        rows.append(
            ReportRow(
                number=number,
                credited_at=timezone.localdate(last.credited_at),
                subscriber=subscriber.display_name,
                tax_number=subscriber.tax_number,
                downtime_month=downtime_month.strftime("%m.%Y"),
                downtime=_duration(last.downtime),
                hours=last.hours,
                percent=last.percent,
                monthly_fee=last.monthly_fee,
                entitled=entitled,
                credited_before=credited_before,
                amount=amount,
                reference="; ".join(_reference(credit) for credit in group),
                incidents=", ".join(f"#{pk}" for pk in incidents),
            )
        )
        total += amount
        hours += last.hours
        total_entitled += entitled
        total_before += credited_before
    return Report(
        month=month,
        rows=rows,
        total_amount=total,
        total_hours=hours,
        subscribers=len({key[0] for key in groups}),
        total_entitled=total_entitled,
        total_before=total_before,
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
                f"{row.percent}%",
                _money(row.monthly_fee),
                _money(row.entitled),
                _money(row.credited_before),
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

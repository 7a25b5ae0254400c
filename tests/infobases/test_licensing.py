import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from infobases import reporting
from infobases.models import LicenceEvent, RegistrationNumber
from infobases.services import licences_record_renewals, registration_numbers_import
from subscribers.audit_actions import AuditAction
from subscribers.models import AuditEntry, LegalForm
from tests.factories import MembershipFactory, SubscriberFactory
from tests.infobases.factories import AccessFactory, InfobaseFactory, SolutionFactory

EXPECTED = {
    LegalForm.INDIVIDUAL: [
        "ИИН",
        "Вид основной деятельности",
        "Фамилия, имя, отчество",
        "Адрес проживания",
    ],
    LegalForm.ENTREPRENEUR: [
        "Название",
        "ИИН",
        "Вид основной деятельности",
        "Фамилия, имя, отчество",
        "Адрес проживания",
    ],
    LegalForm.LEGAL_ENTITY: [
        "Название",
        "БИН",
        "Вид основной деятельности",
        "Ф.И.О. руководителя",
        "Адрес регистрации",
    ],
}
RESPONSIBLE = [
    "Ф.И.О. ответственного лица",
    "Email ответственного лица",
    "Мобильный телефон ответственного лица",
]


@pytest.fixture
def events(db):
    solution = SolutionFactory(name="Бухгалтерия для Казахстана")
    subscribers = {
        LegalForm.INDIVIDUAL: SubscriberFactory(individual=True),
        LegalForm.ENTREPRENEUR: SubscriberFactory(entrepreneur=True),
        LegalForm.LEGAL_ENTITY: SubscriberFactory(),
    }
    for subscriber in subscribers.values():
        LicenceEvent.objects.create(
            subscriber=subscriber,
            solution=solution,
            kind="registration",
            user_email="u@example.kz",
            user_full_name="Ким Виктор",
        )
    return subscribers


@pytest.mark.parametrize("form", list(LegalForm))
def test_the_csv_report_has_the_2_2_columns_of_each_legal_form(events, form):
    today = timezone.localdate()
    content = reporting.report_csv(date_from=today, date_to=today, legal_form=form).decode()
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][5:] == EXPECTED[form] + RESPONSIBLE
    assert len(rows) == 2
    subscriber = events[form]
    assert subscriber.tax_number in rows[1] and subscriber.address in rows[1]
    assert rows[1][1] == "Регистрация" and rows[1][2] == "Бухгалтерия для Казахстана"


def test_the_xlsx_report_has_a_sheet_per_legal_form(events):
    today = timezone.localdate()
    book = openpyxl.load_workbook(io.BytesIO(reporting.report_xlsx(date_from=today, date_to=today)))
    assert len(book.sheetnames) == 3
    for form, sheet in zip(LegalForm, book.worksheets, strict=True):
        header = [cell.value for cell in sheet[1]]
        assert header[5:] == EXPECTED[form] + RESPONSIBLE
        assert sheet.max_row == 2


def test_the_report_covers_only_the_period(events):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    rows = reporting.report_rows(date_from=yesterday, date_to=yesterday, legal_form="legal_entity")
    assert rows == []


def test_staff_download_the_report_from_the_admin(events, staff_client, staff_accountant):
    client = staff_client(staff_accountant)
    today = timezone.localdate().isoformat()
    response = client.get(
        reverse("admin:infobases_licence_report"),
        {"date_from": today, "date_to": today, "format": "xlsx"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    entry = AuditEntry.objects.get(action=AuditAction.REPORT_DOWNLOAD)
    assert entry.actor == staff_accountant
    assert entry.data["report"] == "licences" and entry.data["from"] == today


def test_renewals_are_recorded_once_a_month(subscriber, member):
    infobase = InfobaseFactory(subscriber=subscriber)
    AccessFactory(infobase=infobase, membership=member.memberships.get())
    month = datetime.date(2026, 12, 1)
    assert licences_record_renewals(month=month) == 1
    licences_record_renewals(month=month)
    assert LicenceEvent.objects.filter(kind="renewal").count() == 1


def test_registration_numbers_import_and_show_in_the_panel(client, owner, subscriber, member):
    solution = SolutionFactory(code="bk-kz")
    data = (
        "tax_number;solution;email;number;assigned_on\n"
        f"{subscriber.tax_number};bk-kz;{member.email};KZ-0001-77;01.12.2026\n"
        f"{subscriber.tax_number};bk-kz;{owner.email};KZ-0001-78;2026-12-01\n"
    )
    assert registration_numbers_import(data=data, actor=None) == 2
    assert RegistrationNumber.objects.get(user_email=member.email).solution == solution
    client.force_login(member)
    page = client.get(reverse("infobases:licences")).content.decode()
    assert "KZ-0001-77" in page and "KZ-0001-78" not in page


def test_a_bad_row_rejects_the_whole_import(subscriber):
    SolutionFactory(code="bk-kz")
    data = (
        "tax_number,solution,email,number,assigned_on\n"
        f"{subscriber.tax_number},bk-kz,a@example.kz,N-1,2026-12-01\n"
        "000000000000,bk-kz,b@example.kz,N-2,2026-12-01\n"
    )
    with pytest.raises(ValidationError) as error:
        registration_numbers_import(data=data, actor=None)
    assert "3" in error.value.messages[0]
    assert not RegistrationNumber.objects.exists()


def test_access_of_another_member_is_not_counted_twice(subscriber):
    membership = MembershipFactory(subscriber=subscriber)
    infobase = InfobaseFactory(subscriber=subscriber)
    AccessFactory(infobase=infobase, membership=membership)
    AccessFactory(
        infobase=InfobaseFactory(subscriber=subscriber, solution=infobase.solution),
        membership=membership,
    )
    assert licences_record_renewals(month=datetime.date(2026, 12, 1)) == 1


def test_hostile_names_in_the_licence_report_are_never_formulas(events):
    subscriber = events[LegalForm.LEGAL_ENTITY]
    subscriber.name = "+cmd|' /C calc'!A0"
    subscriber.save(update_fields=["name"])
    LicenceEvent.objects.filter(subscriber=subscriber).update(user_full_name="@SUM(1+1)")
    today = timezone.localdate()
    content = reporting.report_csv(date_from=today, date_to=today, legal_form="legal_entity")
    row = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))[1]
    assert row[3] == "'@SUM(1+1)" and row[5] == "'+cmd|' /C calc'!A0"
    book = openpyxl.load_workbook(io.BytesIO(reporting.report_xlsx(date_from=today, date_to=today)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    sheet = book.worksheets[list(LegalForm).index(LegalForm.LEGAL_ENTITY)]
    assert sheet["D2"].value == "@SUM(1+1)" and sheet["F2"].value == "+cmd|' /C calc'!A0"
    assert sheet["A2"].is_date

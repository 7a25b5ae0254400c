import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from billing.models import BankStatement, InvoiceStatus, LineStatus, Payment, StatementLine
from subscribers.models import AuditEntry
from tests.billing.statement_files import Doc, onec
from tests.factories import valid_bin

NOV_20 = datetime.date(2026, 11, 20)


def test_an_accountant_uploads_previews_and_confirms_a_statement(
    staff_client, staff_accountant, charged, subscriber, travel, settings
):
    settings.ONEBUH_OPERATOR_ACCOUNTS = ["KZ566010002000012345"]
    travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC))
    client = staff_client(staff_accountant)
    add = reverse("admin:billing_bankstatement_add")
    assert "enctype" in client.get(add).content.decode()
    raw = onec(
        [
            Doc("1", NOV_20, "30000.00", subscriber.bin),
            Doc("2", NOV_20, "15.00", valid_bin(), payer_name="ТОО «Неизвестный»"),
        ]
    )
    response = client.post(add, {"file": SimpleUploadedFile("kl_to_1c.txt", raw)})
    statement = BankStatement.objects.get()
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "Подтвердить загрузку" in preview
    assert not Payment.objects.exists()
    client.post(reverse("admin:billing_statement_import", args=[statement.pk]))
    charged.refresh_from_db()
    assert charged.status == InvoiceStatus.PAID
    assert AuditEntry.objects.filter(action="billing.statement_import").count() == 1

    line = StatementLine.objects.get()
    queue = client.get(reverse("admin:billing_statementline_changelist") + "?status__exact=waiting")
    assert "ТОО «Неизвестный»" in queue.content.decode()
    page = client.get(reverse("admin:billing_statementline_change", args=[line.pk]))
    assert "Указать абонента и зачислить" in page.content.decode()
    resolve = reverse("admin:billing_statement_line_resolve", args=[line.pk])
    refused = client.post(resolve, {"action": "dismiss", "reason": ""})
    assert refused.status_code == 200
    client.post(resolve, {"action": "assign", "subscriber": subscriber.bin})
    line.refresh_from_db()
    assert line.status == LineStatus.CREDITED
    assert Payment.objects.count() == 2


def test_a_broken_file_is_refused_in_the_form_with_the_line(
    staff_client, staff_accountant, subscriber
):
    client = staff_client(staff_accountant)
    raw = "1CClientBankExchange\nВерсияФормата=1.03\nмусор\nКонецФайла\n".encode("cp1251")
    response = client.post(
        reverse("admin:billing_bankstatement_add"), {"file": SimpleUploadedFile("x.txt", raw)}
    )
    assert response.status_code == 200
    assert "Строка 3" in response.content.decode()
    assert not BankStatement.objects.exists()


def test_an_engineer_cannot_upload_statements(staff_client, operator_engineer):
    client = staff_client(operator_engineer)
    assert client.get(reverse("admin:billing_bankstatement_add")).status_code == 403

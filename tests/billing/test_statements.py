import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from billing.models import (
    BankStatement,
    InvoiceStatus,
    LineProblem,
    LineStatus,
    Payment,
    StatementLine,
)
from billing.selectors import balances_for
from billing.services import (
    billing_run,
    statement_import,
    statement_import_file,
    statement_line_assign,
    statement_line_dismiss,
    statement_upload,
)
from subscribers.models import AuditEntry
from tests.billing.conftest import NOV_1
from tests.billing.factories import SubscriptionFactory
from tests.billing.statement_files import OTHER_OWN_ACCOUNT, OWN_ACCOUNT, Doc, mt940, onec
from tests.factories import SubscriberFactory, valid_bin

NOV_20 = datetime.date(2026, 11, 20)


@pytest.fixture
def accounts(settings):
    settings.ONEBUH_OPERATOR_ACCOUNTS = [OWN_ACCOUNT]


@pytest.fixture
def two_charged(accounts, subscription, tariff, subscriber, travel):
    """The persona subscriber and another one, each with its November invoice of 30 000 ₸."""
    other = SubscriberFactory()
    SubscriptionFactory(subscriber=other, tariff=tariff, billable_from=datetime.date(2026, 11, 1))
    invoices = {i.subscriber_id: i for i in billing_run()}
    travel(NOV_1 + datetime.timedelta(days=19))
    return subscriber, other, invoices[subscriber.pk], invoices[other.pk]


def _import(raw, name="statement.txt"):
    return statement_import_file(raw=raw, file_name=name)


def test_a_windows_1251_statement_credits_by_invoice_number_then_by_payer(two_charged, accounts):
    subscriber, other, invoice, other_invoice = two_charged
    stranger = valid_bin()
    raw = onec(
        [
            # Paid by a third party, but the purpose names the invoice: the invoice wins.
            Doc(
                "1",
                NOV_20,
                "30000.00",
                stranger,
                purpose=f"Оплата по счету № {invoice.display_number}",
            ),
            # No invoice number: the payer's БИН finds the subscriber.
            Doc("1", NOV_20, "30000.00", other.bin, purpose="Оплата за облачный сервис"),
            Doc(
                "7",
                NOV_20,
                "999.00",
                subscriber.bin,
                payee_account="KZ111",
                payer_account=OWN_ACCOUNT,
            ),
            Doc("8", NOV_20, "500.00", subscriber.bin, payee_account=OTHER_OWN_ACCOUNT),
            Doc("9", NOV_20, "100.00", valid_bin(), purpose="Предоплата"),
        ]
    )
    assert "Оплата".encode("cp1251") in raw  # The file really is Windows-1251.
    summary = _import(raw)
    assert (summary["credited"], summary["waiting"], summary["ignored"]) == (2, 1, 2)
    assert summary["rejected"] == []
    invoice.refresh_from_db()
    other_invoice.refresh_from_db()
    assert (invoice.status, other_invoice.status) == (InvoiceStatus.PAID, InvoiceStatus.PAID)
    assert balances_for(subscriber=subscriber)[0] == Decimal("0.00")
    payment = Payment.objects.get(subscriber=subscriber)
    assert (payment.payer_key, payment.external_id, payment.document_date) == (
        stranger,
        "1",
        NOV_20,
    )
    (waiting,) = StatementLine.objects.all()
    assert (waiting.problem, waiting.amount) == (LineProblem.UNMATCHED, Decimal("100.00"))
    audit = AuditEntry.objects.get(action="billing.statement_import")
    assert audit.data["credited"] == 2


def test_importing_an_overlapping_statement_credits_nothing_twice(two_charged):
    subscriber, other, invoice, _ = two_charged
    first = [
        Doc("11", NOV_20, "10000.00", subscriber.bin),
        Doc("12", NOV_20, "50.00", valid_bin()),
    ]
    _import(onec(first))
    second = [*first, Doc("13", NOV_20 + datetime.timedelta(days=1), "20000.00", subscriber.bin)]
    summary = _import(onec(second, end=datetime.date(2026, 11, 30)))
    assert (summary["credited"], summary["known"], summary["waiting"]) == (1, 2, 0)
    assert Payment.objects.filter(subscriber=subscriber).count() == 2
    assert StatementLine.objects.count() == 1
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_two_payers_with_the_same_document_number_on_the_same_day_are_two_payments(two_charged):
    subscriber, other, invoice, other_invoice = two_charged
    raw = onec(
        [
            Doc("1", NOV_20, "30000.00", subscriber.bin),
            Doc("1", NOV_20, "30000.00", other.bin),
        ]
    )
    assert _import(raw)["credited"] == 2
    assert Payment.objects.filter(external_id="1").count() == 2
    other_invoice.refresh_from_db()
    assert other_invoice.status == InvoiceStatus.PAID


def test_lines_naming_invoices_of_two_subscribers_wait_as_ambiguous(two_charged):
    subscriber, other, invoice, other_invoice = two_charged
    purpose = f"Оплата по счету № {invoice.number} и счет {other_invoice.number}"
    summary = _import(onec([Doc("5", NOV_20, "60000.00", valid_bin(), purpose=purpose)]))
    assert summary["waiting"] == 1
    line = StatementLine.objects.get()
    assert line.problem == LineProblem.AMBIGUOUS
    assert sorted(line.candidates) == sorted([subscriber.pk, other.pk])
    assert not Payment.objects.exists()


def test_a_broken_line_is_named_and_nothing_is_credited(two_charged):
    subscriber, *_ = two_charged
    raw = onec(
        [Doc("1", NOV_20, "30000.00", subscriber.bin), Doc("2", NOV_20, "12,3,4", subscriber.bin)]
    )
    with pytest.raises(ValidationError) as error:
        _import(raw)
    # The second document's Сумма: 17 header lines, 18 per document, then its 4th line.
    assert "39" in error.value.messages[0]
    assert "Сумма" in error.value.messages[0]
    assert not Payment.objects.exists()
    assert not BankStatement.objects.exists()


@pytest.mark.parametrize(
    "raw, fragment",
    [
        (b"", "пуст"),
        (b"hello", "Строка 1"),
        (
            "1CClientBankExchange\nВерсияФормата=1.03\nСекцияДокумент=Платежное поручение\nНомер=1\n".encode(),
            "КонецДокумента",
        ),
        (
            "1CClientBankExchange\nВерсияФормата=1.03\nмусор без знака\nКонецФайла\n".encode(),
            "Строка 3",
        ),
        ("1CClientBankExchange\nВерсияФормата=2.00\nКонецФайла\n".encode(), "2.00"),
    ],
)
def test_malformed_files_get_a_russian_error(db, accounts, raw, fragment):
    with pytest.raises(ValidationError) as error:
        _import(raw)
    assert fragment in error.value.messages[0]


def test_a_utf8_statement_of_format_version_1_02_is_read(two_charged):
    subscriber, *_ = two_charged
    raw = onec([Doc("3", NOV_20, "30000", subscriber.bin)], version="1.02", encoding="UTF-8")
    raw.decode("utf-8")
    assert _import(raw)["credited"] == 1


def test_an_mt940_statement_credits_credits_and_ignores_debits(two_charged):
    subscriber, other, invoice, _ = two_charged
    raw = mt940(
        [
            Doc("000123", NOV_20, "30000.00", subscriber.bin, purpose=f"Счет № {invoice.number}"),
            Doc(
                "000124",
                NOV_20,
                "700.00",
                subscriber.bin,
                payee_account="KZ000",
                payer_account=OWN_ACCOUNT,
            ),
        ]
    )
    summary = _import(raw, "statement.sta")
    assert (summary["format"], summary["credited"], summary["ignored"]) == ("mt940", 1, 1)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert _import(raw, "statement.sta")["known"] == 1


def test_a_statement_in_another_currency_is_rejected_with_the_reason(two_charged):
    subscriber, *_ = two_charged
    summary = _import(mt940([Doc("5", NOV_20, "100.00", subscriber.bin)], currency="USD"))
    assert summary["credited"] == 0
    assert "USD" in summary["rejected"][0]["reason"]
    assert not Payment.objects.exists()


def test_a_waiting_line_is_credited_when_the_accountant_assigns_it(two_charged, staff_accountant):
    subscriber, *_ = two_charged
    _import(onec([Doc("77", NOV_20, "30000.00", valid_bin())]))
    line = StatementLine.objects.get()
    payment = statement_line_assign(line=line, subscriber=subscriber, actor=staff_accountant)
    line.refresh_from_db()
    assert (line.status, line.payment) == (LineStatus.CREDITED, payment)
    assert balances_for(subscriber=subscriber)[0] == Decimal("0.00")
    with pytest.raises(ValidationError):
        statement_line_assign(line=line, subscriber=subscriber, actor=staff_accountant)


def test_a_dismissal_needs_a_reason(two_charged, staff_accountant):
    _import(onec([Doc("78", NOV_20, "10.00", valid_bin())]))
    line = StatementLine.objects.get()
    with pytest.raises(ValidationError):
        statement_line_dismiss(line=line, reason="  ", actor=staff_accountant)
    statement_line_dismiss(line=line, reason="Возврат отправителю", actor=staff_accountant)
    line.refresh_from_db()
    assert (line.status, line.dismiss_reason) == (LineStatus.DISMISSED, "Возврат отправителю")
    assert not Payment.objects.exists()


def test_the_preview_credits_nothing_until_confirmed(two_charged, staff_accountant):
    subscriber, *_ = two_charged
    statement = statement_upload(
        raw=onec([Doc("1", NOV_20, "30000.00", subscriber.bin)]), file_name="s.txt", actor=None
    )
    assert statement.summary["credited"] == 1
    assert statement.summary["preview"][0]["outcome"] == "credited"
    assert not Payment.objects.exists()
    statement_import(statement=statement, actor=staff_accountant)
    assert Payment.objects.count() == 1
    with pytest.raises(ValidationError):
        statement_import(statement=statement, actor=staff_accountant)


def test_the_command_has_a_dry_run(two_charged, tmp_path, capsys):
    subscriber, *_ = two_charged
    path = tmp_path / "kl_to_1c.txt"
    path.write_bytes(onec([Doc("1", NOV_20, "30000.00", subscriber.bin)]))
    call_command("billing_import_statement", str(path), "--dry-run")
    assert "credited 1" in capsys.readouterr().out
    assert not Payment.objects.exists()
    call_command("billing_import_statement", str(path))
    assert Payment.objects.count() == 1


def test_queries_do_not_grow_with_the_lines(accounts, tariff, travel, django_assert_num_queries):
    travel(NOV_1)
    subscribers = SubscriberFactory.create_batch(40)
    for s in subscribers:
        SubscriptionFactory(subscriber=s, tariff=tariff, billable_from=datetime.date(2026, 11, 1))
    billing_run()
    travel(NOV_1 + datetime.timedelta(days=19))

    for chosen, number in ((subscribers[:5], "a"), (subscribers[5:40], "b")):
        raw = onec([Doc(f"{number}-{i}", NOV_20, "100.00", s.bin) for i, s in enumerate(chosen)])
        with django_assert_num_queries(23):
            summary = _import(raw)
        assert summary["credited"] == len(chosen)

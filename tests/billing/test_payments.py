import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import InvoiceStatus, LedgerEntry, Payment, PaymentMethod
from billing.selectors import balances_for, debt_for
from billing.services import billing_run, payment_record
from onebuh.webhooks import signed_headers
from tests.conftest import at

SECRET = "test-webhook-secret"
URL = "/webhooks/payments/"


@pytest.fixture
def webhook(client, settings):
    settings.ONEBUH_PAYMENT_WEBHOOK_SECRET = SECRET

    def post(body, signature=None):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = signed_headers(body=raw, secret=SECRET)
        if signature is not None:
            headers["HTTP_X_SIGNATURE"] = signature
        return client.post(URL, raw, content_type="application/json", **headers)

    return post


def _body(subscriber, payment_id="kaspi-1", amount="30000.00"):
    return {"payment_id": payment_id, "account": subscriber.pk, "amount": amount, "currency": "KZT"}


def test_the_webhook_url_is_outside_the_panel():
    assert reverse("billing_webhooks:payment") == URL


def test_a_signed_payment_pays_the_invoice(webhook, charged, subscriber):
    response = webhook(_body(subscriber))
    assert response.status_code == 200
    assert response.json()["status"] == "credited"
    charged.refresh_from_db()
    assert charged.status == InvoiceStatus.PAID
    assert balances_for(subscriber=subscriber) == (Decimal("0.00"), Decimal("0.00"))


def test_the_same_provider_payment_twice_credits_once(webhook, charged, subscriber):
    assert webhook(_body(subscriber)).json()["status"] == "credited"
    replay = webhook(_body(subscriber))
    assert replay.status_code == 200
    assert replay.json()["status"] == "duplicate"
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


def test_a_bad_signature_gets_403_and_changes_nothing(webhook, charged, subscriber):
    response = webhook(_body(subscriber), signature="0" * 64)
    assert response.status_code == 403
    missing = webhook(_body(subscriber), signature="")
    assert missing.status_code == 403
    assert not Payment.objects.exists()
    charged.refresh_from_db()
    assert charged.status == InvoiceStatus.OPEN


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        {"account": 1, "amount": "10.00"},
        {"payment_id": "x", "amount": "10.00"},
        {"payment_id": "x", "account": "abc", "amount": "10.00"},
        {"payment_id": "x", "account": 1, "amount": "ten"},
        {"payment_id": "x", "account": 1, "amount": "-5"},
        {"payment_id": "x", "account": 1, "amount": "10.001"},
        {"payment_id": "x", "account": 1, "amount": "NaN"},
        {"payment_id": "x", "account": 1, "amount": "10.00", "currency": "USD"},
        {"payment_id": "x", "account": 1, "amount": "10.00", "paid_at": "yesterday"},
        {"payment_id": "x", "account": 999999999, "amount": "10.00"},
    ],
)
def test_a_malformed_body_gets_400_with_a_russian_message(webhook, subscriber, body):
    if isinstance(body, dict) and body.get("account") == 1:
        body = {**body, "account": subscriber.pk}
    response = webhook(body)
    assert response.status_code == 400
    assert any("а" <= ch <= "я" for ch in response.json()["error"].lower())
    assert not Payment.objects.exists()


def test_the_webhook_refuses_when_no_secret_is_configured(client, settings, subscriber):
    settings.ONEBUH_PAYMENT_WEBHOOK_SECRET = ""
    raw = json.dumps(_body(subscriber)).encode()
    response = client.post(
        URL, raw, content_type="application/json", **signed_headers(body=raw, secret="")
    )
    assert response.status_code == 503
    assert not Payment.objects.exists()


def test_a_payment_pays_the_oldest_open_invoice_first_and_keeps_partial_payments(
    charged, subscriber, travel
):
    travel(at(datetime.date(2026, 12, 1), 9))
    (december,) = billing_run()
    payment_record(
        subscriber=subscriber, amount=Decimal("40000.00"), method="bank_transfer", external_id="a"
    )
    charged.refresh_from_db()
    december.refresh_from_db()
    assert charged.status == InvoiceStatus.PAID
    assert december.paid_amount == Decimal("10000.00")
    assert december.status == InvoiceStatus.OPEN
    assert debt_for(subscriber=subscriber) == Decimal("20000.00")


def test_an_overpayment_stays_as_an_advance_for_the_next_invoice(charged, subscriber, travel):
    payment_record(
        subscriber=subscriber, amount=Decimal("45000.00"), method="bank_transfer", external_id="b"
    )
    travel(at(datetime.date(2026, 12, 1), 9))
    (december,) = billing_run()
    assert december.paid_amount == Decimal("15000.00")
    assert debt_for(subscriber=subscriber) == Decimal("15000.00")


def test_an_accountant_records_a_bank_transfer_in_admin(
    staff_client, staff_accountant, charged, subscriber, travel
):
    travel(datetime.datetime(2026, 11, 21, 9, 0, tzinfo=datetime.UTC))  # after its receipt
    client = staff_client(staff_accountant)
    response = client.post(
        reverse("admin:billing_payment_add"),
        {
            "subscriber": subscriber.pk,
            "amount": "30000.00",
            "external_id": "ПП-125",
            "document_date": "20.11.2026",
            "received_at_0": "20.11.2026",
            "received_at_1": "10:00:00",
            "comment": "Платёжное поручение",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    payment = Payment.objects.get()
    assert (payment.method, payment.recorded_by) == (PaymentMethod.BANK_TRANSFER, staff_accountant)
    charged.refresh_from_db()
    assert charged.status == InvoiceStatus.PAID
    again = client.post(
        reverse("admin:billing_payment_add"),
        {
            "subscriber": subscriber.pk,
            "amount": "30000.00",
            "external_id": "ПП-125",
            "document_date": "20.11.2026",
            "received_at_0": "20.11.2026",
            "received_at_1": "10:00:00",
        },
    )
    assert again.status_code == 200
    assert Payment.objects.count() == 1


# Hostile input (issue 11, item 7): refused with a Russian message, never a 500, nothing credited.
@pytest.mark.parametrize(
    "changes",
    [
        {"amount": "1000000000000000"},  # 10^15: more than the ledger holds
        {"amount": 10**15},
        {"amount": "1e400"},
        {"amount": True},
        {"amount": [1]},
        {"payment_id": "x" * 101},  # refused, never cut to 100 (two long ids would collide)
        {"payment_id": "pay\x00ment"},
        {"payment_id": "pay\u200bment\n"},
        {"payment_id": {"id": 1}},
        {"account": "1" * 40},
        {"account": 10**30},
        {"paid_at": "2099-01-01T00:00:00+05:00"},
        {"paid_at": "2026-11-31T25:61:00+05:00"},
        {"paid_at": "x" * 10000},
        {"currency": ["KZT"]},
    ],
)
def test_hostile_payment_notices_get_400_and_change_nothing(webhook, subscriber, changes):
    response = webhook({**_body(subscriber), **changes})
    assert response.status_code == 400, response.content
    assert any("а" <= ch <= "я" for ch in response.json()["error"].lower())
    assert not Payment.objects.exists()


def test_deeply_nested_or_huge_numbers_never_answer_500(webhook, subscriber):
    assert webhook(b"[" * 100000 + b"]" * 100000).status_code == 400
    assert webhook(b'{"payment_id": "x", "account": 1' + b"0" * 5000 + b"}").status_code == 400
    assert not Payment.objects.exists()


def test_two_long_distinct_ids_are_two_payments(webhook, charged, subscriber):
    first, second = "a" * 99 + "1", "a" * 99 + "2"
    assert webhook(_body(subscriber, payment_id=first, amount="10.00")).status_code == 200
    assert webhook(_body(subscriber, payment_id=second, amount="10.00")).json()["status"] == (
        "credited"
    )
    assert Payment.objects.count() == 2


def test_a_nul_in_a_free_field_is_not_stored(webhook, charged, subscriber):
    response = webhook({**_body(subscriber), "comment": "evil\x00"})
    assert response.status_code == 200
    assert "comment" not in Payment.objects.get().payload


def test_two_companies_paying_with_their_order_no_1_are_both_credited(
    charged, subscriber, other_subscriber
):
    day = datetime.date(2026, 11, 5)
    one, created_one = payment_record(
        subscriber=subscriber,
        amount=Decimal("100.00"),
        method="bank_transfer",
        external_id="1",
        document_date=day,
    )
    two, created_two = payment_record(
        subscriber=other_subscriber,
        amount=Decimal("100.00"),
        method="bank_transfer",
        external_id="1",
        document_date=day,
    )
    assert created_one and created_two and one != two
    assert (one.subscriber, two.subscriber) == (subscriber, other_subscriber)
    again, created = payment_record(
        subscriber=subscriber,
        amount=Decimal("100.00"),
        method="bank_transfer",
        external_id="1",
        document_date=day,
    )
    assert (again, created) == (one, False)


def test_the_admin_accepts_another_company_order_no_1(
    staff_client, staff_accountant, charged, subscriber, other_subscriber
):
    client = staff_client(staff_accountant)
    add = reverse("admin:billing_payment_add")
    assert client.get(add).status_code == 200
    for who in (subscriber, other_subscriber):
        response = client.post(
            add,
            {
                "subscriber": who.pk,
                "amount": "500.00",
                "external_id": "1",
                "document_date": "01.11.2026",
                "received_at_0": "01.11.2026",
                "received_at_1": "08:00:00",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    assert Payment.objects.filter(external_id="1").count() == 2


def test_a_manual_payment_cannot_be_received_in_the_future(
    staff_client, staff_accountant, subscriber
):
    client = staff_client(staff_accountant)
    assert client.get(reverse("admin:billing_payment_add")).status_code == 200
    response = client.post(
        reverse("admin:billing_payment_add"),
        {
            "subscriber": subscriber.pk,
            "amount": "1000.00",
            "external_id": "ПП-999",
            "document_date": "20.11.2026",
            "received_at_0": "20.11.2099",
            "received_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "Дата поступления не может быть в будущем." in response.content.decode()
    assert Payment.objects.count() == 0

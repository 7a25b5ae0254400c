import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import InvoiceStatus, LedgerEntry, Payment, PaymentMethod
from billing.selectors import balances_for, debt_for
from billing.services import billing_run, payment_record
from onebuh.webhooks import signed_headers
from tests.billing.conftest import at

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
    travel(at(datetime.date(2026, 12, 1)))
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
    travel(at(datetime.date(2026, 12, 1)))
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
            "amount": "1.00",
            "external_id": "ПП-125",
            "received_at_0": "20.11.2026",
            "received_at_1": "10:00:00",
        },
    )
    assert again.status_code == 200
    assert Payment.objects.count() == 1


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
            "received_at_0": "20.11.2099",
            "received_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "Дата поступления не может быть в будущем." in response.content.decode()
    assert Payment.objects.count() == 0

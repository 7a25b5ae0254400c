"""CloudPayments: notifications replayed byte for byte as the provider's published samples, the
order flow from the "Оплатить" button, the sandbox page. The provider's servers are mocked."""

import datetime
import io
import json
from decimal import Decimal
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from billing.models import InvoiceStatus, OrderStatus, Payment, PaymentOrder
from billing.providers.cloudpayments import content_hmac
from billing.services.online import payment_order_create

# The published sample of a Pay notification and its Content-HMAC with the API secret "pass"
# (the CloudPayments Ruby client's webhook spec): RUB, InvoiceId 1234567, TransactionId 666.
SAMPLE_SECRET = "pass"
SAMPLE_BODY = (
    b"TransactionId=666&Amount=123.00&Currency=RUB&PaymentAmount=123.00&PaymentCurrency=RUB"
    b"&InvoiceId=1234567&AccountId=user%40example.com&SubscriptionId=&Name=VLADIMIR+KOCHNEV"
    b"&Email=user%40example.com&DateTime=2015-11-17+14%3a51%3a20&IpAddress=127.0.0.1"
    b"&IpCountry=RU&IpCity=%d0%a1%d0%b0%d0%bd%d0%ba%d1%82-%d0%9f%d0%b5%d1%82%d0%b5%d1%80%d0%b1"
    b"%d1%83%d1%80%d0%b3&IpRegion=%d0%a1%d0%b0%d0%bd%d0%ba%d1%82-%d0%9f%d0%b5%d1%82%d0%b5%d1%80"
    b"%d0%b1%d1%83%d1%80%d0%b3&IpDistrict=%d0%a1%d0%b5%d0%b2%d0%b5%d1%80%d0%be-%d0%97%d0%b0%d0"
    b"%bf%d0%b0%d0%b4%d0%bd%d1%8b%d0%b9+%d1%84%d0%b5%d0%b4%d0%b5%d1%80%d0%b0%d0%bb%d1%8c%d0%bd"
    b"%d1%8b%d0%b9+%d0%be%d0%ba%d1%80%d1%83%d0%b3&IpLatitude=59.939000&IpLongitude=30.315800"
    b"&CardFirstSix=411111&CardLastFour=1111&CardType=Visa&CardExpDate=01%2f19&Issuer="
    b"&IssuerBankCountry=&Description=%d0%9e%d0%bf%d0%bb%d0%b0%d1%82%d0%b0+%d0%b2+example.com"
    b"&AuthCode=DEADBEEF&Token=1234567890&TestMode=1&Status=Completed"
)
SAMPLE_HMAC = "tJW02TMAce4Em8eJTNqjhOax+BYRM5K2D8mX9xsmUUc="
# The published answer of orders/create (same client's fixtures).
ORDER_CREATED = (
    b'{"Model":{"Id":"f2K8LV6reGE9WBFn","Number":61,"Amount":10.0,"Currency":"RUB",'
    b'"CurrencyCode":0,"Email":"client@test.local","Description":"\xd0\x9e\xd0\xbf\xd0\xbb'
    b'\xd0\xb0\xd1\x82\xd0\xb0","RequireConfirmation":true,'
    b'"Url":"https://orders.cloudpayments.ru/d/f2K8LV6reGE9WBFn"},"Success":true}'
)


@pytest.fixture
def cloudpayments(settings):
    settings.ONEBUH_PAYMENT_PROVIDER = "cloudpayments"
    settings.ONEBUH_CLOUDPAYMENTS = {
        "public_id": "pk_test",
        "api_secret": SAMPLE_SECRET,
        "api_url": "https://api.cloudpayments.ru",
    }


def _notify(client, kind, fields_or_body, secret=SAMPLE_SECRET, signature=None):
    body = (
        fields_or_body if isinstance(fields_or_body, bytes) else urlencode(fields_or_body).encode()
    )
    return client.post(
        f"/webhooks/payments/cloudpayments/{kind}/",
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_CONTENT_HMAC=signature or content_hmac(body=body, secret=secret),
    )


def _fields(order, **changes):
    """A notification with the published sample's fields, for our order in tenge."""
    fields = {
        "TransactionId": "1701609",
        "Amount": f"{order.amount:.2f}",
        "Currency": "KZT",
        "PaymentAmount": f"{order.amount:.2f}",
        "PaymentCurrency": "KZT",
        "InvoiceId": str(order.pk),
        "AccountId": str(order.subscriber_id),
        "SubscriptionId": "",
        "Name": "OLEG FOMIN",
        "Email": "user@example.com",
        "DateTime": "2026-11-05 04:06:17",
        "IpAddress": "127.0.0.1",
        "CardFirstSix": "411111",
        "CardLastFour": "1111",
        "CardType": "Visa",
        "CardExpDate": "01/29",
        "Description": "Оплата в example.com",
        "AuthCode": "A1B2C3",
        "TestMode": "1",
        "Status": "Completed",
    }
    return {**fields, **changes}


@pytest.fixture
def order(cloudpayments, charged, subscriber, travel):
    travel(datetime.datetime(2026, 11, 5, 10, 0, tzinfo=datetime.UTC))
    return payment_order_create(
        subscriber=subscriber, provider_code="cloudpayments", invoice=charged
    )


def test_the_published_sample_is_verified_and_refused_for_its_currency(client, cloudpayments, db):
    PaymentOrder.objects.all()  # no order 1234567 exists: the sample is for another shop
    response = _notify(client, "pay", SAMPLE_BODY, signature=SAMPLE_HMAC)
    assert response.status_code == 200  # the signature of the sample verifies byte for byte
    assert response.json() == {"code": 10}
    assert not Payment.objects.exists()


def test_a_forged_sample_is_refused(client, cloudpayments, db):
    forged = SAMPLE_BODY.replace(b"Amount=123.00", b"Amount=923.00")
    response = _notify(client, "pay", forged, signature=SAMPLE_HMAC)
    assert response.status_code == 403
    assert not Payment.objects.exists()


def test_check_accepts_the_order_and_pay_credits_it_once(client, order, charged, subscriber):
    assert _notify(client, "check", _fields(order)).json() == {"code": 0}
    assert _notify(client, "pay", _fields(order)).json() == {"code": 0}
    charged.refresh_from_db()
    order.refresh_from_db()
    assert charged.status == InvoiceStatus.PAID
    assert order.status == OrderStatus.PAID
    payment = Payment.objects.get()
    assert (payment.provider, payment.external_id, payment.amount) == (
        "cloudpayments",
        "1701609",
        Decimal("30000.00"),
    )
    replay = _notify(client, "pay", _fields(order))
    assert replay.json() == {"code": 0}
    assert Payment.objects.count() == 1
    assert _notify(client, "check", _fields(order)).json() == {"code": 13}  # already paid


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"Amount": "1.00"}, 12),
        ({"Currency": "RUB"}, 12),
        ({"AccountId": "999999"}, 11),
        ({"InvoiceId": "999999"}, 10),
        ({"InvoiceId": "1" * 40}, 10),
        ({"InvoiceId": "x\x00"}, 10),
        ({"TransactionId": "a" * 200}, 13),
        ({"DateTime": "2099-01-01 00:00:00"}, 13),
        ({"DateTime": "garbage"}, 13),
    ],
)
def test_a_notification_that_does_not_match_the_order_credits_nothing(
    client, order, charged, changes, code
):
    if "InvoiceId" not in changes and "AccountId" not in changes and "Amount" not in changes:
        assert _notify(client, "check", _fields(order)).json() == {"code": 0}
    response = _notify(client, "pay", _fields(order, **changes))
    assert response.status_code == 200
    assert response.json() == {"code": code}
    assert not Payment.objects.exists()
    charged.refresh_from_db()
    assert charged.status == InvoiceStatus.OPEN


def test_fail_marks_the_order_failed(client, order):
    fields = _fields(order, Status="Declined", Reason="InsufficientFunds", ReasonCode="5051")
    assert _notify(client, "fail", fields).json() == {"code": 0}
    order.refresh_from_db()
    assert (order.status, order.failure) == (OrderStatus.FAILED, "InsufficientFunds")


def test_a_json_notification_is_read_too(client, order, charged):
    body = json.dumps(_fields(order)).encode()
    response = client.post(
        "/webhooks/payments/cloudpayments/pay/",
        body,
        content_type="application/json",
        HTTP_CONTENT_HMAC=content_hmac(body=body, secret=SAMPLE_SECRET),
    )
    assert response.json() == {"code": 0}


@pytest.mark.parametrize("body", [b"\xff\xfe", b"a=" + b"%00" * 10, b"&&&===", b"x" * 70000])
def test_hostile_bodies_never_answer_500(client, order, body):
    response = _notify(client, "pay", body)
    assert response.status_code in (200, 413)
    assert not Payment.objects.exists()


def test_the_pay_button_creates_an_order_and_redirects_to_the_provider(
    client, owner, cloudpayments, charged, travel
):
    client.force_login(owner)
    page = client.get(reverse("billing:index")).content.decode()
    assert reverse("billing:invoice_pay", args=[charged.pk]) in page
    answer = io.BytesIO(ORDER_CREATED)
    with mock.patch("urllib.request.urlopen", return_value=answer) as urlopen:
        response = client.post(reverse("billing:invoice_pay", args=[charged.pk]))
    assert response.status_code == 302
    assert response["Location"] == "https://orders.cloudpayments.ru/d/f2K8LV6reGE9WBFn"
    sent = urlopen.call_args.args[0]
    assert sent.full_url == "https://api.cloudpayments.ru/orders/create"
    payload = json.loads(sent.data)
    order = PaymentOrder.objects.get()
    assert payload["InvoiceId"] == str(order.pk) and payload["Currency"] == "KZT"
    assert payload["Amount"] == 30000.0
    assert order.provider_reference == "f2K8LV6reGE9WBFn"


def test_the_provider_down_is_a_message_not_an_error(client, owner, cloudpayments, charged):
    client.force_login(owner)
    with mock.patch("urllib.request.urlopen", side_effect=TimeoutError):
        response = client.post(reverse("billing:pay"), follow=True)
    assert "не отвечает" in response.content.decode()


def test_the_sandbox_completes_the_flow(client, owner, settings, charged, subscriber):
    settings.ONEBUH_PAYMENT_PROVIDER = "sandbox"
    client.force_login(owner)
    response = client.post(reverse("billing:pay"))
    order = PaymentOrder.objects.get()
    assert response["Location"] == reverse("billing:pay_sandbox", args=[order.pk])
    page = client.get(response["Location"]).content.decode()
    assert "ПЕСОЧНИЦА" in page.upper()
    client.post(response["Location"], {"action": "pay"})
    charged.refresh_from_db()
    assert charged.status == InvoiceStatus.PAID
    assert Payment.objects.get().provider == "sandbox"


def test_another_subscribers_sandbox_order_is_404(client, outsider, settings, charged, subscriber):
    settings.ONEBUH_PAYMENT_PROVIDER = "sandbox"
    order = payment_order_create(subscriber=subscriber, provider_code="sandbox")
    client.force_login(outsider)
    assert client.get(reverse("billing:pay_sandbox", args=[order.pk])).status_code == 404
    assert (
        client.post(reverse("billing:pay_sandbox", args=[order.pk]), {"action": "pay"}).status_code
        == 404
    )
    assert not Payment.objects.exists()

"""Every inbound webhook (payments, 1C-Connect, mail) is signed over its sending time and body:
a stale or future time, a missing time or a signature over another time is refused with 403 and
changes nothing; a repeat within the window is taken once (idempotent event ids)."""

import datetime
import json
from dataclasses import dataclass

import pytest
import time_machine
from django.urls import reverse

from billing.models import LedgerEntry, Payment
from onebuh.webhooks import sign, signed_headers
from subscribers.models import AuditEntry
from support.models import InboundMessage, Ticket
from tests.factories import MembershipFactory
from tests.support.mime import raw_email

NOW = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
SECRET = "shared-webhook-secret"


@dataclass
class Hook:
    url: str
    body: bytes
    content_type: str


@pytest.fixture(autouse=True)
def _secrets(settings):
    settings.ONEBUH_PAYMENT_WEBHOOK_SECRET = SECRET
    settings.ONEBUH_CONNECT_WEBHOOK_SECRET = SECRET
    settings.ONEBUH_MAIL_WEBHOOK_SECRET = SECRET
    settings.ONEBUH_WEBHOOK_TOLERANCE_SECONDS = 300


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(params=["payment", "connect", "email"])
def hook(request, subscriber, owner):
    if request.param == "payment":
        payload = {"payment_id": "p-1", "account": subscriber.pk, "amount": "1000.00"}
        return Hook(reverse("billing_webhooks:payment"), json.dumps(payload).encode(), "json")
    if request.param == "connect":
        payload = {"message_id": "m-1", "dialog_id": "d-1", "text": "Не открывается база"}
        payload["client"] = {"id": "c-1", "email": owner.email, "name": "Айгерим"}
        return Hook(reverse("support_webhooks:connect"), json.dumps(payload).encode(), "json")
    MembershipFactory(subscriber=subscriber, user__email="client@example.kz")
    return Hook(reverse("support_webhooks:email"), raw_email(), "message/rfc822")


def _state():
    return (
        Payment.objects.count(),
        LedgerEntry.objects.count(),
        Ticket.objects.count(),
        InboundMessage.objects.count(),
        AuditEntry.objects.count(),
    )


def _post(client, hook: Hook, headers: dict):
    content_type = "application/json" if hook.content_type == "json" else hook.content_type
    return client.post(hook.url, hook.body, content_type=content_type, **headers)


def _message(response) -> str:
    body = response.json()
    return body.get("detail") or body.get("error")


def _at(seconds_from_now: int) -> int:
    return int(NOW.timestamp()) + seconds_from_now


@pytest.mark.parametrize("offset", [-301, -3600, 301], ids=["stale", "an-hour-old", "future"])
def test_a_call_signed_outside_the_window_is_403_and_changes_nothing(client, hook, offset):
    before = _state()
    headers = signed_headers(body=hook.body, secret=SECRET, timestamp=_at(offset))
    response = _post(client, hook, headers)
    assert response.status_code == 403
    assert "проверьте часы отправителя" in _message(response)
    assert _state() == before


def test_a_call_signed_within_the_window_is_taken(client, hook):
    before = _state()
    headers = signed_headers(body=hook.body, secret=SECRET, timestamp=_at(-240))
    response = _post(client, hook, headers)
    assert response.status_code in (200, 201), response.content
    assert _state() != before


def test_a_repeat_within_the_window_is_taken_once(client, hook):
    headers = signed_headers(body=hook.body, secret=SECRET, timestamp=_at(-10))
    assert _post(client, hook, headers).status_code in (200, 201)
    after_first = _state()
    again = _post(client, hook, headers)
    assert again.status_code == 200
    assert _state() == after_first


def test_a_signature_over_the_body_alone_is_refused(client, hook):
    """The former scheme (HMAC of the body, no time) no longer passes."""
    import hashlib
    import hmac

    before = _state()
    old_style = hmac.new(SECRET.encode(), hook.body, hashlib.sha256).hexdigest()
    headers = {"HTTP_X_SIGNATURE": old_style, "HTTP_X_ONEBUH_TIMESTAMP": str(_at(0))}
    assert _post(client, hook, headers).status_code == 403
    assert _post(client, hook, {"HTTP_X_SIGNATURE": old_style}).status_code == 403
    assert _state() == before


def test_moving_the_timestamp_breaks_the_signature(client, hook):
    before = _state()
    headers = {
        "HTTP_X_ONEBUH_TIMESTAMP": str(_at(0)),
        "HTTP_X_SIGNATURE": sign(body=hook.body, secret=SECRET, timestamp=_at(-3600)),
    }
    assert _post(client, hook, headers).status_code == 403
    assert _state() == before


def test_a_wrong_secret_is_refused(client, hook):
    before = _state()
    headers = signed_headers(body=hook.body, secret="guessed", timestamp=_at(0))
    assert _post(client, hook, headers).status_code == 403
    assert _state() == before


def test_the_signature_is_compared_in_constant_time(monkeypatch, client, hook):
    import hmac

    compared = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    headers = signed_headers(body=hook.body, secret=SECRET, timestamp=_at(0))
    assert _post(client, hook, headers).status_code in (200, 201)
    assert compared and compared[-1][0] == compared[-1][1]

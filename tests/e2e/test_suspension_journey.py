"""Journey 4: an overdue invoice suspends the subscriber (3.5), the panel shows the debt, a
signed payment from the provider's webhook resumes access at once."""

import datetime
import hashlib
import hmac
import json
import time
import urllib.request

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from billing.demo import TARIFFS
from billing.models import InvoiceStatus, Tariff
from billing.selectors import debt_for
from billing.services import subscription_order
from billing.templatetags.billing_tags import kzt
from subscribers.models import SubscriberStatus

from .helpers import E2E, PAYMENT_WEBHOOK_SECRET, sign_in

JOURNEY = "4-suspension"

pytestmark = E2E


@pytest.fixture
def invoice(subscriber, owner):
    """The subscriber ordered «Стандарт» today: the first invoice is due in 10 days."""
    tariff = Tariff.objects.create(**TARIFFS[1])
    return subscription_order(subscriber=subscriber, tariff=tariff, actor=owner)


def post_payment(url: str, payload: dict) -> tuple[int, dict]:
    """POST as the payment provider does: X-Signature = hex HMAC-SHA256 of "{timestamp}.{body}"
    with the shared secret, X-Onebuh-Timestamp = Unix seconds (onebuh/webhooks.py)."""
    body = json.dumps(payload).encode()
    timestamp = str(int(time.time()))
    signature = hmac.new(
        PAYMENT_WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Onebuh-Timestamp": timestamp,
            "X-Signature": signature,
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.load(response)


def test_overdue_invoice_suspends_and_the_webhook_payment_resumes_access(
    open_page, shot, live_server, time_machine, subscriber, owner, invoice
):
    # 3.5: unpaid by its due date, the invoice suspends access from the next day on. The clock
    # moves for the live server's thread too (one process).
    day_after_due = datetime.datetime.combine(
        invoice.due_date + datetime.timedelta(days=1), datetime.time(12, 0)
    )
    time_machine.move_to(timezone.make_aware(day_after_due), tick=True)
    call_command("billing_suspend")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.SUSPENDED
    debt = debt_for(subscriber=subscriber)
    assert debt == invoice.total > 0
    assert any(owner.email in m.to or subscriber.responsible_email in m.to for m in mail.outbox)

    page = open_page()
    sign_in(page, owner.email)
    banner = page.locator(".banner.danger")
    assert "Доступ к Сервису приостановлен." in banner.inner_text()
    assert f"Долг: {kzt(debt)}." in banner.inner_text()
    shot(page, "suspended-dashboard")
    banner.get_by_role("link", name="Как оплатить").click()
    assert f"К оплате: {kzt(debt)}" in page.locator("main").inner_text()
    assert page.locator("#how-to-pay").is_visible()
    shot(page, "debt-on-billing-page")

    # The provider reports the payment to the personal account: access comes back at once.
    status, answer = post_payment(
        f"{live_server.url}/webhooks/payments/",
        {
            "payment_id": "kaspi-2026-000123",
            "account": subscriber.pk,
            "amount": str(debt),
            "currency": "KZT",
        },
    )
    assert (status, answer["status"]) == (200, "credited")
    subscriber.refresh_from_db()
    invoice.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert invoice.status == InvoiceStatus.PAID

    page.reload()
    assert page.locator(".banner.danger").count() == 0
    assert "К оплате" not in page.locator("main").inner_text()
    assert kzt(debt) in page.locator("section", has_text="Платежи").last.inner_text()
    shot(page, "paid-billing-page")
    page.get_by_role("link", name="Обзор").click()
    assert page.locator(".page-head .badge").inner_text() == "Активен"
    shot(page, "resumed-dashboard")

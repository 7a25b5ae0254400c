import datetime
from decimal import Decimal

from django.urls import reverse

from billing.services import ledger_credit_bonus, payment_record, subscribers_suspend_overdue
from subscribers.models import MemberRole
from tests.billing.conftest import at


def test_the_billing_page_shows_balances_invoices_payments_bonuses_and_history(
    client, charged, subscriber, owner, travel, django_assert_max_num_queries
):
    payment_record(
        subscriber=subscriber, amount=Decimal("12345.00"), method="bank_transfer", external_id="q"
    )
    ledger_credit_bonus(
        subscriber=subscriber, amount=Decimal("777.00"), reason="Простой 2 ч", source_key="k"
    )
    travel(at(datetime.date(2026, 11, 12)))
    subscribers_suspend_overdue()
    client.force_login(owner)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("billing:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "−17\u00a0655,00\u00a0₸" in html  # Money: −30 000 + 12 345.
    assert "777,00\u00a0₸" in html and "Простой 2 ч" in html
    assert reverse("billing:invoice_pdf", args=[charged.pk]) in html
    assert "12\u00a0345,00\u00a0₸" in html
    assert "Приостановлен" in html  # The state history.
    assert "KZ" in html  # How to pay: the operator's IBAN.


def test_the_suspended_banner_shows_the_debt_and_how_to_pay(
    client, charged, subscriber, member, travel
):
    travel(at(datetime.date(2026, 11, 12)))
    subscribers_suspend_overdue()
    client.force_login(member)
    html = client.get(reverse("subscribers:dashboard")).content.decode()
    assert "30\u00a0000,00\u00a0₸" in html
    assert "12.12.2026" in html  # The purge date.


def test_invoice_pdfs_are_for_members_with_billing_rights(
    client, charged, subscriber_accountant, member
):
    url = reverse("billing:invoice_pdf", args=[charged.pk])
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(subscriber_accountant)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_only_the_owner_asks_to_terminate(client, charged, subscriber, subscriber_admin, owner):
    client.force_login(subscriber_admin)
    assert client.post(reverse("billing:terminate")).status_code == 403
    client.force_login(owner)
    assert client.post(reverse("billing:terminate")).status_code == 302
    subscriber.subscription.refresh_from_db()
    assert subscriber.subscription.termination_requested_at is not None


def test_the_dashboard_card_hides_balances_from_plain_users(client, charged, subscriber, member):
    from tests.factories import MembershipFactory

    client.force_login(member)
    html = client.get(reverse("subscribers:dashboard")).content.decode()
    assert charged.tariff.name in html
    assert "−30\u00a0000,00" not in html
    accountant = MembershipFactory(subscriber=subscriber, role=MemberRole.ACCOUNTANT).user
    client.force_login(accountant)
    assert "−30\u00a0000,00" in client.get(reverse("subscribers:dashboard")).content.decode()

import datetime
from decimal import Decimal

from django.urls import reverse

from billing.selectors import account_summary, balances_for, debt_for, tariff_for_subscriber
from billing.services import ledger_credit_bonus, payment_record, subscribers_suspend_overdue
from subscribers.models import MemberRole
from tests.conftest import at


def test_the_billing_page_shows_balances_invoices_payments_bonuses_and_history(
    client, charged, subscriber, owner, travel, django_assert_num_queries
):
    payment_record(
        subscriber=subscriber, amount=Decimal("12345.00"), method="bank_transfer", external_id="q"
    )
    ledger_credit_bonus(
        subscriber=subscriber, amount=Decimal("777.00"), reason="Простой 2 ч", source_key="k"
    )
    travel(at(datetime.date(2026, 11, 12), 9))
    subscribers_suspend_overdue()
    client.force_login(owner)
    client.get(reverse("billing:index"))  # the session's first request records the terms' use
    # The user, the memberships, the sums with the tariff, the histories with the subscription
    # and the running promise; suspended for non-payment: the promise offer (four) and the
    # banner's sums (one).
    with django_assert_num_queries(9):
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
    travel(at(datetime.date(2026, 11, 12), 9))
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


def test_the_billing_page_shows_the_latest_payments_with_a_link_to_all_of_them(
    client, subscriber, owner
):
    for n in range(1, 15):  # 14 payments: 1 001 ₸ (the oldest) … 1 014 ₸ (the latest)
        payment_record(
            subscriber=subscriber,
            amount=Decimal(1000 + n),
            method="bank_transfer",
            external_id=str(n),
        )
    client.force_login(owner)
    html = client.get(reverse("billing:index")).content.decode()
    assert "1\u00a0014,00\u00a0₸" in html and "1\u00a0003,00\u00a0₸" in html  # the latest 12
    assert "1\u00a0002,00\u00a0₸" not in html and "1\u00a0001,00\u00a0₸" not in html
    assert "?all=payments" in html
    html = client.get(reverse("billing:index"), {"all": "payments"}).content.decode()
    assert "1\u00a0001,00\u00a0₸" in html and "1\u00a0014,00\u00a0₸" in html


def test_the_account_summary_query_gives_the_same_sums_as_the_selectors(charged, subscriber):
    payment_record(
        subscriber=subscriber, amount=Decimal("12345.00"), method="bank_transfer", external_id="q"
    )
    ledger_credit_bonus(
        subscriber=subscriber, amount=Decimal("7.50"), reason="Простой", source_key="k"
    )
    summary = account_summary(subscriber=subscriber)
    assert (summary["money"], summary["bonus"]) == balances_for(subscriber=subscriber)
    assert summary["debt"] == debt_for(subscriber=subscriber) == Decimal("17655.00")
    assert summary["money"] == Decimal("-17655.00") and summary["bonus"] == Decimal("7.50")
    tariff = tariff_for_subscriber(subscriber=subscriber)
    assert summary["tariff"] == {"name": tariff.name, "monthly_fee": tariff.monthly_fee}


def test_the_account_summary_has_no_tariff_before_the_service_is_ordered(subscriber):
    assert tariff_for_subscriber(subscriber=subscriber) is None
    summary = account_summary(subscriber=subscriber)
    assert summary == {
        "money": Decimal("0.00"),
        "bonus": Decimal("0.00"),
        "debt": Decimal("0.00"),
        "tariff": None,
    }

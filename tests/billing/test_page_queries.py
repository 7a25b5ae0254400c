"""The billing page and the ledger's admin at a fixed number of queries (issues 13.9 and 16.4):
the histories come in one query, the admin's ledger page in the same count for 1 or 60 rows, and
the cells read the same as before (amounts, dates, labels, links)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import LedgerEntry
from billing.services import ledger_credit_bonus, payment_record
from tests.conftest import at

pytestmark = pytest.mark.django_db

# user, memberships, balances and debt with the tariff, the histories (invoices, payments,
# entries, bonuses, state changes, statements, with the subscription and its tariffs and the
# running promised payment); the session comes from the cache
BILLING_PAGE_QUERIES = 4
# "show all" of one history: that history's count and page instead of its part of the one query
BILLING_SECTION_QUERIES = BILLING_PAGE_QUERIES + 2
# user, memberships, second factor, the person's permissions (own and groups'), the capped
# count, the page (subscriber, invoice and actor joined); the session comes from the cache
LEDGER_QUERIES = 7
LEDGER_SEARCH_QUERIES = LEDGER_QUERIES + 1  # the word among the subscribers' names first


def _payments(subscriber, count, start=1):
    for n in range(start, start + count):
        payment_record(
            subscriber=subscriber,
            amount=Decimal(1000 + n),
            method="bank_transfer",
            external_id=f"p{n}",
        )


def test_the_billing_page_takes_a_fixed_number_of_queries(
    client, charged, subscriber, owner, django_assert_num_queries
):
    client.force_login(owner)
    client.get(reverse("billing:index"))  # the session's terms flags
    _payments(subscriber, 2)
    with django_assert_num_queries(BILLING_PAGE_QUERIES):
        assert client.get(reverse("billing:index")).status_code == 200
    _payments(subscriber, 30, start=3)
    with django_assert_num_queries(BILLING_PAGE_QUERIES):
        html = client.get(reverse("billing:index")).content.decode()
    assert "?all=payments" in html
    with django_assert_num_queries(BILLING_SECTION_QUERIES):
        html = client.get(reverse("billing:index"), {"all": "payments"}).content.decode()
    assert "1\u00a0001,00\u00a0₸" in html and "Страница 1 из 1" in html  # all 32 on one page


def test_the_histories_show_the_cells_in_order(client, charged, subscriber, owner, travel):
    travel(at(datetime.date(2026, 11, 5), 9))
    payment_record(
        subscriber=subscriber, amount=Decimal("30000.00"), method="bank_transfer", external_id="x"
    )
    ledger_credit_bonus(
        subscriber=subscriber, amount=Decimal("777.00"), reason="Простой 2 ч", source_key="k"
    )
    client.force_login(owner)
    html = client.get(reverse("billing:index")).content.decode()
    invoice = f"{charged.number:06d}"
    assert f'<td class="mono">{invoice}</td>' in html
    assert reverse("billing:invoice_pdf", args=[charged.pk]) in html
    assert reverse("billing:act_pdf", args=[charged.pk]) in html  # paid monthly: the act
    assert "Оплачен" in html and "Абонентская плата" in html
    assert f"{charged.period_start:%d.%m.%Y}–{charged.period_end:%d.%m.%Y}" in html
    assert "30\u00a0000,00\u00a0₸" in html and "−30\u00a0000,00\u00a0₸" in html
    assert f", № {invoice}" in html  # the charge's entry names its invoice
    entries = html[html.index('id="entries"') :]
    # newest first: the bonus credit, the payment, then the charge
    assert (
        entries.index("777,00")
        < entries.index("Банковский перевод x")
        < entries.index("Начисление,")
    )


def test_the_ledger_admin_takes_a_fixed_number_of_queries(
    staff_client, staff_accountant, charged, subscriber, django_assert_num_queries
):
    client = staff_client(staff_accountant)
    url = reverse("admin:billing_ledgerentry_changelist")
    client.get(url)
    with django_assert_num_queries(LEDGER_QUERIES):
        assert client.get(url).status_code == 200
    _payments(subscriber, 60)
    with django_assert_num_queries(LEDGER_QUERIES):
        html = client.get(url).content.decode()
    entry = LedgerEntry.objects.filter(invoice=charged).get()
    change = reverse("admin:billing_ledgerentry_change", args=[entry.pk])
    assert f'href="{change}"' in html
    assert "1\u00a0060,00" in html and "−30\u00a0000,00" in html
    assert f"Счёт № {charged.number:06d}" in html
    with django_assert_num_queries(LEDGER_SEARCH_QUERIES):
        html = client.get(url, {"q": subscriber.name.split()[-1]}).content.decode()
    assert "1\u00a0060,00" in html

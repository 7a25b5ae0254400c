"""Issue 13, item 8: the bonus payout and the termination (9.4) are behind a confirmation page
that says exactly what will happen; the one-click path is gone."""

from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import LedgerKind
from billing.selectors import balances_for
from billing.services import (
    ledger_credit_bonus,
    payment_record,
    reconciliation_create,
    termination_request,
)
from subscribers.models import SubscriberStatus
from tests.infobases.factories import InfobaseFactory


@pytest.fixture
def leaving(charged, subscriber, staff_accountant):
    """Paid up, 1 500 ₸ of bonuses, termination requested, a statement made, two bases."""
    payment_record(
        subscriber=subscriber, amount=Decimal("30000.00"), method="bank_transfer", external_id="n1"
    )
    ledger_credit_bonus(
        subscriber=subscriber, amount=Decimal("1500.00"), reason="Простой", source_key="c1"
    )
    termination_request(subscriber=subscriber, actor=None)
    reconciliation_create(subscriber=subscriber, actor=staff_accountant)
    InfobaseFactory(subscriber=subscriber, name="Бухгалтерия 3.0")
    InfobaseFactory(subscriber=subscriber, name="Зарплата и кадры")
    return subscriber


def _url(subscriber, action):
    return reverse("admin:billing_account_confirm", args=[subscriber.pk, action])


def test_the_account_page_links_to_the_confirmations_not_to_the_operations(
    staff_client, staff_accountant, leaving
):
    page = staff_client(staff_accountant).get(
        reverse("admin:billing_billingaccount_change", args=[leaving.pk])
    )
    html = page.content.decode()
    assert _url(leaving, "payout") in html and _url(leaving, "terminate") in html
    assert 'value="payout"' not in html and 'value="terminate"' not in html


@pytest.mark.parametrize("action", ["payout", "terminate"])
def test_the_old_one_click_post_does_nothing(staff_client, staff_accountant, leaving, action):
    client = staff_client(staff_accountant)
    client.post(reverse("admin:billing_account_operate", args=[leaving.pk]), {"action": action})
    leaving.refresh_from_db()
    assert leaving.status == SubscriberStatus.ACTIVE
    assert balances_for(subscriber=leaving)[1] == Decimal("1500.00")


def test_the_payout_page_says_the_amount_and_the_subscriber_and_acts_only_on_confirmation(
    staff_client, staff_accountant, leaving
):
    client = staff_client(staff_accountant)
    page = client.get(_url(leaving, "payout"))
    assert page.status_code == 200
    html = page.content.decode().replace("\xa0", " ")
    assert str(leaving) in html and "1 500,00 ₸" in html
    assert "Акт сверки №" in html
    assert balances_for(subscriber=leaving)[1] == Decimal("1500.00")  # GET changed nothing

    # A POST without the confirmation (or confirming another operation) changes nothing either.
    for data in ({}, {"confirm": "terminate"}):
        assert client.post(_url(leaving, "payout"), data).status_code == 200
    assert balances_for(subscriber=leaving)[1] == Decimal("1500.00")

    response = client.post(_url(leaving, "payout"), {"confirm": "payout"})
    assert response.status_code == 302
    assert balances_for(subscriber=leaving)[1] == Decimal("0.00")
    assert leaving.ledger_entries.filter(kind=LedgerKind.PAYOUT, bonus=Decimal("-1500.00")).exists()


def test_the_termination_page_names_the_bases_and_the_deletion_date(
    staff_client, staff_accountant, leaving
):
    client = staff_client(staff_accountant)
    page = client.get(_url(leaving, "terminate"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Бухгалтерия 3.0" in html and "Зарплата и кадры" in html
    # The charged fixture froze time at 1 November 2026 09:00 Almaty: deletion on 1 December.
    assert "01.12.2026" in html
    leaving.refresh_from_db()
    assert leaving.status == SubscriberStatus.ACTIVE

    client.post(_url(leaving, "terminate"), {})
    leaving.refresh_from_db()
    assert leaving.status == SubscriberStatus.ACTIVE

    assert client.post(_url(leaving, "terminate"), {"confirm": "terminate"}).status_code == 302
    leaving.refresh_from_db()
    assert leaving.status == SubscriberStatus.TERMINATED


def test_a_refused_termination_is_shown_on_the_page(
    staff_client, staff_accountant, charged, subscriber
):
    # No request from the subscriber (9.4): the service refuses, in Russian, nothing changes.
    client = staff_client(staff_accountant)
    response = client.post(_url(subscriber, "terminate"), {"confirm": "terminate"})
    assert response.status_code == 200
    assert "Абонент не заявлял об отказе от услуги." in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE


def test_only_staff_who_operate_accounts_reach_the_confirmation(
    staff_client, operator_engineer, leaving
):
    client = staff_client(operator_engineer)
    assert client.get(_url(leaving, "terminate")).status_code == 403
    assert client.post(_url(leaving, "terminate"), {"confirm": "terminate"}).status_code == 403
    leaving.refresh_from_db()
    assert leaving.status == SubscriberStatus.ACTIVE


def test_an_unknown_operation_is_404(staff_client, staff_accountant, leaving):
    assert staff_client(staff_accountant).get(_url(leaving, "purge")).status_code == 404

"""Tickets, invoices, the ledger and compensation claims through /api/v1/ and the real services."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from billing.services import billing_run
from operations.models import CompensationClaim
from support.models import Channel, TicketStatus
from support.services import ticket_note, ticket_reply
from tests.billing.factories import SubscriptionFactory, TariffFactory

pytestmark = pytest.mark.django_db


def _open(client, **values):
    body = {"category": "technical", "subject": "Не открывается база", "text": "Ошибка"} | values
    return client.post(reverse("v1_api:tickets"), body, format="json")


def test_ticket_is_opened_with_its_promised_reaction_time(owner_api, subscriber):
    response = _open(owner_api)
    assert response.status_code == 201
    ticket = subscriber.tickets.get()
    assert ticket.channel == Channel.WEB
    assert response.json()["reaction_due_at"] is not None
    assert datetime.datetime.fromisoformat(response.json()["reaction_due_at"]) == (
        ticket.reaction_due_at
    )


def test_conversation_shows_staff_answers_but_never_internal_notes(
    owner_api, subscriber, operator_engineer
):
    ticket_id = _open(owner_api).json()["id"]
    ticket = subscriber.tickets.get()
    ticket_note(ticket=ticket, author=operator_engineer, text="Внутренняя заметка")
    ticket_reply(ticket=ticket, author=operator_engineer, text="Пришлите снимок экрана")
    detail = owner_api.get(reverse("v1_api:ticket_detail", args=[ticket_id])).json()
    bodies = [m["body"] for m in detail["messages"]]
    assert bodies == ["Ошибка", "Пришлите снимок экрана"]
    reply = owner_api.post(
        reverse("v1_api:ticket_reply", args=[ticket_id]), {"text": "Вот снимок"}, format="json"
    )
    assert reply.status_code == 201 and reply.json()["author_side"] == "subscriber"
    rated = owner_api.post(
        reverse("v1_api:ticket_rating", args=[ticket_id]), {"rating": 5}, format="json"
    )
    assert rated.json()["rating"] == 5
    closed = owner_api.post(reverse("v1_api:ticket_close", args=[ticket_id]))
    assert closed.json()["status"] == TicketStatus.CLOSED
    again = owner_api.post(reverse("v1_api:ticket_close", args=[ticket_id]))
    assert again.status_code == 409 and again.json()["error"]["message"]


def test_exhausted_quota_refuses_the_ticket_in_russian(owner_api, subscriber):
    SubscriptionFactory(subscriber=subscriber, tariff=TariffFactory(methodological_quota=1))
    assert _open(owner_api, category="methodological").status_code == 201
    refused = _open(owner_api, category="methodological")
    assert refused.status_code == 409  # the quota is used: the state, not the input
    assert "лимит обращений" in refused.json()["error"]["message"]
    assert subscriber.tickets.count() == 1
    quotas = owner_api.get(reverse("v1_api:ticket_quotas")).json()["results"]
    assert {"category": "methodological", "used": 1, "limit": 1, "left": 0} in quotas


def test_plain_member_sees_only_their_own_tickets(owner_api, api_as, member):
    _open(owner_api, subject="Владельца")
    _open(api_as(member), subject="Сотрудника")
    subjects = [
        t["subject"] for t in api_as(member).get(reverse("v1_api:tickets")).json()["results"]
    ]
    assert subjects == ["Сотрудника"]
    assert owner_api.get(reverse("v1_api:tickets")).json()["count"] == 2


def test_invoices_ledger_and_balances_come_from_the_personal_account(owner_api, subscriber):
    with time_machine.travel("2026-11-01 09:00 +0500", tick=False):
        SubscriptionFactory(
            subscriber=subscriber,
            tariff=TariffFactory(monthly_fee=Decimal("30000.00")),
            billable_from=datetime.date(2026, 11, 1),
        )
        (invoice,) = billing_run()
        invoices = owner_api.get(reverse("v1_api:invoices"), {"status": "open"}).json()
        assert invoices["count"] == 1
        row = invoices["results"][0]
        assert row["number"] == invoice.display_number
        assert row["amount_due"] == "30000.00" and row["due_date"] == "2026-11-11"
        pdf = owner_api.get(reverse("v1_api:invoice_pdf", args=[invoice.pk]))
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        ledger = owner_api.get(reverse("v1_api:ledger"), {"kind": "charge"}).json()
        assert [e["money"] for e in ledger["results"]] == ["-30000.00"]
        balances = owner_api.get(reverse("v1_api:balances")).json()
        assert balances["money"] == "-30000.00" and balances["debt"] == "30000.00"
        assert balances["tariff"]["monthly_fee"] == "30000.00"


def test_compensation_claim_is_filed_as_a_ticket(owner_api, subscriber):
    with time_machine.travel("2026-11-10 12:00 +0500", tick=False):
        subscriber.created_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        subscriber.save(update_fields=["created_at"])
        response = owner_api.post(
            reverse("v1_api:claims"),
            {"downtime_date": "2026-11-09", "hours": 2, "minutes": 30, "description": "1С"},
            format="json",
        )
        assert response.status_code == 201
        claim = CompensationClaim.objects.get()
        assert response.json()["claimed_minutes"] == 150
        assert response.json()["ticket"] == claim.ticket_id
        assert claim.ticket.subscriber == subscriber
        future = owner_api.post(
            reverse("v1_api:claims"), {"downtime_date": "2026-11-11", "hours": 1}, format="json"
        )
        assert future.status_code == 400
        assert "будущ" in future.json()["error"]["message"]
        assert CompensationClaim.objects.count() == 1
        detail = owner_api.get(reverse("v1_api:claim_detail", args=[claim.pk])).json()
        assert detail["status"] == "pending" and detail["credited"] is None


def test_status_is_public(client):
    response = client.get(reverse("v1_api:status"))
    assert response.status_code == 200
    assert response.json()["overall"] == "operational"
    assert {c["code"] for c in response.json()["components"]}

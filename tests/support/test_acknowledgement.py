"""Issue 14: every ticket opened in the panel, through the API or the 1C form is acknowledged by
email to the person who asked — its number, category and reaction deadline in Almaty time as
the SLA computes it (business hours) — owed in the outbox in the opening transaction."""

import json
from datetime import date

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import api_token_create
from outbox.models import OutboxMessage
from support import sla
from support.models import Category, Channel, Ticket
from support.services import onec_token_issue, ticket_open
from tests.conftest import at
from tests.infobases.factories import AccessFactory
from tests.support.factories import InfobaseFactory

pytestmark = pytest.mark.django_db

# Friday 17:30 in Almaty: «Подключение, отключение, размещение» has 8 hours on working days
# 10:00–19:00, so 1.5 h on Friday and 6.5 h on Monday: 07.12.2026 16:30 Almaty (11:30 UTC).
FRIDAY_EVENING = at(date(2026, 12, 4), 17, 30)
MONDAY_DEADLINE = "07.12.2026 16:30"


def _only_email_to(address):
    assert [m.to for m in mail.outbox] == [[address]], [m.to for m in mail.outbox]
    return mail.outbox[0]


def test_a_panel_ticket_is_acknowledged_with_number_and_business_hours_deadline(
    client, owner, travel
):
    travel(FRIDAY_EVENING)
    client.force_login(owner)
    response = client.post(
        reverse("support:ticket_create"),
        {
            "category": Category.ACCESS,
            "subject": 'Подключить базу "Зарплата" & кадры',
            "text": "Прошу подключить.",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert sla.reaction_due_at(Category.ACCESS, FRIDAY_EVENING) == ticket.reaction_due_at
    message = _only_email_to(owner.email)
    text = message.body
    assert f"[ONEbuh #{ticket.pk}]" in message.subject
    assert 'Подключить базу "Зарплата" & кадры' in message.subject  # plain text, not &quot;
    assert f"зарегистрировано: № {ticket.pk}." in text
    assert '«Подключить базу "Зарплата" & кадры»' in text
    assert "Категория: Подключение, отключение, размещение (6.1)." in text
    assert f"Мы отреагируем до {MONDAY_DEADLINE} по времени Алматы (GMT+5)" in text
    assert "8 часов, по рабочим дням 10:00–19:00" in text
    assert f"/support/{ticket.pk}/" in text
    assert message.extra_headers["Auto-Submitted"] == "auto-replied"
    html = message.alternatives[0][0]
    assert MONDAY_DEADLINE in html and f"№ {ticket.pk}" in html


def test_a_round_the_clock_category_says_so(client, owner, travel):
    travel(FRIDAY_EVENING)
    client.force_login(owner)
    client.post(
        reverse("support:ticket_create"),
        {"category": Category.INCIDENT_1, "subject": "Всё лежит", "text": "Не входит никто."},
    )
    text = _only_email_to(owner.email).body
    assert "Мы отреагируем до 04.12.2026 21:30 по времени Алматы" in text
    assert "4 часа, круглосуточно" in text


@pytest.fixture
def form_token(subscriber):
    infobase = InfobaseFactory(subscriber=subscriber)
    return onec_token_issue(infobase=infobase, actor=None)


def _post_1c(client, raw, **data):
    payload = {"category": Category.ACCESS, "subject": "Ошибка", "text": "Не формируется отчёт"}
    return client.post(
        reverse("support_api:ticket_create"),
        json.dumps({**payload, **data}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {raw}",
    )


def test_a_1c_form_ticket_is_acknowledged_to_the_member_the_form_names(
    client, form_token, member, travel
):
    token, raw = form_token
    AccessFactory(infobase=token.infobase, membership=member.memberships.get())
    travel(FRIDAY_EVENING)
    response = _post_1c(client, raw, user=member.email.upper())
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.sender_email) == (Channel.ONEC_FORM, member.email)
    text = _only_email_to(member.email).body
    assert f"№ {ticket.pk}" in text and MONDAY_DEADLINE in text


def test_a_1c_form_ticket_of_an_unknown_1c_user_goes_to_the_responsible_person(
    client, form_token, subscriber
):
    _token, raw = form_token
    assert _post_1c(client, raw, user="Бухгалтер").status_code == 201
    ticket = Ticket.objects.get()
    text = _only_email_to(subscriber.responsible_email).body
    assert f"№ {ticket.pk}" in text
    # Staff answers reach the same person.
    assert ticket.contact_email == subscriber.responsible_email


def test_an_api_ticket_is_acknowledged(owner, travel):
    travel(FRIDAY_EVENING)
    api = APIClient()
    raw = api_token_create(membership=owner.memberships.get(), name="1С", scope="write")[1]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.post(
        "/api/v1/tickets/",
        {"category": Category.ACCESS, "subject": "Из интеграции", "text": "Текст"},
        format="json",
    )
    assert response.status_code == 201, response.content
    text = _only_email_to(owner.email).body
    assert f"№ {response.json()['id']}" in text and MONDAY_DEADLINE in text


def test_phone_tickets_registered_by_staff_get_no_acknowledgement(subscriber, operator_engineer):
    ticket_open(
        subscriber=subscriber,
        opened_by=None,
        channel=Channel.PHONE,
        category=Category.TECHNICAL,
        subject="Звонок",
        text="Клиент звонил",
        sender_phone="+77011234567",
        actor=operator_engineer,
    )
    assert mail.outbox == []


@pytest.fixture
def outbox_only(settings):
    settings.ONEBUH_OUTBOX_EAGER_EMAIL = False


def _open(subscriber, owner):
    return ticket_open(
        subscriber=subscriber,
        opened_by=owner,
        channel=Channel.WEB,
        category=Category.TECHNICAL,
        subject="Тема",
        text="Текст",
    )


def test_the_acknowledgement_is_owed_in_the_opening_transaction(outbox_only, subscriber, owner):
    ticket = _open(subscriber, owner)
    (row,) = OutboxMessage.objects.filter(kind="email")
    assert row.payload["to"] == [owner.email]
    assert f"№ {ticket.pk}" in row.payload["body"]
    assert mail.outbox == []  # sent by the dispatcher after the commit, not by the request

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        _open(subscriber, owner)
        raise Abort
    # Rolled back together: no ticket, no email owed.
    assert Ticket.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="email").count() == 1


def test_opening_a_ticket_takes_the_same_queries_whatever_the_tickets_and_emails(
    outbox_only, subscriber, owner, django_assert_num_queries
):
    """The acknowledgement adds a fixed number of queries (the thread's Message-IDs, one stored
    Message-ID, one outbox row), not one per earlier ticket, message or email."""
    _open(subscriber, owner)
    # 6 to open a web ticket (savepoint, ticket, message, updated_at, audit, release) + 3 for
    # its acknowledgement (issue 14).
    with django_assert_num_queries(9):
        _open(subscriber, owner)
    for _ in range(5):
        _open(subscriber, owner)
    with django_assert_num_queries(9):
        _open(subscriber, owner)

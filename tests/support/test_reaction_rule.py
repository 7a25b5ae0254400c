"""What stops the SLA clock: the first public staff reply or the acceptance into work (and a
section 8 decision, a public staff answer). Internal notes, automatic replies and the
subscriber's own messages do not."""

from datetime import date

import pytest

from support.models import Category, Channel, DecisionReason, MessageAuthor, TicketMessage
from support.services import (
    message_add,
    ticket_accept,
    ticket_defer,
    ticket_note,
    ticket_reply,
)
from tests.conftest import at
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(travel):
    travel(at(date(2026, 11, 24), 11))
    return open_ticket(category=Category.ACCESS)


def test_first_public_staff_reply_is_the_reaction(ticket, travel, operator_engineer):
    travel(at(date(2026, 11, 24), 12))
    ticket_reply(ticket=ticket, author=operator_engineer, text="Смотрим.")
    travel(at(date(2026, 11, 24), 13))
    ticket_reply(ticket=ticket, author=operator_engineer, text="Готово.")
    ticket.refresh_from_db()
    assert ticket.reacted_at == at(date(2026, 11, 24), 12)


def test_acceptance_into_work_is_the_reaction(ticket, travel, operator_engineer):
    travel(at(date(2026, 11, 24), 12, 30))
    ticket_accept(ticket=ticket, actor=operator_engineer)
    ticket.refresh_from_db()
    assert ticket.reacted_at == at(date(2026, 11, 24), 12, 30)
    assert ticket.assignee == operator_engineer


def test_acceptance_after_a_reply_keeps_the_first_reaction(ticket, travel, operator_engineer):
    travel(at(date(2026, 11, 24), 12))
    ticket_reply(ticket=ticket, author=operator_engineer, text="Смотрим.")
    travel(at(date(2026, 11, 24), 14))
    ticket_accept(ticket=ticket, actor=operator_engineer)
    ticket.refresh_from_db()
    assert ticket.reacted_at == at(date(2026, 11, 24), 12)


def test_deferral_is_a_reaction(ticket, travel, operator_engineer):
    travel(at(date(2026, 11, 24), 12))
    ticket_defer(
        ticket=ticket,
        actor=operator_engineer,
        reason=DecisionReason.INSUFFICIENT_INFO,
        explanation="Пришлите снимок экрана.",
    )
    ticket.refresh_from_db()
    assert ticket.reacted_at == at(date(2026, 11, 24), 12)


def test_internal_note_does_not_stop_the_clock(ticket, travel, operator_engineer):
    travel(at(date(2026, 11, 24), 12))
    ticket_note(ticket=ticket, author=operator_engineer, text="Проверить версию клиента.")
    ticket.refresh_from_db()
    assert ticket.reacted_at is None


def test_subscribers_own_message_does_not_stop_the_clock(ticket, travel):
    travel(at(date(2026, 11, 24), 12))
    ticket_reply(ticket=ticket, author=ticket.opened_by, text="Добавлю подробности.")
    ticket.refresh_from_db()
    assert ticket.reacted_at is None


def test_automatic_reply_does_not_stop_the_clock(travel):
    travel(at(date(2026, 11, 24), 11))
    ticket = open_ticket(
        channel=Channel.EMAIL, sender_email="client@example.kz", sender_name="Клиент"
    )
    # The acknowledgement email went out; nothing recorded it as a reaction.
    assert ticket.reacted_at is None
    message_add(
        ticket=ticket,
        author=None,
        side=MessageAuthor.SYSTEM,
        channel=Channel.WEB,
        body="Автоматическое уведомление.",
        automatic=True,
    )
    ticket.refresh_from_db()
    assert ticket.reacted_at is None
    assert TicketMessage.objects.filter(ticket=ticket).count() == 2


def test_staff_address_writing_by_email_is_not_a_reaction(ticket, travel, operator_engineer):
    travel(at(date(2026, 11, 24), 12))
    ticket_reply(
        ticket=ticket,
        author=operator_engineer,
        text="Письмо с адреса сотрудника.",
        channel=Channel.EMAIL,
        from_subscriber=True,
    )
    ticket.refresh_from_db()
    assert ticket.reacted_at is None

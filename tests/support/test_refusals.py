"""Section 8: staff defer (8.1) or refuse (8.1–8.3) with a reason and an explanation; the
subscriber sees both."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from support.models import DecisionReason, TicketStatus
from support.services import ticket_defer, ticket_refuse
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db


def test_deferral_with_an_8_1_reason_is_shown_to_the_subscriber(
    client, owner, subscriber, operator_engineer
):
    ticket = open_ticket(subscriber, opened_by=owner)
    ticket_defer(
        ticket=ticket,
        actor=operator_engineer,
        reason=DecisionReason.NOT_REPRODUCIBLE,
        explanation="На демо-базе ошибка не повторяется, пришлите выгрузку.",
    )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DEFERRED
    client.force_login(owner)
    page = client.get(reverse("support:ticket_detail", args=[ticket.pk])).content.decode()
    assert str(DecisionReason.NOT_REPRODUCIBLE.label) in page
    assert "пришлите выгрузку" in page


def test_deferral_for_an_excluded_subject_is_not_allowed(operator_engineer):
    ticket = open_ticket()
    with pytest.raises(ValidationError):
        ticket_defer(
            ticket=ticket,
            actor=operator_engineer,
            reason=DecisionReason.DEVELOPMENT,
            explanation="Доработка.",
        )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW


@pytest.mark.parametrize(
    "reason",
    [DecisionReason.HARDWARE, DecisionReason.LICENSE_VIOLATION, DecisionReason.OUT_OF_SCOPE],
)
def test_refusal_closes_the_ticket_with_its_reason(operator_engineer, reason):
    ticket = open_ticket()
    ticket_refuse(ticket=ticket, actor=operator_engineer, reason=reason, explanation="Причина.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.decision_reason) == (TicketStatus.REFUSED, reason)
    assert ticket.closed_at is not None
    assert ticket.messages.last().body.endswith("Причина.")


def test_decision_without_explanation_changes_nothing(operator_engineer):
    ticket = open_ticket()
    with pytest.raises(ValidationError):
        ticket_refuse(
            ticket=ticket,
            actor=operator_engineer,
            reason=DecisionReason.THIRD_PARTY,
            explanation=" ",
        )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW and ticket.messages.count() == 1


def test_refusal_through_the_admin(staff_client, operator_engineer):
    ticket = open_ticket()
    response = staff_client(operator_engineer).post(
        reverse("admin:support_ticket_decision", args=[ticket.pk]),
        {"decision": "refuse", "reason": DecisionReason.UNDOCUMENTED, "explanation": "Так нельзя."},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REFUSED

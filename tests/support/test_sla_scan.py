"""SLA timers: the warning at 75% to the queue and the assignee, the breach at the deadline to
the duty manager, each once; set-based (the query count does not grow with tickets)."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from support.models import Category, TicketStatus
from support.services import sla_scan, ticket_accept, ticket_assign
from tests.conftest import at
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db


def _open_at(travel, moment, count=1, **kwargs):
    travel(moment)
    return [open_ticket(category=Category.TECHNICAL, **kwargs) for _ in range(count)]


@pytest.fixture
def scan(django_capture_on_commit_callbacks):
    """One scan with its after-commit notifications run, as in production."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return sla_scan()

    return run


def test_warning_at_three_quarters_goes_to_queue_and_assignee_once(travel, scan, operator_engineer):
    (ticket,) = _open_at(travel, at(date(2026, 11, 24), 10))  # technical: 8 h round the clock
    ticket_assign(ticket=ticket, actor=operator_engineer, assignee=operator_engineer)
    travel(at(date(2026, 11, 24), 15, 59))
    assert scan() == {"warned": 0, "breached": 0}
    travel(at(date(2026, 11, 24), 16))
    mail.outbox.clear()
    assert scan() == {"warned": 1, "breached": 0}
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"queue@1b.kz", operator_engineer.email}
    assert f"№ {ticket.pk}" in mail.outbox[0].subject
    travel(at(date(2026, 11, 24), 16, 1))
    assert scan() == {"warned": 0, "breached": 0}
    assert len(mail.outbox) == 1


def test_breach_marks_the_ticket_and_escalates_to_duty_manager_once(
    travel, scan, django_capture_on_commit_callbacks
):
    (ticket,) = _open_at(travel, at(date(2026, 11, 24), 10))
    travel(at(date(2026, 11, 24), 18))
    mail.outbox.clear()
    assert scan() == {"warned": 0, "breached": 1}
    ticket.refresh_from_db()
    assert ticket.breached_at == at(date(2026, 11, 24), 18)
    assert mail.outbox[-1].to == ["duty@1b.kz"]
    sent = len(mail.outbox)
    travel(at(date(2026, 11, 24), 18, 5))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("support_sla_scan", stdout=StringIO())
    assert len(mail.outbox) == sent


def test_reacted_tickets_get_no_warning_or_breach(travel, scan, operator_engineer):
    (ticket,) = _open_at(travel, at(date(2026, 11, 24), 10))
    travel(at(date(2026, 11, 24), 11))
    ticket_accept(ticket=ticket, actor=operator_engineer)
    travel(at(date(2026, 11, 25), 10))
    assert scan() == {"warned": 0, "breached": 0}
    ticket.refresh_from_db()
    assert ticket.breached_at is None and ticket.status == TicketStatus.IN_PROGRESS


def test_partner_ticket_warning_goes_to_the_partner_firm(travel, scan, partner_firm):
    from support.models import PartnerAssignment
    from tests.factories import SubscriberFactory
    from tests.support.factories import give_quotas

    partner_firm.email = "help@partner.kz"
    partner_firm.save(update_fields=["email"])
    subscriber = SubscriberFactory()
    give_quotas(subscriber)
    PartnerAssignment.objects.create(subscriber=subscriber, partner_firm=partner_firm)
    travel(at(date(2026, 11, 24), 9))
    ticket = open_ticket(subscriber, category=Category.METHODOLOGICAL)
    assert ticket.partner_firm == partner_firm
    travel(at(date(2026, 11, 24), 15))  # 6 of 8 working hours
    mail.outbox.clear()
    assert scan()["warned"] == 1
    assert mail.outbox[0].to == ["help@partner.kz"]


def test_scan_query_count_does_not_grow_with_tickets(travel, django_assert_num_queries):
    """The scan stamps and owes the notifications (one outbox row per timer) in 6 queries; the
    dispatcher sends them after commit."""
    _open_at(travel, at(date(2026, 11, 24), 10), count=2)
    travel(at(date(2026, 11, 24), 18))
    with django_assert_num_queries(6):
        assert sla_scan()["breached"] == 2
    _open_at(travel, at(date(2026, 11, 25), 10), count=12)
    travel(at(date(2026, 11, 25), 18))
    with django_assert_num_queries(6):
        assert sla_scan()["breached"] == 12

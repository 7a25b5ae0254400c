import pytest

from subscribers import demo as subscribers_demo
from support import demo
from support.models import Article, Channel, Ticket, TicketStatus

pytestmark = pytest.mark.django_db


def test_demo_gives_tickets_in_several_states_and_is_idempotent():
    from billing import demo as billing_demo

    log = []
    subscribers_demo.seed(log=log.append)
    billing_demo.seed(log=log.append)
    demo.seed(log=log.append)
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {TicketStatus.IN_PROGRESS, TicketStatus.WAITING, TicketStatus.CLOSED} <= statuses
    assert {TicketStatus.REFUSED, TicketStatus.DEFERRED, TicketStatus.NEW} <= statuses
    assert {Channel.WEB, Channel.EMAIL, Channel.PHONE} <= set(
        Ticket.objects.values_list("channel", flat=True)
    )
    counts = (Ticket.objects.count(), Article.objects.count())
    demo.seed(log=log.append)
    assert (Ticket.objects.count(), Article.objects.count()) == counts

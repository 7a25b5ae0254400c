"""What other apps ask of the support desk: typed entry points, so no other app names a
channel or a category by a bare string (ARCHITECTURE.md, "Cross-app interfaces")."""

from .models import Category, Channel, Ticket, TicketMessage
from .services import ticket_open, ticket_reply


def ticket_open_for_placement(
    *, subscriber, opened_by, subject: str, text: str, infobase=None
) -> Ticket:
    """6.1: a request to place a local infobase in the service becomes a ticket of category
    `access` (8 hours, weekdays 10:00–19:00) opened through the web channel."""
    return ticket_open(
        subscriber=subscriber,
        opened_by=opened_by,
        channel=Channel.WEB,
        category=Category.ACCESS,
        subject=subject,
        text=text,
        infobase=infobase,
    )


def ticket_open_for_compensation_claim(*, subscriber, opened_by, subject: str, text: str) -> Ticket:
    """9.1: a compensation claim goes through the ticket system as a technical request (6.4:
    the operator answers, around the clock), filed in the panel (the web channel)."""
    return ticket_open(
        subscriber=subscriber,
        opened_by=opened_by,
        channel=Channel.WEB,
        category=Category.TECHNICAL,
        subject=subject,
        text=text,
    )


def ticket_answer_by_staff(*, ticket: Ticket, author, text: str) -> TicketMessage:
    """A public answer of staff in the ticket (it counts as the reaction if it is the first and
    is emailed by the desk): how a decision taken elsewhere, e.g. on a claim, reaches the
    subscriber."""
    return ticket_reply(ticket=ticket, author=author, text=text)

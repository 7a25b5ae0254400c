from django import template

from ..models import TicketStatus

register = template.Library()

# The badge colour of each ticket status (closed ones stay plain); a filter, not an {% include %},
# because the ticket list renders one per row.
STATUS_BADGES = {
    TicketStatus.REFUSED: "bad",
    TicketStatus.DEFERRED: "warn",
    TicketStatus.WAITING: "warn",
    TicketStatus.IN_PROGRESS: "ok",
    TicketStatus.NEW: "info",
    TicketStatus.CLOSED: "",
}


@register.filter
def ticket_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "info")

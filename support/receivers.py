"""support's answers to the signals of the apps below it (connected in SupportConfig.ready)."""

from .hooks import ticket_open_for_placement


def open_placement_ticket(sender, *, request, subscriber, opened_by, subject, text, **kwargs):
    """6.1: the placement request becomes a ticket (infobases/signals.py)."""
    ticket = ticket_open_for_placement(
        subscriber=subscriber, opened_by=opened_by, subject=subject, text=text
    )
    return {"ticket": ticket}

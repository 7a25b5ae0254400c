"""What other apps ask of the support desk."""


def ticket_open_for_placement(*, subscriber, opened_by, subject: str, text: str, infobase=None):
    """6.1: a request to place a local infobase in the service becomes a ticket of category
    `access` (8 hours, weekdays 10:00–19:00) opened through the web channel."""
    from .models import Category, Channel
    from .services import ticket_open

    return ticket_open(
        subscriber=subscriber,
        opened_by=opened_by,
        channel=Channel.WEB,
        category=Category.ACCESS,
        subject=subject,
        text=text,
        infobase=infobase,
    )

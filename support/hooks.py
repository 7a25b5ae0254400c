"""What other apps ask of the support desk. The support app implements these."""


def ticket_open_for_placement(*, subscriber, opened_by, subject: str, text: str, infobase=None):
    """6.1: a request to place a local infobase in the service becomes a ticket of category
    `access`. Returns the ticket, or None until the support desk exists."""
    return None

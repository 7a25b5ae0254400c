"""How much of a tariff's limits the subscriber uses, for the downgrade check (4.4): the infobase
layer counts the 1C users and infobases (billing/signals.py, `usage_requested`)."""

from onebuh.signals import send_merged

from .signals import usage_requested


def usage_for(*, subscriber) -> dict[str, int]:
    return send_merged(usage_requested, sender="billing", subscriber=subscriber)

"""How much of a tariff's limits the subscriber uses, for the downgrade check (4.4): the infobase
layer counts the 1C users and infobases."""

from infobases.hooks import infobases_usage_for_subscriber


def usage_for(*, subscriber) -> dict[str, int]:
    return dict(infobases_usage_for_subscriber(subscriber=subscriber))

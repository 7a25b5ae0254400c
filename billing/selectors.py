"""Reads other apps rely on: the subscriber's tariff and its limits."""

from subscribers.models import Subscriber

from .models import Tariff


def tariff_for_subscriber(*, subscriber: Subscriber) -> Tariff | None:
    """The tariff in force for the subscriber, or None if it has not ordered the service yet."""
    return Tariff.objects.filter(subscriptions__subscriber=subscriber).first()

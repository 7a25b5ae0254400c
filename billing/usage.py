"""How much of a tariff's limits the subscriber uses, for the downgrade check (4.4).

The infobase layer knows the 1C users and infobases. Until it offers
`infobases.hooks.infobases_usage_for_subscriber(*, subscriber) -> {"users": n, "infobases": n}`,
the subscriber's members count as its users and infobases as none.
"""

from infobases import hooks


def usage_for(*, subscriber) -> dict[str, int]:
    counter = getattr(hooks, "infobases_usage_for_subscriber", None)
    if counter is not None:
        return dict(counter(subscriber=subscriber))
    return {"users": subscriber.members.count(), "infobases": 0}

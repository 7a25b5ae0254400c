"""infobases' answers to the signals of the apps below it (connected in InfobasesConfig.ready).

Each adapts the signal's keyword arguments to a set-based function of `infobases.hooks` and
runs in the sender's transaction; the signals' docstrings (billing/signals.py,
subscribers/signals.py) say when they are sent and what they expect back.
"""

from .hooks import (
    infobases_access_end_for_members,
    infobases_access_lower_for_members,
    infobases_block_for_subscribers,
    infobases_first_steps,
    infobases_names_for_subscriber,
    infobases_purge_for_subscribers,
    infobases_unblock_for_subscribers,
    infobases_usage_for_subscriber,
)


def block_on_suspension(sender, *, subscriber_ids, reason, **kwargs) -> None:
    infobases_block_for_subscribers(subscriber_ids=subscriber_ids, reason=reason)


def unblock_on_resume(sender, *, subscriber_ids, reason, **kwargs) -> None:
    infobases_unblock_for_subscribers(subscriber_ids=subscriber_ids, reason=reason)


def purge_data(sender, *, subscriber_ids, rule, **kwargs) -> dict:
    return infobases_purge_for_subscribers(subscriber_ids=subscriber_ids, rule=rule)


def tariff_usage(sender, *, subscriber, **kwargs) -> dict:
    return infobases_usage_for_subscriber(subscriber=subscriber)


def held_data(sender, *, subscriber, **kwargs) -> dict:
    return {"infobases": infobases_names_for_subscriber(subscriber=subscriber)}


def end_member_access(sender, *, membership_ids, actor, **kwargs) -> dict:
    return {
        "infobase_users": infobases_access_end_for_members(
            membership_ids=membership_ids, actor=actor
        )
    }


def lower_member_access(sender, *, membership_ids, to_role, actor, **kwargs) -> dict:
    return {
        "infobase_users_lowered": infobases_access_lower_for_members(
            membership_ids=membership_ids, to_role=to_role, actor=actor
        )
    }


def first_steps(sender, **kwargs) -> dict:
    return infobases_first_steps()

"""What billing asks of the infobase layer. Billing calls these; the infobases app implements them.

All take ids and work set-based (a fixed number of queries whatever the number of subscribers),
inside the caller's transaction; provisioning calls go to Celery with transaction.on_commit.
"""

from collections.abc import Sequence


def infobases_block_for_subscribers(*, subscriber_ids: Sequence[int], reason: str) -> None:
    """Suspension (3.5): block and unpublish every infobase of these subscribers."""


def infobases_unblock_for_subscribers(*, subscriber_ids: Sequence[int], reason: str) -> None:
    """Resume: publish and unblock again what the suspension blocked."""


def infobases_purge_for_subscribers(*, subscriber_ids: Sequence[int], rule: str) -> dict:
    """Purge (3.6): drop the infobases, their backups and files, and the infobase users.

    Returns a summary of what was deleted, for the purge record.
    """
    return {"infobases": 0, "backups": 0, "infobase_users": 0}

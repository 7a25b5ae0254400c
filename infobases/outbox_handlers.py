"""The infobases app's kinds of outbox rows (see outbox/registry.py)."""

from outbox.email import emails_batched
from outbox.registry import dispatcher_pass, outbox_handler

from . import storage
from .services.backups import DELETE_FILES_KIND
from .services.resumable import UPLOAD_FINISH_KIND


@outbox_handler(DELETE_FILES_KIND)
def delete_files(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: a file already gone counts as deleted."""
    storage.delete_files(payload["paths"])


@outbox_handler(UPLOAD_FINISH_KIND)
def upload_finish(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: a finished session is skipped, a joined file is not joined again."""
    from .services.resumable import upload_finish as finish

    finish(session_id=payload["session_id"])


@outbox_handler("infobases.release_notify", transactional=True)
def release_notify(payload: dict, *, chunk: dict, message) -> None:
    from .notifications import release_notify as notify

    with emails_batched():
        notify(release_id=payload["release_id"], subscriber_ids=payload["subscriber_ids"])


@dispatcher_pass("operations")
def operations(*, now) -> dict:
    from .services.dispatch import operations_dispatch

    return operations_dispatch(now=now)

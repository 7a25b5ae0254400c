"""The infobases app's kinds of outbox rows (see outbox/registry.py)."""

from outbox.email import emails_batched
from outbox.registry import dispatcher_pass, outbox_handler

from . import storage
from .notifications import release_notify as notify
from .services.abandoned import UPLOAD_ABORT_KIND, uploads_abort
from .services.backups import DELETE_FILES_KIND
from .services.dispatch import operations_dispatch
from .services.resumable import UPLOAD_FINISH_KIND
from .services.resumable import upload_finish as finish
from .services.targets import BACKUP_COPY_KIND, COPY_ATTEMPTS, backup_copy_run


@outbox_handler(DELETE_FILES_KIND)
def delete_files(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: a file already gone counts as deleted."""
    storage.delete_files(payload["paths"])


@outbox_handler(UPLOAD_ABORT_KIND)
def upload_abort(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: an upload already aborted or a folder already gone is fine."""

    uploads_abort(uploads=payload["uploads"])


@outbox_handler(UPLOAD_FINISH_KIND)
def upload_finish(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: a finished session is skipped, a joined file is not joined again."""

    finish(session_id=payload["session_id"])


@outbox_handler(BACKUP_COPY_KIND, max_attempts=COPY_ATTEMPTS)
def backup_copy(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: a done copy is skipped, the object's key is fixed per backup. A failure
    is recorded on the copy and raised, so the outbox retries it with its back-off."""

    backup_copy_run(copy_id=payload["copy_id"], final=message.attempts >= message.max_attempts)


@outbox_handler("infobases.release_notify", transactional=True)
def release_notify(payload: dict, *, chunk: dict, message) -> None:
    with emails_batched():
        notify(release_id=payload["release_id"], subscriber_ids=payload["subscriber_ids"])


@dispatcher_pass("operations")
def operations(*, now) -> dict:
    return operations_dispatch(now=now)

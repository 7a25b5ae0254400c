"""The infobases app's kinds of outbox rows (see outbox/registry.py)."""

from outbox.email import emails_batched
from outbox.registry import dispatcher_pass, outbox_handler

from . import storage
from .services.abandoned import UPLOAD_ABORT_KIND
from .services.backups import DELETE_FILES_KIND
from .services.resumable import UPLOAD_FINISH_KIND
from .services.targets import BACKUP_COPY_KIND, COPY_ATTEMPTS


@outbox_handler(DELETE_FILES_KIND)
def delete_files(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: a file already gone counts as deleted."""
    storage.delete_files(payload["paths"])


@outbox_handler(UPLOAD_ABORT_KIND)
def upload_abort(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: an upload already aborted or a folder already gone is fine."""
    from .services.abandoned import uploads_abort

    uploads_abort(uploads=payload["uploads"])


@outbox_handler(UPLOAD_FINISH_KIND)
def upload_finish(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: a finished session is skipped, a joined file is not joined again."""
    from .services.resumable import upload_finish as finish

    finish(session_id=payload["session_id"])


@outbox_handler(BACKUP_COPY_KIND, max_attempts=COPY_ATTEMPTS)
def backup_copy(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: a done copy is skipped, the object's key is fixed per backup. A failure
    is recorded on the copy and raised, so the outbox retries it with its back-off."""
    from .services.targets import backup_copy_run

    backup_copy_run(copy_id=payload["copy_id"], final=message.attempts >= message.max_attempts)


@outbox_handler("infobases.release_notify", transactional=True)
def release_notify(payload: dict, *, chunk: dict, message) -> None:
    from .notifications import release_notify as notify

    with emails_batched():
        notify(release_id=payload["release_id"], subscriber_ids=payload["subscriber_ids"])


@dispatcher_pass("operations")
def operations(*, now) -> dict:
    from .services.dispatch import operations_dispatch

    return operations_dispatch(now=now)

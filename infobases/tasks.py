"""Celery tasks: thin, take ids, call a service; each is safe to run twice (STYLE.md §5)."""

from celery import shared_task
from django.utils import timezone

from . import storage


@shared_task(acks_late=True)
def run_operation(operation_id: str) -> str:
    from .services import operation_run

    return operation_run(operation_id=operation_id)


@shared_task(name="infobases.run_operations", acks_late=True)
def run_operations(token: str) -> dict:
    """One chunk sent by the dispatcher (infobases/services/dispatch.py). Its time limits are
    CELERY_TASK_ANNOTATIONS in settings: the 1C tools' timeout plus the chunk's budget."""
    from .services.dispatch import operations_run_chunk

    return operations_run_chunk(token=token)


@shared_task
def delete_files(relative_paths: list[str]) -> int:
    return storage.delete_files(relative_paths)


@shared_task
def backups_daily() -> int:
    from .services import backups_schedule_daily

    return backups_schedule_daily(day=timezone.localdate())


@shared_task
def backups_retention() -> int:
    from .services import backups_apply_retention

    return backups_apply_retention()


@shared_task
def uploads_cleanup() -> dict:
    from .services.abandoned import uploads_cleanup as cleanup

    return cleanup()


@shared_task
def updates_due() -> int:
    from .services import updates_start_due

    return updates_start_due()


@shared_task
def licences_renewals() -> int:
    from .services import licences_record_renewals

    return licences_record_renewals(month=timezone.localdate())


@shared_task
def notify_release(release_id: int, subscriber_ids: list[int]) -> int:
    from .notifications import release_notify

    return release_notify(release_id=release_id, subscriber_ids=subscriber_ids)

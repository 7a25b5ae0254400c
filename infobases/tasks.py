"""Celery tasks: thin, take ids, call a service; each is safe to run twice (STYLE.md §5)."""

from celery import shared_task
from django.utils import timezone

from .services import (
    backups_apply_retention,
    backups_schedule_daily,
    licences_record_renewals,
    updates_start_due,
)
from .services.abandoned import uploads_cleanup as cleanup
from .services.dispatch import operations_run_chunk


@shared_task(name="infobases.run_operations", acks_late=True)
def run_operations(token: str) -> dict:
    """One chunk sent by the dispatcher (infobases/services/dispatch.py). Its time limits are
    CELERY_TASK_ANNOTATIONS in settings: the 1C tools' timeout plus the chunk's budget."""
    return operations_run_chunk(token=token)


@shared_task
def backups_daily() -> int:
    return backups_schedule_daily(day=timezone.localdate())


@shared_task
def backups_retention() -> int:
    return backups_apply_retention()


@shared_task
def uploads_cleanup() -> dict:
    return cleanup()


@shared_task
def updates_due() -> int:
    return updates_start_due()


@shared_task
def licences_renewals() -> int:
    return licences_record_renewals(month=timezone.localdate())

"""Celery tasks: thin, take ids, call a service; safe to run twice or concurrently."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from onebuh.dates import previous_month_start
from subscribers.models import User

from .services import proposal_build, works_send_reminders


@shared_task
def works_send_reminders_task() -> int:
    """Periodic (every 15 minutes): the reminder before each work's start, once."""
    return works_send_reminders()


def previous_month(today: date | None = None) -> date:
    return previous_month_start(today or timezone.localdate())


@shared_task
def proposal_build_task(month: str | None = None, actor_id: int | None = None) -> int:
    """Periodic (the 1st of each month, for the month just ended) and on staff request."""
    target = date.fromisoformat(month) if month else previous_month()
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return proposal_build(month=target, actor=actor).pk

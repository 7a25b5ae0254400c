"""Celery tasks: thin, take ids, call a service; safe to run twice or concurrently."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from onebuh.dates import previous_month_start


@shared_task
def work_notify(work_id: int, event: str) -> int:
    from .notifications import work_send_notices

    return work_send_notices(work_id=work_id, event=event)


@shared_task
def incident_notify(incident_id: int, event: str) -> int:
    from .notifications import incident_send_notices

    return incident_send_notices(incident_id=incident_id, event=event)


@shared_task
def claim_notify(claim_id: int) -> int:
    from .notifications import claim_send_decision

    return claim_send_decision(claim_id=claim_id)


@shared_task
def works_send_reminders_task() -> int:
    """Periodic (every 15 minutes): the reminder before each work's start, once."""
    from .services import works_send_reminders

    return works_send_reminders()


def previous_month(today: date | None = None) -> date:
    return previous_month_start(today or timezone.localdate())


@shared_task
def proposal_build_task(month: str | None = None, actor_id: int | None = None) -> int:
    """Periodic (the 1st of each month, for the month just ended) and on staff request."""
    from subscribers.models import User

    from .services import proposal_build

    target = date.fromisoformat(month) if month else previous_month()
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return proposal_build(month=target, actor=actor).pk


@shared_task
def report_build_task(report_id: int) -> bool:
    from .services import report_build

    return report_build(report_id=report_id)

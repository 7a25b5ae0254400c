"""Periodic billing work. Thin: each calls a service that is set-based and safe to run twice.
Every periodic task is also a management command (billing/management/commands)."""

from celery import shared_task

from . import services


@shared_task
def billing_run_monthly() -> int:
    """Charge this month to the active subscribers not charged yet (the 1st, and any late start)."""
    return len(services.billing_run())


@shared_task
def billing_suspend_overdue() -> int:
    return len(services.subscribers_suspend_overdue())


@shared_task
def billing_resume_paid() -> int:
    """A safety net: payments resume at once; this also catches settling corrections."""
    return len(services.subscribers_resume_settled())


@shared_task
def billing_purge_expired() -> int:
    return len(services.subscribers_purge_expired())


@shared_task
def billing_send_reminders() -> int:
    return services.billing_reminders_send()

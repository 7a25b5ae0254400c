"""Periodic work of the support desk: thin tasks that call services (each also a command)."""

from celery import shared_task


@shared_task(name="support.sla_scan")
def sla_scan_task() -> dict:
    from .services import sla_scan

    return sla_scan()


@shared_task(name="support.sla_notify")
def sla_notify(*, kind: str, ticket_ids: list[int]) -> int:
    from .services import sla_notifications_send

    return sla_notifications_send(kind=kind, ticket_ids=ticket_ids)


@shared_task(name="support.mail_poll")
def mail_poll_task() -> dict:
    from onebuh.metrics import heartbeat

    from .mail.imap import mail_poll

    counts = mail_poll()
    if "skipped" not in counts:
        heartbeat("mail_poll")  # the poller's lag on /metrics is measured from here
    return counts

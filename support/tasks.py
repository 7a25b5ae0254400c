"""Periodic work of the support desk: thin tasks that call services (each also a command)."""

from celery import shared_task

from onebuh.metrics import heartbeat

from .mail.imap import mail_poll
from .services import sla_scan


@shared_task(name="support.sla_scan")
def sla_scan_task() -> dict:
    return sla_scan()


@shared_task(name="support.mail_poll")
def mail_poll_task() -> dict:
    counts = mail_poll()
    if "skipped" not in counts:
        heartbeat("mail_poll")  # the poller's lag on /metrics is measured from here
    return counts

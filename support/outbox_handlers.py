"""The support desk's kinds of outbox rows (see outbox/registry.py)."""

from outbox.registry import outbox_handler

from .services.sla_scan import SLA_NOTIFY_KIND, sla_notifications_send


@outbox_handler(SLA_NOTIFY_KIND, transactional=True)
def sla_notify(payload: dict, *, chunk: dict, message) -> None:
    sla_notifications_send(kind=payload["kind"], ticket_ids=payload["ticket_ids"])

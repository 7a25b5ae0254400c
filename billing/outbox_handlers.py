"""Billing's kinds of outbox rows (see outbox/registry.py)."""

from outbox.registry import outbox_handler

from .services.notices import NOTICES_KIND, notices_deliver


@outbox_handler(NOTICES_KIND, transactional=True)
def notices(payload: dict, *, chunk: dict, message) -> None:
    notices_deliver(notice_ids=payload["notice_ids"])

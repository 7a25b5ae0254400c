"""The operations app's kinds of outbox rows (see outbox/registry.py). The announcements are
transactional fan-outs: they run once and owe one email row per recipient."""

from outbox.email import emails_batched
from outbox.registry import outbox_handler

from .services.reports import REPORT_BUILD_KIND


@outbox_handler("operations.work_notify", transactional=True)
def work_notify(payload: dict, *, chunk: dict, message) -> None:
    from .notifications import work_send_notices

    with emails_batched():
        work_send_notices(work_id=payload["work_id"], event=payload["event"])


@outbox_handler("operations.incident_notify", transactional=True)
def incident_notify(payload: dict, *, chunk: dict, message) -> None:
    from .notifications import incident_send_notices

    with emails_batched():
        incident_send_notices(incident_id=payload["incident_id"], event=payload["event"])


@outbox_handler("operations.claim_notify", transactional=True)
def claim_notify(payload: dict, *, chunk: dict, message) -> None:
    from .notifications import claim_send_decision

    claim_send_decision(claim_id=payload["claim_id"])


@outbox_handler(REPORT_BUILD_KIND)
def report_build(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: the build claims its report queued → running once; after a dead worker
    (this row's second attempt) a report it left running is built again."""
    from .services import report_build as build

    build(report_id=payload["report_id"], resume=message.attempts > 1)

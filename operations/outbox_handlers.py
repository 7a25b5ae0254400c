"""The operations app's kinds of outbox rows (see outbox/registry.py). The announcements are
transactional fan-outs: they run once and owe one email row per recipient."""

from datetime import date

from outbox.email import emails_batched
from outbox.registry import outbox_handler
from subscribers.models import User

from .models import CompensationProposal
from .notifications import claim_send_decision, incident_send_notices, work_send_notices
from .services import proposal_build as build_proposal
from .services import report_build as build_report
from .services.proposals import PROPOSAL_BUILD_KIND, PROPOSAL_CREDIT_KIND, proposal_credit_all
from .services.reports import REPORT_BUILD_KIND


@outbox_handler("operations.work_notify", transactional=True)
def work_notify(payload: dict, *, chunk: dict, message) -> None:
    with emails_batched():
        work_send_notices(work_id=payload["work_id"], event=payload["event"])


@outbox_handler("operations.incident_notify", transactional=True)
def incident_notify(payload: dict, *, chunk: dict, message) -> None:
    with emails_batched():
        incident_send_notices(incident_id=payload["incident_id"], event=payload["event"])


@outbox_handler("operations.claim_notify", transactional=True)
def claim_notify(payload: dict, *, chunk: dict, message) -> None:
    claim_send_decision(claim_id=payload["claim_id"])


@outbox_handler(REPORT_BUILD_KIND)
def report_build(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: the build claims its report queued → running once; after a dead worker
    (this row's second attempt) a report it left running is built again."""
    build_report(report_id=payload["report_id"], resume=message.attempts > 1)


@outbox_handler(PROPOSAL_BUILD_KIND)
def proposal_build(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: a build recomputes the month's open lines; credited lines stay."""
    actor = User.objects.filter(pk=payload.get("actor_id")).first()
    build_proposal(month=date.fromisoformat(payload["month"]), actor=actor)


@outbox_handler(PROPOSAL_CREDIT_KIND)
def proposal_credit(payload: dict, *, chunk: dict, message) -> None:
    """Safe to repeat: each line is credited once (its credit's unique source key), a rerun
    continues with the lines still open."""
    proposal = CompensationProposal.objects.filter(pk=payload["proposal_id"]).first()
    if proposal is None:
        return
    actor = User.objects.filter(pk=payload.get("actor_id")).first()
    proposal_credit_all(proposal=proposal, actor=actor)

"""Writes of the operations app. Views, admin, tasks and commands call these."""

from .claims import claim_approve, claim_file, claim_reject, operator_downtime
from .incidents import incident_record, incident_update
from .proposals import (
    proposal_build,
    proposal_credit_all,
    proposal_line_adjust,
    proposal_line_credit,
)
from .reports import report_build, report_request
from .status import status_confirm, status_subscribe, status_unsubscribe
from .works import (
    technical_work_announce,
    technical_work_cancel,
    technical_work_finish,
    technical_work_update,
    work_schedule_errors,
    works_send_reminders,
)

__all__ = [
    "claim_approve",
    "claim_file",
    "claim_reject",
    "incident_record",
    "incident_update",
    "operator_downtime",
    "proposal_build",
    "proposal_credit_all",
    "proposal_line_adjust",
    "proposal_line_credit",
    "report_build",
    "report_request",
    "status_confirm",
    "status_subscribe",
    "status_unsubscribe",
    "technical_work_announce",
    "technical_work_cancel",
    "technical_work_finish",
    "technical_work_update",
    "work_schedule_errors",
    "works_send_reminders",
]

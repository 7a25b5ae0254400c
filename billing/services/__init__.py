"""Billing writes. Other apps call `ledger_credit_bonus`; views, admin and tasks call the rest."""

from .charges import (
    billing_run,
    first_invoice_preview,
    subscription_change_tariff,
    subscription_order,
)
from .ledger import ledger_add_correction, ledger_credit_bonus
from .lifecycle import (
    billing_reminders_send,
    subscribers_purge_expired,
    subscribers_resume_settled,
    subscribers_suspend_overdue,
)
from .payments import IncomingPayment, payment_record, payments_record_many
from .statements import (
    statement_import,
    statement_import_file,
    statement_line_assign,
    statement_line_dismiss,
    statement_upload,
)
from .termination import (
    bonus_payout,
    reconciliation_create,
    subscriber_lift_manual_suspension,
    subscriber_suspend_manually,
    subscriber_terminate,
    termination_request,
)

__all__ = [
    "IncomingPayment",
    "payments_record_many",
    "statement_import",
    "statement_import_file",
    "statement_line_assign",
    "statement_line_dismiss",
    "statement_upload",
    "billing_reminders_send",
    "billing_run",
    "bonus_payout",
    "first_invoice_preview",
    "ledger_add_correction",
    "ledger_credit_bonus",
    "payment_record",
    "reconciliation_create",
    "subscriber_lift_manual_suspension",
    "subscriber_suspend_manually",
    "subscriber_terminate",
    "subscribers_purge_expired",
    "subscribers_resume_settled",
    "subscribers_suspend_overdue",
    "subscription_change_tariff",
    "subscription_order",
    "termination_request",
]

"""The registry of audit actions (STYLE.md: typed events, never free strings at call sites).

Every `audit_record` call names an `AuditAction`; the audit admin shows its Russian label. The
column stays a plain string (no `choices` on the model): a code that is not here — an older row,
or an action added on another branch — is shown as its raw code, never an error.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    ADMIN_ADD = "admin.add", _("Admin: added")
    ADMIN_CHANGE = "admin.change", _("Admin: changed")
    ADMIN_DELETE = "admin.delete", _("Admin: deleted")
    STAFF_ROLE_CHANGE = "admin.role_change", _("Staff roles changed")
    API_TOKEN_CREATE = "api.token_create", _("API token created")
    API_TOKEN_REVOKE = "api.token_revoke", _("API token revoked")
    LOGIN = "auth.login", _("Signed in")
    LOGIN_FAILED = "auth.login_failed", _("Failed sign-in")
    BONUS_CREDIT = "billing.bonus_credit", _("Bonuses credited")
    BONUS_PAYOUT = "billing.bonus_payout", _("Bonuses paid out")
    LEDGER_CORRECTION = "billing.correction", _("Ledger correction")
    INVOICE_DOWNLOAD = "billing.invoice_download", _("Invoice downloaded")
    ORDER = "billing.order", _("Service ordered")
    PAYMENT = "billing.payment", _("Payment recorded")
    PURGE = "billing.purge", _("Data purged for non-payment")
    RECONCILIATION = "billing.reconciliation", _("Reconciliation statement made")
    RESUME_PAID = "billing.resume_paid", _("Resumed after payment")
    BILLING_RUN = "billing.run", _("Monthly charge")
    STATEMENT_IMPORT = "billing.statement_import", _("Bank statement imported")
    STATEMENT_LINE_ASSIGN = "billing.statement_line_assign", _("Statement line assigned")
    STATEMENT_LINE_DISMISS = "billing.statement_line_dismiss", _("Statement line dismissed")
    SUSPEND_OVERDUE = "billing.suspend_overdue", _("Suspended for non-payment")
    TARIFF_CHANGE = "billing.tariff_change", _("Tariff changed")
    TARIFF_PRICE_CHANGE = "billing.tariff_price_change", _("Tariff terms changed")
    INFOBASE_ACCESS_GRANT = "infobase.access_grant", _("Infobase access granted")
    INFOBASE_ACCESS_CHANGE = "infobase.access_change", _("Infobase access changed")
    INFOBASE_ACCESS_REVOKE = "infobase.access_revoke", _("Infobase access revoked")
    INFOBASE_BACKUP = "infobase.backup", _("Infobase backup")
    INFOBASE_CREATE = "infobase.create", _("Infobase created")
    INFOBASE_DELETE = "infobase.delete", _("Infobase deleted")
    INFOBASE_LOCK_CLEAR = "infobase.lock_clear", _("Infobase lock cleared")
    INFOBASE_LOCK_SET = "infobase.lock_set", _("Infobase locked")
    INFOBASE_OPERATION_RETRY = "infobase.operation_retry", _("Infobase operation retried")
    INFOBASE_PLACEMENT_REQUEST = "infobase.placement_request", _("Infobase placement requested")
    INFOBASE_RENAME = "infobase.rename", _("Infobase renamed")
    INFOBASE_RESTORE = "infobase.restore", _("Infobase restored")
    INFOBASE_SESSION_END = "infobase.session_end", _("Infobase session ended")
    LICENCE_NUMBERS_IMPORT = "licence.numbers_import", _("Licence numbers imported")
    MEMBER_INVITATION_REVOKE = "member.invitation_revoke", _("Invitation revoked")
    MEMBER_INVITE = "member.invite", _("Member invited")
    MEMBER_JOIN = "member.join", _("Member joined")
    MEMBER_REMOVE = "member.remove", _("Member removed")
    MEMBER_ROLE_CHANGE = "member.role_change", _("Member's role changed")
    CLAIM_APPROVE = "operations.claim_approve", _("Compensation claim approved")
    CLAIM_FILE = "operations.claim_file", _("Compensation claim filed")
    CLAIM_REJECT = "operations.claim_reject", _("Compensation claim rejected")
    INCIDENT_RECORD = "operations.incident_record", _("Incident recorded")
    INCIDENT_UPDATE = "operations.incident_update", _("Incident updated")
    PROPOSAL_BUILD = "operations.proposal_build", _("Compensation proposal built")
    PROPOSAL_CREDIT = "operations.proposal_credit", _("Compensation proposal credited")
    REPORT_REQUEST = "operations.report_request", _("Report requested")
    REPORT_DOWNLOAD = "report.download", _("Report downloaded")
    WORK_ANNOUNCE = "operations.work_announce", _("Technical work announced")
    WORK_CANCEL = "operations.work_cancel", _("Technical work cancelled")
    WORK_FINISH = "operations.work_finish", _("Technical work finished")
    WORK_UPDATE = "operations.work_update", _("Technical work changed")
    RELEASE_PUBLISH = "release.publish", _("Release published")
    SUBSCRIBER_REGISTER = "subscriber.register", _("Subscriber registered")
    SUBSCRIBER_UPDATE = "subscriber.update", _("Subscriber's data changed")
    SUBSCRIBER_REGISTERED = "subscriber.registered", _("State: registered")
    SUBSCRIBER_SUSPENDED = "subscriber.suspended", _("State: suspended")
    SUBSCRIBER_RESUMED = "subscriber.resumed", _("State: resumed")
    SUBSCRIBER_PURGE_SCHEDULED = "subscriber.purge_scheduled", _("State: data deletion scheduled")
    SUBSCRIBER_PURGE_CANCELLED = "subscriber.purge_cancelled", _("State: data deletion cancelled")
    SUBSCRIBER_PURGED = "subscriber.purged", _("State: data deleted")
    SUBSCRIBER_TERMINATION_REQUESTED = (
        "subscriber.termination_requested",
        _("Termination requested"),
    )
    SUBSCRIBER_TERMINATED = "subscriber.terminated", _("State: terminated")
    ATTACHMENT_DOWNLOAD = "support.attachment_download", _("Ticket attachment downloaded")
    CONNECT_CLIENT_BIND = "support.connect_client_bind", _("1C-Connect client bound")
    CONNECT_CLIENT_UNBIND = "support.connect_client_unbind", _("1C-Connect client unbound")
    CONNECT_CODE_ISSUE = "support.connect_code_issue", _("1C-Connect code issued")
    INBOUND_DISCARD = "support.inbound_discard", _("Inbound message discarded")
    INBOUND_RETRY = "support.inbound_retry", _("Inbound message retried")
    ONEC_TOKEN_ISSUE = "support.onec_token_issue", _("1C form token issued")
    ONEC_TOKEN_REVOKE = "support.onec_token_revoke", _("1C form token revoked")
    TICKET_ACCEPT = "support.ticket_accept", _("Ticket accepted into work")
    TICKET_ASSIGN = "support.ticket_assign", _("Ticket assigned")
    TICKET_CHANGE_CATEGORY = "support.ticket_change_category", _("Ticket category changed")
    TICKET_CLOSE = "support.ticket_close", _("Ticket closed")
    TICKET_DEFER = "support.ticket_defer", _("Ticket deferred")
    TICKET_NOTE = "support.ticket_note", _("Internal note added")
    TICKET_OPEN = "support.ticket_open", _("Ticket opened")
    TICKET_RATE = "support.ticket_rate", _("Ticket rated")
    TICKET_REFUSE = "support.ticket_refuse", _("Ticket refused")
    TICKET_REPLY = "support.ticket_reply", _("Ticket answered")
    TICKET_SENDER_CONFIRM = "support.ticket_sender_confirm", _("Ticket sender confirmed")
    TICKET_SENDER_REJECT = "support.ticket_sender_reject", _("Ticket sender rejected")
    TERMS_ACCEPT = "terms.accept", _("Terms accepted")
    TERMS_PUBLISH = "terms.publish", _("Terms published")


def audit_action_label(code: str) -> str:
    """The Russian label of an action, or the raw code when the registry does not know it."""
    try:
        return str(AuditAction(code).label)
    except ValueError:
        return code

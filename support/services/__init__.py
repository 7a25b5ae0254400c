"""Writes of the support desk (STYLE.md §1). Other apps call `ticket_open`."""

from .connect_binding import (
    connect_client_bind_by_code,
    connect_client_bind_by_staff,
    connect_client_unbind,
    connect_code_issue,
)
from .knowledge import article_index, articles_index
from .macros import macro_assignee_for, macro_render, ticket_macro_apply
from .senders import ticket_sender_confirm, ticket_sender_reject
from .sla_scan import sla_notifications_send, sla_scan
from .state import (
    ticket_accept,
    ticket_assign,
    ticket_await_subscriber,
    ticket_change_category,
    ticket_close,
    ticket_defer,
    ticket_rate,
    ticket_refuse,
)
from .tickets import (
    QuotaExhausted,
    message_add,
    quota_check,
    ticket_note,
    ticket_open,
    ticket_reply,
)
from .tokens import onec_token_authenticate, onec_token_issue, onec_token_revoke

__all__ = [
    "article_index",
    "articles_index",
    "QuotaExhausted",
    "connect_client_bind_by_code",
    "connect_client_bind_by_staff",
    "connect_client_unbind",
    "connect_code_issue",
    "macro_assignee_for",
    "macro_render",
    "message_add",
    "onec_token_authenticate",
    "onec_token_issue",
    "onec_token_revoke",
    "quota_check",
    "sla_notifications_send",
    "sla_scan",
    "ticket_accept",
    "ticket_assign",
    "ticket_await_subscriber",
    "ticket_change_category",
    "ticket_close",
    "ticket_defer",
    "ticket_macro_apply",
    "ticket_note",
    "ticket_open",
    "ticket_rate",
    "ticket_refuse",
    "ticket_reply",
    "ticket_sender_confirm",
    "ticket_sender_reject",
]

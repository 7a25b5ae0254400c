"""The support desk's models, one module per area (STYLE.md §11)."""

from .calendars import Calendar, CalendarException, CalendarInterval, ExceptionKind, Weekday
from .catalog import PartnerAssignment, ResponsibleSide, SupportKind, WorkType
from .channels import InboundMessage, MailDirection, OneCFormToken, TicketMailId, hash_token
from .knowledge import Article, CannedReply
from .tickets import (
    DEFERRAL_REASONS,
    OPEN_STATUSES,
    PARTNER_CATEGORIES,
    Category,
    Channel,
    DecisionReason,
    MessageAuthor,
    Ticket,
    TicketAttachment,
    TicketMessage,
    TicketStatus,
    kind_of_category,
)

__all__ = [
    "OPEN_STATUSES",
    "PARTNER_CATEGORIES",
    "Article",
    "Calendar",
    "CalendarException",
    "CalendarInterval",
    "CannedReply",
    "Category",
    "Channel",
    "DEFERRAL_REASONS",
    "DecisionReason",
    "ExceptionKind",
    "InboundMessage",
    "MailDirection",
    "MessageAuthor",
    "OneCFormToken",
    "PartnerAssignment",
    "ResponsibleSide",
    "SupportKind",
    "Ticket",
    "TicketAttachment",
    "TicketMailId",
    "TicketMessage",
    "TicketStatus",
    "Weekday",
    "WorkType",
    "hash_token",
    "kind_of_category",
]

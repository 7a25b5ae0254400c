"""The support desk's models, one module per area (STYLE.md §11)."""

from .calendars import Calendar, CalendarException, CalendarInterval, ExceptionKind, Weekday
from .catalog import PartnerAssignment, ResponsibleSide, SupportKind, WorkType
from .channels import (
    ConnectBindingCode,
    ConnectClient,
    InboundMessage,
    MailDirection,
    OneCFormToken,
    TicketMailId,
    UnknownSenderReply,
    hash_token,
)
from .knowledge import Article
from .macros import Macro, MacroAssignee, MacroStatus
from .tickets import (
    DEFERRAL_REASONS,
    OPEN_STATUSES,
    PARTNER_CATEGORIES,
    Category,
    Channel,
    DecisionReason,
    MessageAuthor,
    SenderCheck,
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
    "Category",
    "Channel",
    "ConnectBindingCode",
    "ConnectClient",
    "DEFERRAL_REASONS",
    "DecisionReason",
    "ExceptionKind",
    "InboundMessage",
    "Macro",
    "MacroAssignee",
    "MacroStatus",
    "MailDirection",
    "MessageAuthor",
    "OneCFormToken",
    "PartnerAssignment",
    "ResponsibleSide",
    "SenderCheck",
    "SupportKind",
    "Ticket",
    "TicketAttachment",
    "TicketMailId",
    "TicketMessage",
    "TicketStatus",
    "UnknownSenderReply",
    "Weekday",
    "WorkType",
    "hash_token",
    "kind_of_category",
]

"""The foundation's models: people, subscribers and their members, terms, the audit trail."""

from .audit import AuditEntry
from .people import PartnerFirm, User, UserManager
from .subscriber import (
    Invitation,
    LegalForm,
    MemberRole,
    Membership,
    Subscriber,
    SubscriberStateChange,
    SubscriberStatus,
    SuspensionReason,
    _invitation_token,
)
from .terms import TermsAcceptance, TermsVersion

__all__ = [
    "AuditEntry",
    "Invitation",
    "LegalForm",
    "MemberRole",
    "Membership",
    "PartnerFirm",
    "Subscriber",
    "SubscriberStateChange",
    "SubscriberStatus",
    "SuspensionReason",
    "TermsAcceptance",
    "TermsVersion",
    "User",
    "UserManager",
    "_invitation_token",  # referenced by migration 0001
]

from .ledger import (
    BillingCounter,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentMethod,
    ReconciliationStatement,
)
from .lifecycle import (
    BillingAccount,
    BillingNotice,
    Debtor,
    NoticeKind,
    PurgeRecord,
    SuspendedSubscriber,
)
from .tariffs import Subscription, Tariff

__all__ = [
    "BillingAccount",
    "BillingCounter",
    "BillingNotice",
    "Debtor",
    "Invoice",
    "InvoiceKind",
    "InvoiceStatus",
    "LedgerEntry",
    "LedgerKind",
    "NoticeKind",
    "Payment",
    "PaymentMethod",
    "PurgeRecord",
    "ReconciliationStatement",
    "Subscription",
    "Tariff",
    "SuspendedSubscriber",
]

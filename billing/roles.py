"""Staff permissions for billing (see subscribers/roles.py)."""

from subscribers.roles import StaffRole

_READ = [
    "billing.view_tariff",
    "billing.view_subscription",
    "billing.view_invoice",
    "billing.view_payment",
    "billing.view_ledgerentry",
    "billing.view_reconciliationstatement",
    "billing.view_purgerecord",
    "billing.view_billingnotice",
    "billing.view_debtor",
    "billing.view_suspendedsubscriber",
    "billing.view_billingaccount",
    "billing.view_bankstatement",
    "billing.view_statementline",
    "billing.view_promisedpayment",
]
# Statements: upload and import, and the queue of lines waiting for a subscriber.
_STATEMENTS = ["billing.add_bankstatement", "billing.change_statementline"]

ROLE_PERMISSIONS = {
    # Engineers see who is suspended and what was purged, to answer about blocked infobases.
    StaffRole.OPERATOR_ENGINEER: [
        "billing.view_tariff",
        "billing.view_subscription",
        "billing.view_suspendedsubscriber",
        "billing.view_purgerecord",
    ],
    StaffRole.PARTNER_CONSULTANT: ["billing.view_tariff"],
    # Accountants run the personal accounts: payments, corrections, reconciliation, termination.
    StaffRole.ACCOUNTANT: [
        *_READ,
        "billing.add_payment",
        "billing.add_ledgerentry",
        "billing.change_billingaccount",
        *_STATEMENTS,
    ],
    StaffRole.ADMINISTRATOR: [
        *_READ,
        "billing.add_tariff",
        "billing.change_tariff",
        "billing.add_payment",
        "billing.add_ledgerentry",
        "billing.change_billingaccount",
        *_STATEMENTS,
    ],
}

from billing.management.periodic import periodic_command
from billing.tasks import billing_run_monthly

Command = periodic_command(
    billing_run_monthly,
    "Charge this month's fee to active subscribers not charged yet and issue invoices.",
)

from billing.management.periodic import periodic_command
from billing.tasks import billing_suspend_overdue

Command = periodic_command(
    billing_suspend_overdue, "Suspend subscribers with an invoice unpaid after its due date (3.5)."
)

from billing.management.periodic import periodic_command
from billing.tasks import billing_send_reminders

Command = periodic_command(billing_send_reminders, "Send payment reminders and purge warnings.")

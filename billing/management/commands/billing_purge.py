from billing.management.periodic import periodic_command
from billing.tasks import billing_purge_expired

Command = periodic_command(
    billing_purge_expired,
    "Delete the data of subscribers 30 days without payment or terminated (3.6).",
)

from billing.management.periodic import periodic_command
from billing.tasks import billing_resume_paid

Command = periodic_command(
    billing_resume_paid, "Resume subscribers suspended for non-payment whose debt is paid."
)

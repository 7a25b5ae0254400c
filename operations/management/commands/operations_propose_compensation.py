from datetime import date

from django.core.management.base import BaseCommand, CommandError

from operations.services import proposal_build
from operations.tasks import previous_month


class Command(BaseCommand):
    help = (
        "Compute the month's compensation proposal from the operator's incident records "
        "(default: the month just ended). Crediting stays a staff decision in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; default: the previous month")

    def handle(self, *args, **options):
        if options["month"]:
            try:
                month = date.fromisoformat(f"{options['month']}-01")
            except ValueError as error:
                raise CommandError("--month must look like 2026-10") from error
        else:
            month = previous_month()
        proposal = proposal_build(month=month)
        self.stdout.write(f"proposal {proposal.month:%Y-%m}: {proposal.lines.count()} lines")

"""Import a bank statement (1CClientBankExchange or MT940): credit matched payments, queue the rest."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from billing.services import statement_import_file


class Command(BaseCommand):
    help = "Import a bank statement file (1C client-bank exchange or MT940)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; credit nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        try:
            summary = statement_import_file(raw=raw, file_name=file.name, dry_run=dry_run)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        prefix = "DRY RUN: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{summary['lines']} lines: credited {summary['credited']} "
            f"({summary['credited_amount']} KZT), already known {summary['known']}, "
            f"waiting {summary['waiting']}, ignored {summary['ignored']}, "
            f"rejected {len(summary['rejected'])}"
        )
        for item in summary["rejected"]:
            self.stdout.write(f"  line {item['line']} (No. {item['number']}): {item['reason']}")

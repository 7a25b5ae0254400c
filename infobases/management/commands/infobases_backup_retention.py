from django.core.management.base import BaseCommand

from infobases.services import backups_apply_retention


class Command(BaseCommand):
    help = "Delete backups past their tariff's retention, and their files (keeps each newest)."

    def handle(self, *args, **options):
        self.stdout.write(f"backups deleted: {backups_apply_retention()}")

from django.core.management.base import BaseCommand

from infobases.services import updates_start_due


class Command(BaseCommand):
    help = "Start the scheduled release updates that are due (only inside 01:00–06:00 Almaty)."

    def handle(self, *args, **options):
        self.stdout.write(f"updates started: {updates_start_due()}")

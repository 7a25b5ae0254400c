from django.core.management.base import BaseCommand

from operations.services import works_send_reminders


class Command(BaseCommand):
    help = "Send the reminder of each technical work starting within a day (once per work)."

    def handle(self, *args, **options):
        self.stdout.write(f"reminders: {works_send_reminders()}")

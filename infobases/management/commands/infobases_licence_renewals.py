from django.core.management.base import BaseCommand
from django.utils import timezone

from infobases.services import licences_record_renewals


class Command(BaseCommand):
    help = "Record this month's renewal of every licensed user's rights (2.2; safe to repeat)."

    def handle(self, *args, **options):
        count = licences_record_renewals(month=timezone.localdate())
        self.stdout.write(f"renewals recorded: {count}")

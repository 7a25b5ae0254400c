from django.core.management.base import BaseCommand
from django.utils import timezone

from infobases.services import backups_schedule_daily


class Command(BaseCommand):
    help = "Queue today's backup of every ready infobase (the nightly Celery task; safe to repeat)."

    def handle(self, *args, **options):
        count = backups_schedule_daily(day=timezone.localdate())
        self.stdout.write(f"backups queued: {count}")

from django.core.management.base import BaseCommand

from infobases.services.abandoned import uploads_cleanup


class Command(BaseCommand):
    help = (
        "Remove resumable .dt uploads started and never finished (ONEBUH_UPLOAD_ABANDONED_HOURS): "
        "mark them failed, abort their S3 multipart uploads or delete their parts on disk."
    )

    def handle(self, *args, **options):
        result = uploads_cleanup()
        self.stdout.write(
            f"uploads expired: {result['expired']}, stale parts swept: {result['swept']}"
        )

from django.core.management.base import BaseCommand

from outbox.dispatcher import outbox_dispatch


class Command(BaseCommand):
    help = (
        "Send the due outbox rows and the queued operations to the workers, and take back "
        "work whose lease ran out (the beat runs this every minute)."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(outbox_dispatch()))

from django.core.management.base import BaseCommand
from django.utils import timezone

from infobases.models import Operation, OperationStatus
from infobases.services import operation_run
from infobases.services.dispatch import operations_reap


class Command(BaseCommand):
    help = "Run the queued cluster operations here, without a worker (each runs once by its id)."

    def handle(self, *args, **options):
        # Operations whose worker died go back to the queue first (or fail after their attempts).
        reaped = operations_reap(now=timezone.now())
        self.stdout.write(f"reaped: {reaped}")
        ids = list(
            Operation.objects.filter(status=OperationStatus.QUEUED)
            .order_by("created_at")
            .values_list("pk", flat=True)
        )
        results = [operation_run(operation_id=pk) for pk in ids]
        self.stdout.write(
            f"operations: {len(ids)}, done {results.count('done')}, "
            f"failed {results.count('failed')}"
        )

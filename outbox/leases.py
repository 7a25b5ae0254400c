"""Leases: a claimed row belongs to its worker until `lease_until`; a worker that is alive keeps
renewing it, a dead one stops, and the reaper takes the row back once the lease runs out."""

import contextlib
import datetime
import logging
import threading

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def lease_seconds() -> int:
    return int(getattr(settings, "ONEBUH_LEASE_SECONDS", 120))


def lease_until(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(seconds=lease_seconds())


@contextlib.contextmanager
def lease_kept(renew):
    """Call `renew()` (an UPDATE of lease_until of the rows this worker holds) every third of
    the lease from a side thread while the block runs: a long backup keeps its lease while the
    process lives, and loses it within one lease when the process is killed."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(lease_seconds() / 3):
                try:
                    with transaction.atomic():
                        # Never wait behind the worker's own row locks.
                        if connection.vendor == "postgresql":
                            with connection.cursor() as cursor:
                                cursor.execute("SET LOCAL lock_timeout = '2s'")
                        renew()
                except Exception:  # the next beat tries again
                    logger.warning("Could not renew a lease", exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name="lease-keeper", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)

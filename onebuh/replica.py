"""Reports read from a PostgreSQL streaming replica when one is configured (README, "Scaling
out"): `DATABASE_REPLICA_URL` adds the `replica` database; code inside `reports_replica()` (the
compensation report's build in a worker, the SLA report) sends its reads there through
`ReportsReplicaRouter`, so the month-long scans stay off the primary. Every write, and every read
outside the block, goes to the primary; without a replica the block changes nothing.

A replica lags the primary by a moment: only reads of settled history (a past or current
month's figures) belong in the block, never a row the same request has just written.
"""

import contextlib
import contextvars

from django.conf import settings

PRIMARY, REPLICA = "default", "replica"
_reading_reports = contextvars.ContextVar("onebuh_reading_reports", default=False)


@contextlib.contextmanager
def reports_replica():
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_reports.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        # Explicit: an object read from the replica is saved to the primary, not to its source.
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases are the same data: a row read from the replica may point at one from
        # the primary.
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica replays the primary's WAL, migrations included.
        return db == PRIMARY

"""Exactly one beat: the scheduler sends periodic tasks only while it holds a PostgreSQL
advisory lock on a connection of its own. A second beat started anywhere idles, trying the lock
every few seconds, and takes over within that time when the first one dies (its connection
closes and PostgreSQL releases the lock). On SQLite (the embedded default) there is one process
anyway and no lock is taken.

It is CELERY_BEAT_SCHEDULER, so a plain `celery -A onebuh beat` uses it."""

import contextlib
import logging

from django.db import connection
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)
LOCK_KEY = 0x0E1B_BEA7  # one number for the whole portal
RETRY_SECONDS = 5.0


class SingleBeatScheduler(DatabaseScheduler):
    _lock_connection = None

    def _holds_lock(self) -> bool:
        if connection.vendor != "postgresql":
            return True
        if self._lock_connection is not None:
            try:
                with self._lock_connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                return True
            except Exception:  # the server restarted: the lock went with the connection
                logger.warning("Beat lost its lock connection; trying to take the lock again")
                self._drop_lock_connection()
        try:
            raw = connection.get_new_connection(connection.get_connection_params())
            raw.autocommit = True
            with raw.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                (taken,) = cursor.fetchone()
        except Exception:
            logger.warning("Beat cannot reach PostgreSQL to take its lock", exc_info=True)
            return False
        if not taken:
            raw.close()
            return False
        self._lock_connection = raw
        logger.warning("Beat holds the scheduler lock: this process sends the periodic tasks")
        return True

    def _drop_lock_connection(self) -> None:
        with contextlib.suppress(Exception):  # already gone
            self._lock_connection.close()
        self._lock_connection = None

    def tick(self, *args, **kwargs):
        if not self._holds_lock():
            return RETRY_SECONDS
        return super().tick(*args, **kwargs)

    def close(self):
        if self._lock_connection is not None:
            self._drop_lock_connection()
        super().close()

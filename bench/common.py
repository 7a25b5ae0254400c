"""Shared by the bench_*.py scripts: Django set-up, emails queued in memory, a timed call."""

import os
import sys
import time
from pathlib import Path


def setup() -> None:
    """Import Django for a bench script run as a file (bench/run.py sets the database)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onebuh.settings.test")
    import django

    django.setup()
    from django.conf import settings

    from onebuh.celery import app

    # Tasks are queued, not run: in production a worker does that work outside the timed pass.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"


def timed(label: str, func, **kwargs):
    """Call func(**kwargs), print its duration and SQL query count, return its result."""
    from django.conf import settings
    from django.db import connection, reset_queries

    settings.DEBUG = True  # Django records the queries only with DEBUG.
    reset_queries()
    started, cpu = time.perf_counter(), time.process_time()
    result = func(**kwargs)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    queries = len(connection.queries)
    settings.DEBUG = False
    size = len(result) if isinstance(result, list | tuple | dict) else result
    # The bench process's own CPU time beside the wall time: on a shared machine the wall time
    # grows with the load as well, the CPU time only with the work (the database's is not in it).
    print(
        f"{label:<48} {elapsed:7.2f} s  {queries:5d} queries  cpu {cpu:6.2f} s  -> {size}",
        flush=True,
    )
    return result


def analyze() -> None:
    """ANALYZE after a bulk load: without fresh statistics the planner picks plans for empty
    tables (the backup pass went from 0.5 s to 7 s at 30,000 infobases)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def scale(default: int) -> int:
    """The number of subscribers a scaled bench works on: BENCH_SCALE (set by
    `bench/run.py --scales 10000,100000`), else the bench's own default."""
    return int(os.environ.get("BENCH_SCALE") or default)


def figure(label: str, value: float, unit: str) -> None:
    """A measured figure other than a duration, in the lines `run.py --scales` compares."""
    print(f"{label:<48} {value:7.1f} {unit}", flush=True)

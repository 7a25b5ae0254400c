#!/usr/bin/env python
"""`make bench`: run every bench/bench_*.py on a dedicated benchmark database and print the output.

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/onebuh_bench); it is
created if missing and migrated once, then each script runs as its own process with
DJANGO_SETTINGS_MODULE=onebuh.settings.test pointed at it.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/onebuh_bench"


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "onebuh.settings.test", "DATABASE_URL": url}
    parsed = urlparse(url)
    subprocess.run(
        [
            "createdb",
            "-h",
            parsed.hostname or "127.0.0.1",
            "-p",
            str(parsed.port or 5432),
            "-U",
            parsed.username or "postgres",
            parsed.path.lstrip("/"),
        ],
        capture_output=True,
    )
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    only = sys.argv[1:]
    failed = 0
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        if only and script.stem not in only:
            continue
        print(f"== {script.name}", flush=True)
        result = subprocess.run([python, str(script)], cwd=ROOT, env=env)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""`make bench`: run every bench/bench_*.py on a dedicated benchmark database and print the output.

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/onebuh_bench); it is
created if missing and migrated once, then each script runs as its own process with
DJANGO_SETTINGS_MODULE=onebuh.settings.test pointed at it.

`bench/run.py --scales 10000,100000 [bench_billing …]` runs the scaled benches (SCALED below) once
per number of subscribers, each scale on a fresh database of its own (`<database>_<scale>`,
dropped and created again, so every scale starts from the same empty state), and prints their
figures side by side with the growth factor (the last scale's figure over the first's).
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/onebuh_bench"
# The benches whose passes grow with the number of subscribers (they read BENCH_SCALE).
SCALED = ["bench_billing", "bench_infobases", "bench_operations"]
# A figure line: the label padded to 48, then "<value> s" (timed) or "<value> <unit>" (figure).
FIGURE = re.compile(r"^(?P<label>.{48}) +(?P<value>\d+(?:\.\d+)?) (?P<unit>s|MiB)\b")


def _pg(url: str, *args: str) -> subprocess.CompletedProcess:
    parsed = urlparse(url)
    return subprocess.run(
        [
            *args,
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


def _prepare(url: str, *, fresh: bool = False) -> dict:
    if fresh:
        _pg(url, "dropdb", "--if-exists", "--force")
    _pg(url, "createdb")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "onebuh.settings.test", "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    return env


def _run(script: Path, env: dict) -> tuple[int, list[str]]:
    """Run one bench, echoing its output as it comes; answer its exit code and its lines."""
    process = subprocess.Popen(
        [sys.executable, str(script)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    return process.wait(), lines


def run_all(only: list[str]) -> int:
    env = _prepare(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    failed = 0
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        if only and script.stem not in only:
            continue
        print(f"== {script.name}", flush=True)
        failed += _run(script, env)[0] != 0
    return 1 if failed else 0


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def run_scales(scales: list[int], only: list[str]) -> int:
    base = urlparse(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    names = [name for name in SCALED if not only or name in only]
    figures: dict[tuple[str, str], dict[int, tuple[float, str]]] = {}
    failed = 0
    for count in scales:
        url = urlunparse(base._replace(path=f"{base.path}_{count}"))
        env = {**_prepare(url, fresh=True), "BENCH_SCALE": str(count)}
        for name in names:
            print(f"== {name}.py at {count:,} subscribers (load average {_load_average()})")
            code, lines = _run(ROOT / "bench" / f"{name}.py", env)
            failed += code != 0
            for line in lines:
                if match := FIGURE.match(line):
                    key = (name, match["label"].strip())
                    figures.setdefault(key, {})[count] = (float(match["value"]), match["unit"])
    print()
    print(f"== side by side (load average at the end {_load_average()})")
    first, last = scales[0], scales[-1]
    head = " | ".join(f"{count:,}" for count in scales)
    print(f"| bench | figure | {head} | × ({last:,} / {first:,}) |")
    print("|---|---|" + "---:|" * (len(scales) + 1))
    for (name, label), by_scale in figures.items():
        cells = [f"{by_scale[c][0]:.2f} {by_scale[c][1]}" if c in by_scale else "—" for c in scales]
        growth = "—"
        if first in by_scale and last in by_scale and by_scale[first][0] > 0:
            growth = f"{by_scale[last][0] / by_scale[first][0]:.1f}×"
        print(f"| {name.removeprefix('bench_')} | {label} | {' | '.join(cells)} | {growth} |")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benches", nargs="*", help="bench_* names to run (default: all)")
    parser.add_argument(
        "--scales", help="comma-separated numbers of subscribers, e.g. 10000,100000"
    )
    args = parser.parse_args()
    if args.scales:
        scales = [int(value) for value in args.scales.split(",") if value.strip()]
        return run_scales(scales, args.benches)
    return run_all(args.benches)


if __name__ == "__main__":
    sys.exit(main())

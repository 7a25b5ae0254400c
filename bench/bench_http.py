"""HTTP benchmark: the panel's main pages under load, beside a trivial view on the same stack.

Database at scale (its own, BENCH_HTTP_DATABASE_URL, built once with the apps' load generators
and reused): 10,000 subscribers, 30,000 infobases, 300,000 tickets, 1,000,000 ledger entries.
gunicorn serves the portal with the production settings (DEBUG off) on 127.0.0.1; a subscriber
owner signs in over HTTP (session cookie); wrk (Debian's, installed if missing and possible; a
bounded Python loop otherwise) loads each page for a fixed time over loopback. The table gives
median and 95th-percentile latency, throughput, and each page's median and p95 over the trivial
view's (/healthz) in the same round — the figures to watch, target ≤ 3×: the script exits 1 when a
page is over it (or a request failed).

Knobs: BENCH_HTTP_SECONDS (10 per page), BENCH_HTTP_CONNECTIONS (2), BENCH_HTTP_WORKERS (2),
BENCH_HTTP_ROUNDS (3: every page once per round, the table gives the medians), BENCH_HTTP_PORT
(a free one by default).
"""

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from httpload import fetch, login, python_load, wait_until_up, wrk_load

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_HTTP_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/onebuh_bench_http"
)
REDIS_URL = (
    os.environ.get("BENCH_HTTP_REDIS_URL")
    or os.environ.get("REDIS_URL")
    or "redis://127.0.0.1:6379/1"
)
SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_HTTP_CONNECTIONS", "2"))
WORKERS = int(os.environ.get("BENCH_HTTP_WORKERS", "2"))
ROUNDS = int(os.environ.get("BENCH_HTTP_ROUNDS", "3"))
SCALE = {"subscribers": 10_000, "infobases": 3, "tickets": 300_000, "ledger": 100}
PASSWORD = "load-test-password"  # subscribers.load gives every generated owner this password
TARGET_RATIO = 3.0


def _database() -> None:
    """Create and migrate the benchmark's own database (a no-op when it exists)."""
    parsed = urlparse(DATABASE_URL)
    subprocess.run(
        ["createdb", "-h", parsed.hostname, "-p", str(parsed.port or 5432)]
        + ["-U", parsed.username or "postgres", parsed.path.lstrip("/")],
        capture_output=True,
    )
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL}
    env["DJANGO_SETTINGS_MODULE"] = "onebuh.settings.test"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL)


def _generate() -> None:
    from django.db import connection

    from billing.load import generate as billing_generate
    from infobases.load import generate as infobases_generate
    from operations.load import generate as operations_generate
    from subscribers.load import generate_subscribers
    from subscribers.models import Subscriber
    from support.load import generate_tickets

    if Subscriber.objects.count() >= SCALE["subscribers"]:
        print(f"database: reusing {DATABASE_URL.rsplit('/', 1)[-1]}", flush=True)
        return
    started = time.perf_counter()

    def step(label, func, **kwargs):
        began = time.perf_counter()
        result = func(**kwargs)
        shown = f"{len(result)}" if isinstance(result, list) else result
        print(f"  {label}: {shown} in {time.perf_counter() - began:.0f} s", flush=True)
        return result

    print("database: generating (bulk inserts)", flush=True)
    ids = step("subscribers", generate_subscribers, count=SCALE["subscribers"], seed=7)
    step(
        "billing",
        billing_generate,
        subscriber_ids=ids,
        seed=7,
        ledger_entries_per_subscriber=SCALE["ledger"],
    )
    step(
        "infobases",
        infobases_generate,
        subscriber_ids=ids,
        seed=7,
        infobases_per_subscriber=SCALE["infobases"],
        backups_per_infobase=3,
    )
    # Opened over the last 90 days: the list pages show a realistic mix of ages.
    step(
        "tickets",
        generate_tickets,
        subscriber_ids=ids,
        count=SCALE["tickets"],
        seed=7,
        spread_hours=90 * 24,
    )
    step("operations", operations_generate, subscriber_ids=ids, seed=7)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def _persona():
    """A generated owner with a verified address (allauth asks for one) and their counts."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from billing.models import LedgerEntry
    from infobases.models import Infobase
    from subscribers.models import MemberRole, Membership, Subscriber
    from support.models import Ticket

    membership = (
        Membership.objects.filter(role=MemberRole.OWNER, user__email__startswith="load-")
        .select_related("user", "subscriber")
        .order_by("subscriber_id")
        .first()
    )
    user, subscriber = membership.user, membership.subscriber
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    # The data was generated under the test settings (a fast MD5 hash); production checks
    # passwords with PBKDF2, as it would for a real person.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    counts = {
        "subscribers": Subscriber.objects.count(),
        "infobases": Infobase.objects.count(),
        "tickets": Ticket.objects.count(),
        "ledger entries": LedgerEntry.objects.count(),
    }
    print("scale: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()), flush=True)
    own = (
        Infobase.objects.filter(subscriber=subscriber).count(),
        Ticket.objects.filter(subscriber=subscriber).count(),
        LedgerEntry.objects.filter(subscriber=subscriber).count(),
    )
    print(
        f"signed in as the owner of «{subscriber}»: {own[0]} infobases, {own[1]} tickets, "
        f"{own[2]} ledger entries",
        flush=True,
    )
    return user.email, str(subscriber)


def _free_port() -> int:
    if os.environ.get("BENCH_HTTP_PORT"):  # shared machines: each user's own port range
        return int(os.environ["BENCH_HTTP_PORT"])
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn(port: int, data_dir: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onebuh.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; TLS is the proxy's
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "ONEBUH_DATA_DIR": data_dir,
        "LOG_LEVEL": "WARNING",
        # Static files are not collected for the benchmark (only HTML is fetched).
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    command = [str(Path(sys.executable).parent / "gunicorn"), "onebuh.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def _ensure_wrk() -> str | None:
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing Debian's wrk …", flush=True)
        for attempt in (["apt-get", "install", "-y", "-q", "wrk"], ["apt-get", "update", "-q"]):
            subprocess.run(attempt, capture_output=True)
            if attempt[1] == "update":
                subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True)
            if shutil.which("wrk"):
                break
    return shutil.which("wrk")


def main() -> int:
    _database()
    from common import setup

    setup()
    _generate()
    email, subscriber_name = _persona()
    pages = [
        ("trivial view (/healthz)", "/healthz"),
        ("dashboard", "/"),
        ("infobase list", "/apps/"),
        ("ticket list", "/support/"),
        ("billing page", "/billing/"),
    ]
    wrk = _ensure_wrk()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data_dir:
        server = _gunicorn(port, data_dir)
        try:
            wait_until_up(base + "/healthz")
            cookie = login(base, email, PASSWORD)
            for path in dict.fromkeys(path for _label, path in pages):
                _check(base, path, cookie, subscriber_name)
            # Rounds over all pages in turn: a load change on the shared machine falls on every
            # page of a round alike, and each round's ratios compare pages measured minutes apart
            # at most. The table gives the median of the rounds.
            rounds = []
            for number in range(ROUNDS):
                loadavg = os.getloadavg()[0]
                measured = [
                    (label, path, _measure(wrk, base, path, cookie)) for label, path in pages
                ]
                rounds.append(measured)
                _print_round(number + 1, measured, loadavg)
        finally:
            server.terminate()
            server.wait(timeout=30)
    sql = _sql_per_page(email, [path for _label, path in pages])
    over = _print(rounds, wrk, sql)
    errors = sum(r["errors"] for measured in rounds for _l, _p, r in measured)
    # Failed requests fail the run, and so does a page over the target (issue 16).
    return 1 if errors or over else 0


def _check(base, path, cookie, subscriber_name) -> None:
    status, body = fetch(base + path, cookie)
    # A signed-in page (the panel shows the subscriber on the dashboard), not the login form.
    expected = subscriber_name if path == "/" else ("ok" if path == "/healthz" else "</main>")
    if status != 200 or expected not in body or 'name="password"' in body:
        raise SystemExit(f"{path}: HTTP {status}, not the signed-in subscriber's page")


def _measure(wrk, base, path, cookie) -> dict:
    if wrk:
        wrk_load(wrk, base + path, cookie, seconds=1, connections=CONNECTIONS)  # warm-up
        return wrk_load(wrk, base + path, cookie, seconds=SECONDS, connections=CONNECTIONS)
    return python_load(base + path, cookie, seconds=SECONDS, connections=CONNECTIONS)


def _sql_per_page(email: str, paths: list[str]) -> dict[str, tuple[int, float]]:
    """Queries per page and their database time (in-process, the same pages and data): shows
    whether time goes to the database or to Python."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from subscribers.models import User

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(User.objects.get(email=email))
    found = {}
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        found[path] = (len(queries), sum(float(q["time"]) for q in queries) * 1000)
    return found


def _print_round(number, measured, loadavg) -> None:
    trivial = measured[0][2]
    cells = ", ".join(
        f"{label} {r['p50']:.0f} ms ({r['p50'] / trivial['p50']:.1f}×, p95 "
        f"{r['p95'] / trivial['p95']:.1f}×)"
        for label, _path, r in measured[1:]
    )
    print(
        f"round {number} (load average {loadavg:.1f}): /healthz {trivial['p50']:.0f} ms; {cells}",
        flush=True,
    )


def _print(rounds, wrk, sql) -> bool:
    """The table (each figure the median over the rounds); True when a page is over target."""
    tool = "wrk" if wrk else "python loop"
    print(
        f"\n{tool}, {CONNECTIONS} connections, {SECONDS} s per page, {len(rounds)} rounds, "
        f"gunicorn {WORKERS} sync workers, production settings, loopback; "
        f"load average now {os.getloadavg()[0]:.1f} (1 min)",
        flush=True,
    )
    header = (
        f"{'page':<26}{'requests':>9}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}"
        f"{'× median':>10}{'× p95':>8}{'SQL queries':>13}{'SQL ms':>8}"
    )
    print(header)
    print("-" * len(header))
    over = False
    for index, (label, path, _r) in enumerate(rounds[0]):
        runs = [measured[index][2] for measured in rounds]
        trivials = [measured[0][2] for measured in rounds]
        ratio = statistics.median(r["p50"] / t["p50"] for r, t in zip(runs, trivials, strict=True))
        ratio95 = statistics.median(
            r["p95"] / t["p95"] for r, t in zip(runs, trivials, strict=True)
        )
        late = ratio > TARGET_RATIO or ratio95 > TARGET_RATIO
        over = over or late
        queries, sql_ms = sql[path]
        print(
            f"{label:<26}{sum(r['requests'] for r in runs):>9}"
            f"{statistics.median(r['rps'] for r in runs):>8.1f}"
            f"{statistics.median(r['p50'] for r in runs):>11.1f}"
            f"{statistics.median(r['p95'] for r in runs):>9.1f}"
            f"{ratio:>9.1f}×{ratio95:>7.1f}×{queries:>13}{sql_ms:>8.1f}"
            + ("  over the 3× target" if late else "")
        )
    errors = sum(r["errors"] for measured in rounds for _l, _p, r in measured)
    print(f"non-2xx or failed requests: {errors}", flush=True)
    print(
        "ratios: each round's page over that round's /healthz, median of the rounds; "
        f"target ≤ {TARGET_RATIO:.0f}× for the median and the p95"
        + (" — OVER" if over else " — met"),
        flush=True,
    )
    return over


if __name__ == "__main__":
    sys.exit(main())

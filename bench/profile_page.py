#!/usr/bin/env python
"""Profile one page in-process: where a request's time goes (cProfile over N requests through the
test client), with its SQL query count and time. A tool beside the benches, not one of them.

    DATABASE_URL=postgres://…/onebuh_bench_http bench/profile_page.py /support/ --as load-…@…
    DATABASE_URL=postgres://…/onebuh_bench bench/profile_page.py /admin/support/ticket/ --staff

--as EMAIL signs that person in (default: the first generated subscriber owner); --staff signs in
bench_admin's engineer with the second factor. --runs N (20), --top N (30), --sort tottime|cumulative.
Function times are fractions of the profiled total, so a busy machine changes little in them.
"""

import argparse
import cProfile
import io
import pstats
import time

from common import setup

setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def _client(args) -> Client:
    from subscribers.models import MemberRole, Membership, User

    client = Client()
    if args.staff:
        user = User.objects.get(email="bench-engineer@1b.kz")
    elif args.as_:
        user = User.objects.get(email=args.as_)
    else:
        user = (
            Membership.objects.filter(role=MemberRole.OWNER, user__email__startswith="load-")
            .order_by("subscriber_id")
            .first()
            .user
        )
    client.force_login(user)
    if args.staff:
        session = client.session
        session["account_authentication_methods"] = [{"method": "mfa", "type": "totp"}]
        session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--as", dest="as_")
    parser.add_argument("--staff", action="store_true")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    client = _client(args)
    for _ in range(3):  # warm: templates, translations, caches, the database's buffers
        response = client.get(args.url)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get(args.url)
    queries = captured.captured_queries
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    began = time.perf_counter()
    for _ in range(args.runs):
        client.get(args.url)
    plain = (time.perf_counter() - began) / args.runs * 1000
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.runs):
        client.get(args.url)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    print(
        f"{args.url}: {plain:.1f} ms a request unprofiled, {len(queries)} queries, {sql_ms:.1f} ms SQL"
    )
    for query in queries:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:160]}")


if __name__ == "__main__":
    main()

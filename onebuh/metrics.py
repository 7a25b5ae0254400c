"""Prometheus metrics: the business gauges an operator watches (prometheus-client).

`GET /metrics` with `Authorization: Bearer <ONEBUH_METRICS_TOKEN>` (unset: the endpoint does not
exist). Every value is read from the database or the shared cache at scrape time, so any web
node answers the same and nothing is lost when a process restarts; one scrape is a fixed number
of queries whatever the number of rows (pinned in tests/onebuh/test_metrics.py).
"""

import datetime
import hmac
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from onebuh import dates

HEARTBEAT_KEY = "onebuh:metrics:heartbeat:{name}"
DAY_COUNTER_KEY = "onebuh:metrics:{name}:{day}"
STUCK_AFTER = datetime.timedelta(hours=1)


def heartbeat(name: str) -> None:
    """A periodic job finished well (e.g. the mail poller): its lag is measured from here."""
    cache.set(HEARTBEAT_KEY.format(name=name), time.time(), None)


def count_today(name: str) -> None:
    """+1 on today's (Almaty) counter `name`, shared by every process through the cache."""
    key = DAY_COUNTER_KEY.format(name=name, day=timezone.localdate().isoformat())
    if not cache.add(key, 1, 3 * 24 * 3600):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, 3 * 24 * 3600)


def _today_count(name: str) -> int:
    return cache.get(DAY_COUNTER_KEY.format(name=name, day=timezone.localdate().isoformat()), 0)


def _gauge(name, documentation, labels=None):
    return GaugeMetricFamily(name, documentation, labels=labels)


def _queue_families(model, prefix: str, what: str, statuses, now, field: str = "status"):
    """Rows by state and the age of the oldest in each (one query)."""
    rows = {
        row[field]: row
        for row in model.objects.filter(**{f"{field}__in": statuses})
        .values(field)
        .annotate(n=Count("pk"), oldest=Min("created_at"))
        .order_by()
    }
    depth = _gauge(f"{prefix}", f"{what} by state", ["state"])
    age = _gauge(
        f"{prefix}_oldest_age_seconds", f"Age of the oldest {what.lower()} by state", ["state"]
    )
    for status in statuses:
        row = rows.get(status)
        depth.add_metric([status], row["n"] if row else 0)
        age.add_metric([status], (now - row["oldest"]).total_seconds() if row else 0)
    return [depth, age]


class BusinessCollector:
    """Collected at every scrape; registered only in the endpoint's own registry."""

    def collect(self):
        now = timezone.now()
        day_start = dates.day_start(now)
        yield from self._operations(now)
        yield from self._outbox(now)
        yield from self._mail(now)
        yield from self._sla(day_start)
        yield from self._subscribers(day_start)
        refused = _gauge(
            "onebuh_webhook_refusals_today", "Webhook calls refused today (bad signature, time…)"
        )
        refused.add_metric([], _today_count("webhook_refused"))
        yield refused

    def _operations(self, now):
        Operation = apps.get_model("infobases", "Operation")
        yield from _queue_families(
            Operation, "onebuh_operations", "Infobase operations", ["queued", "running"], now
        )
        counts = Operation.objects.aggregate(
            stuck=Count("pk", filter=Q(status="running", started_at__lt=now - STUCK_AFTER)),
            failed=Count(
                "pk",
                filter=Q(status="failed", created_at__gte=now - datetime.timedelta(days=1)),
            ),
        )
        stuck = _gauge("onebuh_operations_stuck", "Operations running for more than an hour")
        stuck.add_metric([], counts["stuck"])
        yield stuck
        failed = _gauge("onebuh_operations_failed_24h", "Operations that failed in the last 24 h")
        failed.add_metric([], counts["failed"])
        yield failed
        UploadSession = apps.get_model("infobases", "UploadSession")
        yield from _queue_families(
            UploadSession, "onebuh_uploads", "Infobase uploads", ["uploading", "verifying"], now
        )
        # Copies of backups to customers' own buckets: failed ones wait for the outbox's retry
        # or for the customer to fix the storage (issue 16).
        BackupCopy = apps.get_model("infobases", "BackupCopy")
        yield from _queue_families(
            BackupCopy,
            "onebuh_backup_copies",
            "Copies to customers' buckets",
            ["pending", "failed"],
            now,
        )

    def _outbox(self, now):
        """The transactional outbox (outbox app): what waits, what is in flight, what failed.
        Sent rows are history, not a queue: they are not counted."""
        Outbox = apps.get_model("outbox", "OutboxMessage")
        yield from _queue_families(
            Outbox,
            "onebuh_outbox",
            "Outbox messages",
            ["pending", "sending", "failed"],
            now,
            field="state",
        )
        expired = _gauge(
            "onebuh_outbox_expired_leases", "Outbox rows claimed by a worker whose lease ran out"
        )
        expired.add_metric([], Outbox.objects.filter(state="sending", lease_until__lt=now).count())
        yield expired

    def _mail(self, now):
        InboundMessage = apps.get_model("support", "InboundMessage")
        quarantine = _gauge("onebuh_mail_quarantine", "Inbound messages in quarantine")
        quarantine.add_metric([], InboundMessage.objects.filter(outcome="quarantined").count())
        yield quarantine
        last = cache.get(HEARTBEAT_KEY.format(name="mail_poll"))
        lag = _gauge(
            "onebuh_mail_poll_lag_seconds",
            "Seconds since the mail poller last finished well (-1: never, or IMAP not set up)",
        )
        lag.add_metric([], now.timestamp() - last if last else -1)
        yield lag

    def _sla(self, day_start):
        Ticket = apps.get_model("support", "Ticket")
        counts = Ticket.objects.aggregate(
            warned=Count("pk", filter=Q(reacted_at__isnull=True, warned_at__isnull=False)),
            breached=Count("pk", filter=Q(reacted_at__isnull=True, breached_at__isnull=False)),
            breached_today=Count("pk", filter=Q(breached_at__gte=day_start)),
        )
        open_ = _gauge("onebuh_sla_open", "Tickets waiting for a reaction past a timer", ["timer"])
        open_.add_metric(["warning"], counts["warned"])
        open_.add_metric(["breach"], counts["breached"])
        yield open_
        today = _gauge("onebuh_sla_breaches_today", "SLA breaches recorded today (Almaty)")
        today.add_metric([], counts["breached_today"])
        yield today

    def _subscribers(self, day_start):
        Subscriber = apps.get_model("subscribers", "Subscriber")
        Change = apps.get_model("subscribers", "SubscriberStateChange")
        by_status = _gauge("onebuh_subscribers", "Subscribers by status", ["status"])
        for row in Subscriber.objects.values("status").annotate(n=Count("pk")).order_by():
            by_status.add_metric([row["status"]], row["n"])
        yield by_status
        events = dict(
            Change.objects.filter(at__gte=day_start, event__in=["suspended", "purged"])
            .values_list("event")
            .annotate(n=Count("pk"))
            .order_by()
        )
        today = _gauge("onebuh_subscriber_events_today", "Suspensions and purges today", ["event"])
        for event in ("suspended", "purged"):
            today.add_metric([event], events.get(event, 0))
        yield today


@require_GET
def metrics_view(request):
    token = settings.ONEBUH_METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = CollectorRegistry(auto_describe=False)
    registry.register(BusinessCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)

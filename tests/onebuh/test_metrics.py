"""GET /metrics: Prometheus text behind a token, with the business gauges (onebuh/metrics.py)."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from infobases.models import Operation
from onebuh.metrics import count_today, heartbeat
from subscribers.models import SubscriberStateChange
from support.models import InboundMessage, Ticket
from tests.infobases.factories import InfobaseFactory
from tests.support.factories import open_ticket

TOKEN = "metrics-token-for-tests"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def token(settings):
    settings.ONEBUH_METRICS_TOKEN = TOKEN
    return TOKEN


def _scrape(client):
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.values())))] = sample.value
    return samples


def test_without_a_token_configured_there_is_no_endpoint(client, settings, db):
    settings.ONEBUH_METRICS_TOKEN = ""
    assert client.get(reverse("metrics")).status_code == 404


def test_a_wrong_or_missing_token_is_refused(client, token, db):
    assert client.get(reverse("metrics")).status_code == 401
    answer = client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer wrong")
    assert answer.status_code == 401 and answer["WWW-Authenticate"].startswith("Bearer")


def test_the_gauges_count_queues_stuck_work_mail_sla_and_lifecycle(client, token, subscriber):
    now = timezone.now()
    infobase = InfobaseFactory(subscriber=subscriber)
    old = Operation.objects.create(subscriber=subscriber, infobase=infobase, kind="backup")
    Operation.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(minutes=10))
    Operation.objects.create(subscriber=subscriber, infobase=infobase, kind="backup")
    Operation.objects.create(
        subscriber=subscriber,
        infobase=infobase,
        kind="restore",
        status="running",
        started_at=now - datetime.timedelta(hours=2),
    )
    Operation.objects.create(subscriber=subscriber, infobase=infobase, kind="drop", status="failed")
    InboundMessage.objects.create(
        source="email", external_id="<q@x>", outcome="quarantined", error="boom"
    )
    ticket = open_ticket(subscriber)
    Ticket.objects.filter(pk=ticket.pk).update(warned_at=now, breached_at=now)
    SubscriberStateChange.objects.create(
        subscriber=subscriber,
        event="suspended",
        from_status="active",
        to_status="suspended",
        cause="3.5",
    )
    count_today("webhook_refused")
    count_today("webhook_refused")
    heartbeat("mail_poll")
    from outbox.models import OutboxMessage

    OutboxMessage.objects.create(kind="email", created_at=now - datetime.timedelta(minutes=5))
    OutboxMessage.objects.create(
        kind="email", state="sending", lease_until=now - datetime.timedelta(minutes=1)
    )
    OutboxMessage.objects.create(kind="email", state="failed")
    OutboxMessage.objects.create(kind="email", state="sent")

    samples = _scrape(client)
    assert samples[("onebuh_operations", ("queued",))] == 2
    assert samples[("onebuh_operations", ("running",))] == 1
    assert samples[("onebuh_operations_oldest_age_seconds", ("queued",))] >= 600
    assert samples[("onebuh_operations_stuck", ())] == 1
    assert samples[("onebuh_operations_failed_24h", ())] == 1
    assert samples[("onebuh_mail_quarantine", ())] == 1
    assert 0 <= samples[("onebuh_mail_poll_lag_seconds", ())] < 60
    assert samples[("onebuh_sla_open", ("warning",))] == 1
    assert samples[("onebuh_sla_open", ("breach",))] == 1
    assert samples[("onebuh_sla_breaches_today", ())] == 1
    assert samples[("onebuh_subscriber_events_today", ("suspended",))] == 1
    assert samples[("onebuh_subscriber_events_today", ("purged",))] == 0
    assert samples[("onebuh_webhook_refusals_today", ())] == 2
    assert samples[("onebuh_subscribers", ("active",))] >= 1
    assert samples[("onebuh_outbox", ("pending",))] == 1
    assert samples[("onebuh_outbox", ("sending",))] == 1
    assert samples[("onebuh_outbox", ("failed",))] == 1
    assert samples[("onebuh_outbox_oldest_age_seconds", ("pending",))] >= 300
    assert samples[("onebuh_outbox_expired_leases", ())] == 1


def test_a_scrape_is_a_fixed_number_of_queries(
    client, token, subscriber, django_assert_num_queries
):
    with django_assert_num_queries(10):
        _scrape(client)
    for _ in range(20):
        InfobaseFactory(subscriber=subscriber)
        open_ticket(subscriber)
    with django_assert_num_queries(10):
        _scrape(client)


def test_a_refused_webhook_counts(client, token, settings, db):
    settings.ONEBUH_PAYMENT_WEBHOOK_SECRET = "secret"
    client.post("/webhooks/payments/", b"{}", content_type="application/json")
    assert _scrape(client)[("onebuh_webhook_refusals_today", ())] == 1


def test_the_grafana_dashboard_queries_every_gauge_and_only_gauges_that_exist(client, token, db):
    """deploy/grafana/onebuh-dashboard.json: each onebuh_* name in a panel's expression is
    exported by /metrics, and each exported family has a panel."""
    dashboard = json.loads((ROOT / "deploy/grafana/onebuh-dashboard.json").read_text())
    queried = {
        name
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
        for name in re.findall(r"\bonebuh_[a-z0-9_]+", target["expr"])
    }
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    exported = {f.name for f in text_string_to_metric_families(response.content.decode())}
    assert len(exported) >= 15
    assert queried - exported == set()
    assert exported - queried == set()

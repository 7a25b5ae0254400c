"""The public status page: state now, current incidents and works, 90 days of uptime."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from operations.models import Component, IncidentLevel, StatusSubscription
from operations.status import status_overview
from tests.conftest import at

from .factories import IncidentFactory, WorkFactory


@pytest.fixture
def now(db, travel):
    return travel(at(date(2026, 11, 20), 12))


def component(overview, code):
    return next(c for c in overview["components"] if c.code == code)


def test_uptime_over_90_days_is_computed_from_the_incidents(now):
    # 90 days = the 89 full days before today plus today's 12 hours = 2148 hours.
    IncidentFactory(
        starts_at=at(date(2026, 11, 1)),
        ends_at=at(date(2026, 11, 1), 10),
        components=[Component.CLOUD],
    )
    IncidentFactory(
        starts_at=at(date(2026, 11, 1), 5),
        ends_at=at(date(2026, 11, 1), 11, 28),
        components=[Component.CLOUD],
    )
    IncidentFactory(
        starts_at=at(date(2026, 11, 2)),
        ends_at=at(date(2026, 11, 2), 9),
        level=IncidentLevel.DEGRADED,
    )
    overview = status_overview()
    assert component(overview, Component.CLOUD).uptime == round(100 * (1 - 11.466667 / 2148), 3)
    assert component(overview, Component.PANEL).uptime == 100.0
    days = component(overview, Component.CLOUD).days
    assert len(days) == 90 and days[-20].date.day == 1 and days[-20].state == "major"


def test_incidents_older_than_90_days_do_not_count(now):
    IncidentFactory(starts_at=at(date(2026, 8, 20)), ends_at=at(date(2026, 8, 21)))
    assert component(status_overview(), Component.CLOUD).uptime == 100.0


def test_current_state_shows_the_worst_ongoing_event(now):
    IncidentFactory(
        starts_at=now - timedelta(hours=1),
        ends_at=None,
        level=IncidentLevel.PARTIAL,
        components=[Component.APPS],
    )
    WorkFactory(
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        components=[Component.PANEL],
    )
    overview = status_overview()
    assert component(overview, Component.APPS).state == "partial"
    assert component(overview, Component.PANEL).state == "maintenance"
    assert component(overview, Component.ITS).state == "operational"
    assert overview["overall"] == "partial"


def test_status_page_is_public(now, client):
    IncidentFactory(title="Сбой веб-клиента", starts_at=now - timedelta(hours=1), ends_at=None)
    WorkFactory(
        title="Замена дисков",
        starts_at=at(date(2026, 11, 23), 2),
        ends_at=at(date(2026, 11, 23), 4),
    )
    page = client.get(reverse("operations_public:index")).content.decode()
    assert "Сбой веб-клиента" in page and "Замена дисков" in page


def test_following_the_status_page_needs_a_confirmed_address(
    now, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("operations_public:subscribe"), {"email": "Fan@Example.kz"})
    follower = StatusSubscription.objects.get(email="fan@example.kz")
    assert follower.confirmed_at is None and len(mail.outbox) == 1
    assert follower.token in mail.outbox[0].body
    client.get(reverse("operations_public:confirm", args=[follower.token]))
    follower.refresh_from_db()
    assert follower.confirmed_at == now


def test_followers_are_told_about_incidents_and_can_unsubscribe(
    now, client, django_capture_on_commit_callbacks
):
    from operations.services import incident_record

    follower = StatusSubscription.objects.create(email="fan@example.kz", confirmed_at=now)
    StatusSubscription.objects.create(email="unconfirmed@example.kz")
    incident = IncidentFactory.build(starts_at=now - timedelta(minutes=5), ends_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        incident_record(incident=incident)
    assert [m.to for m in mail.outbox] == [["fan@example.kz"]]
    unsubscribe = reverse("operations_public:unsubscribe", args=[follower.token])
    assert unsubscribe in mail.outbox[0].body
    assert client.get(unsubscribe).status_code == 200  # asks first: link scanners only GET
    client.post(unsubscribe)
    assert not StatusSubscription.objects.filter(pk=follower.pk).exists()


def test_bad_email_changes_nothing(now, client):
    client.post(reverse("operations_public:subscribe"), {"email": "not-an-email"})
    assert not StatusSubscription.objects.exists()


def test_confirmation_is_resent_at_most_once_an_hour(
    now, client, travel, django_capture_on_commit_callbacks
):
    url = reverse("operations_public:subscribe")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post(url, {"email": "fan@example.kz"})
    assert len(mail.outbox) == 1
    travel(now + timedelta(hours=1, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "fan@example.kz"})
    assert len(mail.outbox) == 2

"""4.4, 6.4: methodological and individual requests count against the tariff's monthly quotas
(months in Almaty time); technical ones are unlimited."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from onebuh.dates import month_bounds
from support.models import Category, Ticket
from support.selectors import quota_usage
from support.services import QuotaExhausted
from tests.conftest import at
from tests.factories import SubscriberFactory
from tests.support.factories import give_quotas, open_ticket

pytestmark = pytest.mark.django_db


def test_methodological_quota_is_refused_when_used_up(subscriber, travel):
    give_quotas(subscriber, methodological=2)
    travel(at(date(2026, 11, 10), 12))
    open_ticket(subscriber, category=Category.METHODOLOGICAL)
    open_ticket(subscriber, category=Category.METHODOLOGICAL)
    with pytest.raises(QuotaExhausted):
        open_ticket(subscriber, category=Category.METHODOLOGICAL)
    assert Ticket.objects.count() == 2


def test_individual_and_methodological_quotas_are_separate(subscriber, travel):
    give_quotas(subscriber, methodological=1, individual=1)
    travel(at(date(2026, 11, 10), 12))
    open_ticket(subscriber, category=Category.METHODOLOGICAL)
    open_ticket(subscriber, category=Category.INDIVIDUAL)
    with pytest.raises(QuotaExhausted):
        open_ticket(subscriber, category=Category.INDIVIDUAL)


def test_technical_requests_are_unlimited(subscriber):
    give_quotas(subscriber, methodological=0, individual=0)
    for _ in range(4):
        open_ticket(subscriber, category=Category.TECHNICAL)
    assert Ticket.objects.count() == 4


def test_without_a_tariff_partner_requests_have_no_quota(subscriber):
    with pytest.raises(QuotaExhausted):
        open_ticket(subscriber, category=Category.INDIVIDUAL)
    assert quota_usage(subscriber=subscriber)[Category.METHODOLOGICAL].limit == 0


def test_the_quota_renews_with_the_almaty_month(subscriber, travel):
    give_quotas(subscriber, methodological=1)
    # 30 Nov 23:30 in Almaty is still November there (18:30 UTC).
    travel(at(date(2026, 11, 30), 23, 30))
    open_ticket(subscriber, category=Category.METHODOLOGICAL)
    with pytest.raises(QuotaExhausted):
        open_ticket(subscriber, category=Category.METHODOLOGICAL)
    travel(at(date(2026, 12, 1), 0, 30))  # 19:30 UTC on 30 Nov, but December in Almaty
    open_ticket(subscriber, category=Category.METHODOLOGICAL)
    assert quota_usage(subscriber=subscriber)[Category.METHODOLOGICAL].used == 1


def test_panel_shows_usage_and_offers_an_upgrade_before_submitting(client, owner, subscriber):
    give_quotas(subscriber, methodological=1, individual=0)
    open_ticket(subscriber, category=Category.METHODOLOGICAL)
    client.force_login(owner)
    page = client.get(reverse("support:ticket_create")).content.decode()
    assert reverse("billing:tariffs") in page
    assert "1 of 1 used" in page or "1 из 1" in page
    response = client.post(
        reverse("support:ticket_create"),
        {"category": Category.METHODOLOGICAL, "subject": "Отпуск", "text": "Как начислить?"},
    )
    assert response.status_code == 200
    assert Ticket.objects.count() == 1


def test_quota_usage_counts_the_months_tickets_as_the_orm_does(subscriber, travel):
    """quota_usage reads in plain SQL; the same figures as counting through the ORM and reading
    the tariff's quotas, only this subscriber's tickets of this Almaty month counted."""
    give_quotas(subscriber, methodological=5, individual=3)
    other = SubscriberFactory()
    give_quotas(other, methodological=1, individual=1)
    travel(at(date(2026, 10, 31), 23, 0))  # October in Almaty
    open_ticket(subscriber, category=Category.METHODOLOGICAL)
    travel(at(date(2026, 11, 1), 0, 30))  # 31 Oct 19:30 UTC, but November in Almaty
    open_ticket(subscriber, category=Category.METHODOLOGICAL)
    open_ticket(subscriber, category=Category.METHODOLOGICAL)
    open_ticket(subscriber, category=Category.INDIVIDUAL)
    open_ticket(subscriber, category=Category.TECHNICAL)
    open_ticket(other, category=Category.INDIVIDUAL)
    usage = quota_usage(subscriber=subscriber)
    start, end = month_bounds(timezone.now())
    month = Ticket.objects.filter(subscriber=subscriber, opened_at__gte=start, opened_at__lt=end)
    for category, (used, limit) in {
        Category.METHODOLOGICAL: (2, 5),
        Category.INDIVIDUAL: (1, 3),
    }.items():
        assert usage[category].used == month.filter(category=category).count() == used
        assert usage[category].limit == limit
    assert set(usage) == {Category.METHODOLOGICAL, Category.INDIVIDUAL}
    assert quota_usage(subscriber=other)[Category.INDIVIDUAL].used == 1

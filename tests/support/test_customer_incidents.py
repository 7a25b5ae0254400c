"""The customer context on a ticket's page lists the incidents that touch the subscriber, open
and recent, each linked to its admin page (issue 13, item 4); the page's queries are pinned."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import SubscriberFactory
from tests.infobases.factories import InfobaseFactory
from tests.operations.factories import IncidentFactory
from tests.support.factories import give_quotas, open_ticket

pytestmark = pytest.mark.django_db


def _context(html):
    start = html.index('class="customer-context"')
    return html[start : html.index("</section>", start)]


def test_the_ticket_page_lists_open_and_recent_incidents_of_this_subscriber(
    staff_client, operator_engineer
):
    subscriber, other = SubscriberFactory(), SubscriberFactory()
    now = timezone.now()
    open_for_all = IncidentFactory(title="Недоступен кластер 1С", starts_at=now, ends_at=None)
    recent_selected = IncidentFactory(
        title="Медленный веб-клиент",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=2),
        subscribers=[subscriber],
    )
    IncidentFactory(title="Чужой инцидент", ends_at=None, subscribers=[other])
    IncidentFactory(
        title="Давний инцидент",
        starts_at=now - timedelta(days=60),
        ends_at=now - timedelta(days=59),
    )
    ticket = open_ticket(subscriber)
    page = staff_client(operator_engineer).get(
        reverse("admin:support_ticket_change", args=[ticket.pk])
    )
    context = _context(page.content.decode())
    assert "Инциденты" in context
    for incident in (open_for_all, recent_selected):
        assert incident.title in context
        assert reverse("admin:operations_incident_change", args=[incident.pk]) in context
    assert "ещё продолжается" in context
    assert context.index("Недоступен кластер 1С") < context.index("Медленный веб-клиент")
    assert "Чужой инцидент" not in context and "Давний инцидент" not in context


def test_a_consultant_sees_the_incident_without_a_link_he_could_not_open(
    staff_client, partner_consultant, partner_firm
):
    from support.models import Category, PartnerAssignment

    subscriber = SubscriberFactory()
    give_quotas(subscriber)
    PartnerAssignment.objects.create(subscriber=subscriber, partner_firm=partner_firm)
    incident = IncidentFactory(title="Недоступен кластер 1С", ends_at=None)
    ticket = open_ticket(subscriber, category=Category.METHODOLOGICAL)
    page = staff_client(partner_consultant).get(
        reverse("admin:support_ticket_change", args=[ticket.pk])
    )
    context = _context(page.content.decode())
    assert "Недоступен кластер 1С" in context
    assert reverse("admin:operations_incident_change", args=[incident.pk]) not in context


# The whole page: permissions, the ticket and its messages, the customer context with its
# incidents (the session comes from the cache). When it moves, read the queries the failure lists.
TICKET_PAGE_QUERIES = 21


def test_the_ticket_page_queries_do_not_grow_with_the_customers_history(
    staff_client, operator_engineer, django_assert_num_queries
):
    subscriber = SubscriberFactory()
    give_quotas(subscriber)
    ticket = open_ticket(subscriber)
    url = reverse("admin:support_ticket_change", args=[ticket.pk])
    client = staff_client(operator_engineer)
    client.get(url)  # warm caches
    InfobaseFactory(subscriber=subscriber)
    IncidentFactory(ends_at=None, subscribers=[subscriber])
    open_ticket(subscriber)
    with django_assert_num_queries(TICKET_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    for _ in range(4):
        InfobaseFactory(subscriber=subscriber)
        IncidentFactory(ends_at=None, subscribers=[subscriber])
        IncidentFactory(ends_at=None)
        open_ticket(subscriber)
    with django_assert_num_queries(TICKET_PAGE_QUERIES):
        assert client.get(url).status_code == 200

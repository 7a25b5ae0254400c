"""The ticket queue's changelist at scale (issue 13.9): an exact number of queries whatever the
number of tickets on the page, and the same cells as before the per-page precomputation (the SLA
badge, labels, the change link with the queue's filters kept, the action checkbox)."""

from datetime import date

import pytest
from django.urls import reverse

from support.admin.queues import sla_badge
from support.models import Category, Ticket, TicketStatus
from tests.conftest import at
from tests.factories import SubscriberFactory
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:support_ticket_changelist")
# user, memberships, the second factor, the person's permissions (own and groups'),
# partner firms and staff for the filters, the capped count, the page (subscriber and assignee
# joined)
PAGE_QUERIES = 9  # the session comes from the cache (issue 16.4)
# a search by words first looks the word up among subscribers (one query per word)
WORD_QUERIES = PAGE_QUERIES + 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, PAGE_QUERIES),
        ({"queue": "all"}, PAGE_QUERIES),
        ({"queue": "soon"}, PAGE_QUERIES),
        ({"q": "документ проводится"}, WORD_QUERIES),
        ({"q": "#1"}, PAGE_QUERIES),
    ],
)
def test_the_queue_takes_a_fixed_number_of_queries(
    staff_client, operator_engineer, travel, django_assert_num_queries, params, expected
):
    travel(at(date(2026, 11, 24), 10))
    for n in range(12):
        open_ticket(subject=f"Не проводится документ {n}")
    client = staff_client(operator_engineer)
    client.get(QUEUE, params)  # sessions, calendars and content types are warm
    with django_assert_num_queries(expected):
        assert client.get(QUEUE, params).status_code == 200
    for n in range(40):  # a fuller page costs no more
        open_ticket(subject=f"Не проводится документ {n}", category=Category.INCIDENT_1)
    with django_assert_num_queries(expected):
        assert client.get(QUEUE, params).status_code == 200


def test_queue_rows_show_the_badge_labels_link_and_checkbox(
    staff_client, operator_engineer, travel
):
    travel(at(date(2026, 11, 24), 10))
    subscriber = SubscriberFactory(name="ТОО «Бейдж»")
    ticket = open_ticket(subscriber, subject="Длинная тема " + "о" * 80)
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.IN_PROGRESS)
    ticket.refresh_from_db()
    client = staff_client(operator_engineer)
    html = client.get(QUEUE, {"queue": "open"}).content.decode()
    change = reverse("admin:support_ticket_change", args=[ticket.pk])
    assert f'<a href="{change}?_changelist_filters=queue%3Dopen">{ticket.pk}</a>' in html
    assert "Длинная тема " + "о" * 46 + "…" in html  # 59 characters and an ellipsis
    assert (
        f'<input type="checkbox" name="_selected_action" value="{ticket.pk}" '
        f'class="action-select" aria-label="Выбрать этот объект, чтобы применить к нему действие - #{ticket.pk} '
    ) in html
    assert "ТОО «Бейдж»" in html and "В работе" in html and ticket.get_category_display() in html
    assert str(sla_badge(ticket)) in html and "sla-green" in html

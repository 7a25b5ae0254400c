"""The subscriber's ticket list pages without counting the tickets (one more row tells whether
an older page exists), with its cells computed once per page (onebuh.listing)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import at
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db

LIST = reverse("support:index")


def test_pages_newest_first_with_newer_and_older_links(client, owner, subscriber, travel):
    for n in range(1, 36):  # 35 tickets, an hour apart
        travel(at(datetime.date(2026, 11, 2), 10) + datetime.timedelta(hours=n))
        open_ticket(subscriber, subject=f"Обращение {n:02d}")
    client.force_login(owner)
    first = client.get(LIST).content.decode()
    assert "Обращение 35" in first and "Обращение 06" in first and "Обращение 05" not in first
    assert "?page=2" in first and "?page=0" not in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "Обращение 05" in second and "Обращение 01" in second and "Обращение 06" not in second
    assert "?page=1" in second and "?page=3" not in second
    # An old link past the end shows the last page; a broken one the first.
    assert "Обращение 01" in client.get(LIST, {"page": 9}).content.decode()
    assert "Обращение 35" in client.get(LIST, {"page": "x"}).content.decode()


def test_row_cells_read_as_before(client, owner, subscriber, travel):
    travel(at(datetime.date(2026, 11, 24), 10, 5))
    ticket = open_ticket(subscriber, subject="Не открывается база")
    client.force_login(owner)
    html = client.get(LIST).content.decode()
    url = reverse("support:ticket_detail", args=[ticket.pk])
    assert f'<a href="{url}">Не открывается база</a>' in html
    assert "24.11.2026 10:05" in html  # opened, Almaty time
    assert f"{timezone.localtime(ticket.reaction_due_at):%d.%m.%Y %H:%M}" in html
    assert ticket.get_category_display() in html and ticket.get_status_display() in html

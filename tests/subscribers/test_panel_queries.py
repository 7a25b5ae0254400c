"""The panel's main pages at a fixed number of queries (issue 16.4), whatever the rows: every
query is one round trip the page waits for, and the HTTP bench showed them as most of a page's
time beside /healthz (which itself reads the session, the person and their memberships)."""

import pytest
from django.urls import reverse

from tests.infobases.factories import InfobaseFactory
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db

# user, memberships (the middleware, as /healthz; the session comes from the cache) and then:
PAGES = {
    # the members, the first-steps checklist (one), balances with the tariff, the state history
    "subscribers:dashboard": 2 + 4,
    # the infobases with their last backup, the placement requests (the latest releases are
    # cached; pending updates are read only beside a newer release)
    "infobases:index": 2 + 2,
    # the page of tickets (one more row instead of a count), the month's quota use and limits
    "support:index": 2 + 2,
}


@pytest.mark.parametrize("name", PAGES)
def test_panel_page_takes_a_fixed_number_of_queries(
    client, owner, subscriber, django_assert_num_queries, name
):
    client.force_login(owner)
    client.get(reverse(name))  # the session's terms flags
    with django_assert_num_queries(PAGES[name]):
        assert client.get(reverse(name)).status_code == 200
    for _ in range(3):
        InfobaseFactory(subscriber=subscriber)
    for _ in range(35):
        open_ticket(subscriber)
    with django_assert_num_queries(PAGES[name]):
        assert client.get(reverse(name)).status_code == 200

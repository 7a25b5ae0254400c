"""`field__any_of` (onebuh/lookups.py): the rows of `field__in`, with one array parameter."""

import pytest

from billing.models import Subscription
from subscribers.models import Subscriber
from tests.billing.factories import SubscriptionFactory
from tests.factories import SubscriberFactory


@pytest.fixture
def three(db):
    return [SubscriberFactory() for _ in range(3)]


def test_any_of_finds_the_rows_in_finds(three):
    ids = [three[0].pk, three[2].pk, three[2].pk, None, 999_999_999]
    found = set(Subscriber.objects.filter(pk__any_of=ids).values_list("pk", flat=True))
    assert found == set(Subscriber.objects.filter(pk__in=ids).values_list("pk", flat=True))
    assert found == {three[0].pk, three[2].pk}


def test_any_of_on_a_foreign_key_and_with_no_ids(three):
    SubscriptionFactory(subscriber=three[1])
    assert list(
        Subscription.objects.filter(subscriber_id__any_of=[three[1].pk]).values_list(
            "subscriber_id", flat=True
        )
    ) == [three[1].pk]
    assert not Subscription.objects.filter(subscriber__any_of=[three[0].pk]).exists()
    assert not Subscriber.objects.filter(pk__any_of=[]).exists()
    assert Subscriber.objects.exclude(pk__any_of=[]).count() == 3


def test_any_of_sends_one_parameter_however_many_ids(three):
    ids = [*range(1, 5001), three[1].pk]
    queryset = Subscriber.objects.filter(pk__any_of=ids)
    sql, params = queryset.query.sql_with_params()
    assert "= ANY(%s::bigint[])" in sql
    assert " IN (" not in sql
    assert len(params) == 1  # the ids as one array literal, not 5,001 placeholders
    assert three[1].pk in set(queryset.values_list("pk", flat=True))


def test_any_of_refuses_what_is_not_an_id(db):
    with pytest.raises((TypeError, ValueError)):
        Subscriber.objects.filter(pk__any_of=["abc"])

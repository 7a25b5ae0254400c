"""Issue 18: 20 compensation claims for the same date in 0.4 s, each a ticket. Now one open
claim per subscriber and date (a database constraint behind the service's check)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from operations.models import ClaimStatus, CompensationClaim, RejectReason
from operations.services import claim_file, claim_reject
from subscribers.models import Subscriber
from support.models import Ticket
from tests.conftest import at


@pytest.fixture
def customer(subscriber, owner, with_fee, travel):
    Subscriber.objects.filter(pk=subscriber.pk).update(created_at=at(date(2026, 10, 1)))
    subscriber.refresh_from_db()
    with_fee(subscriber)
    travel(at(date(2026, 11, 20), 12))
    return subscriber


def test_twenty_claims_for_one_date_make_one_claim_and_one_ticket(client, customer, owner):
    client.force_login(owner)
    url = reverse("operations:claim_new")
    assert client.get(url).status_code == 200
    data = {"downtime_date": "2026-11-18", "hours": 3, "minutes": 0, "description": "Не работало"}
    answers = [client.post(url, data) for _ in range(20)]
    assert answers[0].status_code == 302
    assert all(a.status_code == 200 for a in answers[1:])
    assert "уже рассматривается" in answers[1].content.decode()
    assert CompensationClaim.objects.filter(subscriber=customer).count() == 1
    assert Ticket.objects.filter(subscriber=customer).count() == 1


def test_after_a_decision_a_new_claim_for_the_date_is_accepted(customer, owner):
    day, downtime = date(2026, 11, 18), timedelta(hours=2)
    first = claim_file(
        subscriber=customer, opened_by=owner, downtime_date=day, claimed_downtime=downtime
    )
    with pytest.raises(ValidationError):
        claim_file(
            subscriber=customer, opened_by=owner, downtime_date=day, claimed_downtime=downtime
        )
    claim_reject(claim=first, reason=RejectReason.FORCE_MAJEURE, note="", actor=None)
    again = claim_file(
        subscriber=customer, opened_by=owner, downtime_date=day, claimed_downtime=downtime
    )
    assert again.status == ClaimStatus.PENDING


def test_the_database_refuses_a_second_open_claim_for_the_date(customer, owner):
    claim = claim_file(
        subscriber=customer,
        opened_by=owner,
        downtime_date=date(2026, 11, 18),
        claimed_downtime=timedelta(hours=1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CompensationClaim.objects.create(
            subscriber=customer,
            ticket=claim.ticket,
            opened_by=owner,
            downtime_date=claim.downtime_date,
            month=claim.month,
            claimed_downtime=timedelta(hours=1),
            operator_downtime_on_date=timedelta(0),
            operator_downtime_in_month=timedelta(0),
        )

"""The operator's monthly proposal from its own incident records (9.2, 9.3)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from billing.models import LedgerEntry, LedgerKind, Tariff
from billing.selectors import monthly_fee_for, monthly_fees_for
from billing.services import billing_run
from operations.models import CompensationCredit, Fault
from operations.services import claim_approve, claim_file, proposal_build, proposal_credit_all
from subscribers.models import Subscriber
from tests.conftest import at
from tests.factories import SubscriberFactory

from .conftest import NOTE
from .factories import IncidentFactory

NOV = date(2026, 11, 1)


@pytest.fixture
def subscribers(db, with_fee, travel):
    travel(at(date(2026, 10, 1)))
    fees = [Decimal("30000.00"), Decimal("12345.67"), Decimal("9990.00")]
    return [with_fee(SubscriberFactory(), fee) for fee in fees]


def test_proposal_lists_each_affected_subscriber_with_the_amount_due(subscribers, travel):
    first, second, third = subscribers
    IncidentFactory(
        starts_at=at(date(2026, 11, 3), 10), ends_at=at(date(2026, 11, 3), 13, 30)
    )  # everyone: 3.5 h
    IncidentFactory(
        starts_at=at(date(2026, 11, 9), 1), ends_at=at(date(2026, 11, 9), 3), subscribers=[second]
    )  # +2 h
    IncidentFactory(
        starts_at=at(date(2026, 11, 12), 1),
        ends_at=at(date(2026, 11, 12), 9),
        fault=Fault.FORCE_MAJEURE,
    )
    travel(at(date(2026, 12, 2), 9))
    proposal = proposal_build(month=NOV)
    lines = {line.subscriber_id: line for line in proposal.lines.all()}
    assert set(lines) >= {first.pk, second.pk, third.pk}
    assert (lines[first.pk].hours, lines[first.pk].amount_due) == (3, Decimal("900.00"))
    assert (lines[second.pk].hours, lines[second.pk].amount_due) == (5, Decimal("617.28"))
    assert (lines[third.pk].hours, lines[third.pk].amount_due) == (3, Decimal("299.70"))
    assert len(lines[second.pk].incident_ids) == 2


def test_crediting_the_proposal_credits_each_subscriber_once(subscribers, travel):
    IncidentFactory(starts_at=at(date(2026, 11, 3), 10), ends_at=at(date(2026, 11, 3), 13, 30))
    travel(at(date(2026, 12, 2), 9))
    proposal = proposal_build(month=NOV)
    assert proposal_credit_all(proposal=proposal) == proposal.lines.count()
    assert proposal_credit_all(proposal=proposal) == 0
    proposal_build(month=NOV)  # recomputing keeps what was credited and adds nothing
    assert proposal_credit_all(proposal=proposal) == 0
    first = subscribers[0]
    entry = LedgerEntry.objects.get(subscriber=first, kind=LedgerKind.BONUS_CREDIT)
    assert entry.bonus == Decimal("900.00")
    assert entry.source_key == f"compensation-proposal:{first.pk}:2026-11"


def test_a_claim_already_credited_reduces_the_proposal(subscribers, owner, travel):
    first = subscribers[0]
    owner.memberships.update(subscriber=first)
    IncidentFactory(starts_at=at(date(2026, 11, 3), 10), ends_at=at(date(2026, 11, 3), 15))  # 5 h
    travel(at(date(2026, 11, 4), 9))
    claim = claim_file(
        subscriber=first,
        opened_by=owner,
        downtime_date=date(2026, 11, 3),
        claimed_downtime=timedelta(hours=2),
    )
    claim_approve(claim=claim, downtime=claim.claimed_downtime, note=NOTE)  # 600.00 credited
    travel(at(date(2026, 12, 2), 9))
    proposal = proposal_build(month=NOV)
    line = proposal.lines.get(subscriber=first)
    assert (line.already_credited, line.amount_due) == (Decimal("600.00"), Decimal("900.00"))
    proposal_credit_all(proposal=proposal)
    total = sum(
        CompensationCredit.objects.filter(subscriber=first).values_list("amount", flat=True)
    )
    assert total == Decimal("1500.00")  # 5 % of 30 000, not 7 %


def test_a_month_not_over_cannot_be_credited(subscribers, travel):
    IncidentFactory(starts_at=at(date(2026, 11, 3), 10), ends_at=at(date(2026, 11, 3), 13, 30))
    travel(at(date(2026, 11, 20), 9))
    proposal = proposal_build(month=NOV)
    with pytest.raises(ValidationError):
        proposal_credit_all(proposal=proposal)


def test_proposal_query_count_does_not_grow_with_subscribers(
    subscribers, with_fee, travel, django_assert_num_queries
):
    IncidentFactory(starts_at=at(date(2026, 11, 3), 10), ends_at=at(date(2026, 11, 3), 13, 30))
    IncidentFactory(
        starts_at=at(date(2026, 11, 4), 10),
        ends_at=at(date(2026, 11, 4), 13, 30),
        subscribers=subscribers[:2],
    )
    travel(at(date(2026, 12, 2), 9))
    proposal_build(month=NOV)  # both counts below are of a rebuild
    with django_assert_num_queries(18):
        proposal_build(month=NOV)
    travel(at(date(2026, 10, 1)))
    for _ in range(30):
        with_fee(SubscriberFactory())
    travel(at(date(2026, 12, 2), 9))
    with django_assert_num_queries(18):
        proposal = proposal_build(month=NOV)
    assert proposal.lines.count() >= 33


def test_bulk_fees_agree_with_billings_monthly_fee_for(subscribers, travel):
    unsubscribed = SubscriberFactory()
    charged = subscribers[0]
    travel(at(date(2026, 11, 1), 9))
    assert billing_run(subscriber_ids=[charged.pk])
    # A price change after the charge: the month's fee stays the charged one.
    Tariff.objects.filter(subscriptions__subscriber=charged).update(monthly_fee=Decimal("50000"))
    ids = [s.pk for s in [*subscribers, unsubscribed]]
    bulk = monthly_fees_for(subscriber_ids=ids, month=NOV)
    for subscriber in Subscriber.objects.filter(pk__in=ids):
        assert bulk[subscriber.pk] == monthly_fee_for(subscriber=subscriber, month=NOV)
    assert bulk[charged.pk] == Decimal("30000.00")


def test_propose_command_builds_the_named_month_and_refuses_a_bad_one(subscribers, travel):
    from django.core.management import CommandError, call_command

    from operations.models import CompensationProposal

    IncidentFactory(starts_at=at(date(2026, 11, 3), 10), ends_at=at(date(2026, 11, 3), 13, 30))
    travel(at(date(2026, 12, 2), 9))
    call_command("operations_propose_compensation", "--month", "2026-11")
    assert CompensationProposal.objects.get().lines.count() >= 3
    with pytest.raises(CommandError):
        call_command("operations_propose_compensation", "--month", "ноябрь")


def test_the_proposal_page_shows_its_lines_before_crediting(
    subscribers, travel, staff_client, staff_accountant
):
    first, second, _third = subscribers
    IncidentFactory(
        starts_at=at(date(2026, 11, 3), 10),
        ends_at=at(date(2026, 11, 3), 13, 30),
        subscribers=[first, second],
    )
    travel(at(date(2026, 12, 2), 9))
    proposal = proposal_build(month=NOV)
    url = reverse("admin:operations_compensationproposal_change", args=[proposal.pk])
    page = staff_client(staff_accountant).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="lines-group"' in html
    for subscriber, due in ((first, "900,00"), (second, "370,37")):
        assert str(subscriber) in html
        assert due in html
    assert not CompensationCredit.objects.exists()  # seen before anything is credited
    add = staff_client(staff_accountant).get(reverse("admin:operations_compensationproposal_add"))
    assert add.status_code == 200 and 'id="lines-group"' not in add.content.decode()


def test_the_admin_owes_the_build_and_the_crediting_in_the_outbox(
    subscribers, travel, staff_client, staff_accountant, settings
):
    """Issue 10: a staff request is an outbox row; nothing is lost if no worker gets the
    message — the dispatcher runs it, and running it again credits nothing twice."""
    from operations.models import CompensationProposal
    from outbox.dispatcher import outbox_dispatch
    from outbox.models import OutboxMessage

    first, _second, _third = subscribers
    IncidentFactory(
        starts_at=at(date(2026, 11, 3), 10),
        ends_at=at(date(2026, 11, 3), 13, 30),
        subscribers=[first],
    )
    travel(at(date(2026, 12, 2), 9))
    client = staff_client(staff_accountant)
    client.post(reverse("admin:operations_compensationproposal_add"), {"month": "2026-11-01"})
    row = OutboxMessage.objects.get(kind="operations.proposal_build")
    assert row.payload["month"] == "2026-11-01"
    outbox_dispatch()
    proposal = CompensationProposal.objects.get(month=NOV)
    assert proposal.lines.filter(subscriber=first).exists()
    client.post(
        reverse("admin:operations_compensationproposal_changelist"),
        {"action": "credit", "_selected_action": [proposal.pk]},
    )
    assert OutboxMessage.objects.filter(kind="operations.proposal_credit").count() == 1
    outbox_dispatch()
    assert CompensationCredit.objects.filter(subscriber=first).count() == 1
    # Asked again (a double click): the second run finds nothing open.
    client.post(
        reverse("admin:operations_compensationproposal_changelist"),
        {"action": "credit", "_selected_action": [proposal.pk]},
    )
    outbox_dispatch()
    assert CompensationCredit.objects.filter(subscriber=first).count() == 1

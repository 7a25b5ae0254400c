"""Claims (9.1, 9.2, 9.5): filed through the ticket system, decided by staff, credited once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from billing.models import LedgerEntry, LedgerKind
from operations.models import ClaimStatus, CompensationClaim, CompensationCredit, RejectReason
from operations.services import claim_approve, claim_file, claim_reject
from subscribers.models import Subscriber
from support.models import Ticket
from tests.conftest import at

from .conftest import FEE, NOTE
from .factories import IncidentFactory


def bonus_credits(subscriber):
    return LedgerEntry.objects.filter(subscriber=subscriber, kind=LedgerKind.BONUS_CREDIT)


@pytest.fixture
def customer(subscriber, owner, with_fee, travel):
    """The persona subscriber, registered on 1 October, on a 30 000 ₸ tariff; now is 20.11.2026."""
    Subscriber.objects.filter(pk=subscriber.pk).update(created_at=at(date(2026, 10, 1)))
    subscriber.refresh_from_db()
    with_fee(subscriber)
    travel(at(date(2026, 11, 20), 12))
    return subscriber


def file(customer, owner, hours=3, minutes=0, day=date(2026, 11, 18)):
    return claim_file(
        subscriber=customer,
        opened_by=owner,
        downtime_date=day,
        claimed_downtime=timedelta(hours=hours, minutes=minutes),
        description="1С не открывалась",
    )


def test_claim_is_a_web_ticket_with_the_operators_figures_beside_it(customer, owner):
    IncidentFactory(starts_at=at(date(2026, 11, 18), 9), ends_at=at(date(2026, 11, 18), 11, 30))
    IncidentFactory(starts_at=at(date(2026, 11, 5), 9), ends_at=at(date(2026, 11, 5), 10))
    claim = file(customer, owner, hours=3)
    ticket = Ticket.objects.get(pk=claim.ticket_id)
    assert (ticket.channel, ticket.category, ticket.subscriber) == ("web", "technical", customer)
    assert "18.11.2026" in ticket.subject
    assert claim.month == date(2026, 11, 1)
    assert claim.operator_downtime_on_date == timedelta(hours=2, minutes=30)
    assert claim.operator_downtime_in_month == timedelta(hours=3, minutes=30)
    assert claim.status == ClaimStatus.PENDING


@pytest.mark.parametrize(
    ("day", "hours"), [(date(2026, 11, 21), 2), (date(2026, 11, 18), 0), (date(2026, 11, 18), 25)]
)
def test_bad_claim_is_refused_and_nothing_is_stored(customer, owner, day, hours):
    with pytest.raises(ValidationError):
        file(customer, owner, hours=hours, day=day)
    assert not CompensationClaim.objects.exists() and not Ticket.objects.exists()


def test_approval_credits_the_months_due_as_bonuses_once(customer, owner, staff_accountant):
    claim = file(customer, owner, hours=3, minutes=40)
    claim_approve(claim=claim, downtime=claim.claimed_downtime, note=NOTE, actor=staff_accountant)
    entry = bonus_credits(customer).get()
    assert entry.bonus == FEE * 3 / 100 == Decimal("900.00")
    assert entry.source_key == f"compensation-claim:{claim.pk}"
    with pytest.raises(ValidationError):
        claim_approve(
            claim=claim, downtime=claim.claimed_downtime, note=NOTE, actor=staff_accountant
        )
    assert bonus_credits(customer).count() == 1
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.decided_by == staff_accountant


def test_approving_a_different_figure_needs_a_note(customer, owner):
    claim = file(customer, owner, hours=5)
    with pytest.raises(ValidationError):
        claim_approve(claim=claim, downtime=timedelta(hours=2))
    claim_approve(claim=claim, downtime=timedelta(hours=2), note="По данным мониторинга — 2 часа")
    assert bonus_credits(customer).get().bonus == Decimal("600.00")


def test_full_hours_are_counted_on_the_months_total_across_claims(customer, owner):
    first = file(customer, owner, hours=0, minutes=40, day=date(2026, 11, 3))
    claim_approve(claim=first, downtime=first.claimed_downtime, note=NOTE)
    assert not bonus_credits(customer).exists()  # 40 minutes: no full hour yet
    second = file(customer, owner, hours=0, minutes=40, day=date(2026, 11, 9))
    claim_approve(claim=second, downtime=second.claimed_downtime, note=NOTE)
    assert bonus_credits(customer).get().bonus == Decimal("300.00")


def test_a_months_compensation_never_exceeds_its_fee(customer, owner):
    for day in range(1, 7):  # 6 × 24 h = 144 h
        claim = file(customer, owner, hours=24, day=date(2026, 11, day))
        claim_approve(claim=claim, downtime=claim.claimed_downtime, note=NOTE)
    credited = sum(bonus_credits(customer).values_list("bonus", flat=True))
    assert credited == FEE
    assert CompensationCredit.objects.filter(subscriber=customer).count() == 5


def test_rejection_needs_a_9_5_reason(customer, owner):
    claim = file(customer, owner)
    with pytest.raises(ValidationError):
        claim_reject(claim=claim, reason="")
    claim_reject(claim=claim, reason=RejectReason.EXTERNAL_NETWORK, note="Сбой у провайдера")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert not bonus_credits(customer).exists()


def test_staff_decision_is_posted_to_the_claims_ticket(
    customer, owner, staff_accountant, django_capture_on_commit_callbacks
):
    claim = file(customer, owner, hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(
            claim=claim, downtime=claim.claimed_downtime, note=NOTE, actor=staff_accountant
        )
    # Time is frozen: the claim's message and the answer share a moment, the id orders them.
    reply = Ticket.objects.get(pk=claim.ticket_id).messages.order_by("-created_at", "-pk").first()
    assert reply.author == staff_accountant
    assert "600" in reply.body


def test_panel_claim_form_files_a_claim(customer, owner, client):
    client.force_login(owner)
    response = client.post(
        reverse("operations:claim_new"),
        {
            "downtime_date": "2026-11-18",
            "hours": "2",
            "minutes": "30",
            "description": "Не работало",
        },
    )
    claim = CompensationClaim.objects.get()
    assert response.status_code == 302 and response.url == claim.get_absolute_url()
    assert claim.claimed_downtime == timedelta(hours=2, minutes=30) and claim.opened_by == owner


def test_panel_claim_form_refuses_bad_input_with_a_message(customer, owner, client):
    client.force_login(owner)
    response = client.post(
        reverse("operations:claim_new"),
        {"downtime_date": "2026-11-18", "hours": "0", "minutes": "0"},
    )
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert not CompensationClaim.objects.exists()


def test_plain_users_cannot_file_claims(customer, member, client):
    client.force_login(member)
    assert client.get(reverse("operations:claim_new")).status_code == 403


def test_statement_shows_claims_credits_and_the_bonus_balance(customer, owner, client):
    claim = file(customer, owner, hours=3)
    claim_approve(claim=claim, downtime=claim.claimed_downtime, note=NOTE)
    client.force_login(owner)
    page = client.get(reverse("operations:statement")).content.decode()
    assert f"#{claim.pk}" in page
    assert "900,00" in page


def test_accountant_decides_in_admin_and_engineer_may_not(
    customer, owner, staff_client, staff_accountant, operator_engineer
):
    claim = file(customer, owner, hours=2)
    url = reverse("admin:operations_compensationclaim_decide", args=[claim.pk])
    assert staff_client(operator_engineer).get(url).status_code == 403
    client = staff_client(staff_accountant)
    page = client.get(url).content.decode()
    assert "2:00" in page  # the claim and the operator's data side by side
    # 2 hours claimed, the operator's own data shows none that day: approving it needs a note.
    response = client.post(url, {"decision": "approve", "hours": "2", "minutes": "0"})
    assert response.status_code == 200
    assert "превышает собственные данные оператора" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING and claim.decided_at is None
    assert not bonus_credits(customer).exists()
    response = client.post(url, {"decision": "approve", "hours": "2", "minutes": "0", "note": NOTE})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert bonus_credits(customer).get().bonus == Decimal("600.00")

"""The one way compensation reaches the personal account: as bonuses through billing (9.3)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from billing.services import ledger_credit_bonus
from subscribers.models import Subscriber

from ..compensation import compensation_amount, compensation_percent, full_hours
from ..models import CompensationCredit


def already_credited(*, subscriber_id: int, month: date) -> Decimal:
    total = CompensationCredit.objects.filter(subscriber_id=subscriber_id, month=month).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal("0.00")


def credit_month(
    *,
    subscriber: Subscriber,
    month: date,
    downtime: timedelta,
    monthly_fee: Decimal,
    source: str,
    source_key: str,
    reason: str,
    incident_ids=(),
    claim=None,
    proposal_line=None,
    note: str = "",
    actor=None,
) -> CompensationCredit | None:
    """Credit what the month's total `downtime` entitles minus what was already credited for that
    month. Call inside a transaction holding the subscriber's row lock
    (subscribers.locks.lock_subscriber): two approvals racing each other (of one claim, or of two
    claims of one month) then see each other's credit, so the month stays capped at 100% of its
    fee (9.3) and nothing is credited twice. None when nothing is due."""
    entitlement = compensation_amount(monthly_fee, downtime)
    amount = entitlement - already_credited(subscriber_id=subscriber.pk, month=month)
    if amount <= 0:
        return None
    credit = CompensationCredit.objects.create(
        subscriber=subscriber,
        month=month,
        source=source,
        claim=claim,
        proposal_line=proposal_line,
        downtime=downtime,
        hours=full_hours(downtime),
        percent=compensation_percent(downtime),
        monthly_fee=monthly_fee,
        amount=amount,
        incident_ids=list(incident_ids),
        source_key=source_key,
        note=note,
        credited_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # Idempotent per source_key in the ledger too (its unique constraint): a retry credits once.
    ledger_credit_bonus(
        subscriber=subscriber, amount=amount, reason=reason, source_key=source_key, actor=actor
    )
    return credit

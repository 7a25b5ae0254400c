"""Compensation claims (9.1, 9.2, 9.5): filed through the ticket system, decided by staff."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.selectors import monthly_fee_for
from onebuh.dates import day_bounds, local_date, month_start
from onebuh.errors import Conflict
from outbox.services import outbox_enqueue
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.locks import lock_subscriber
from subscribers.models import Subscriber
from support.hooks import ticket_open_for_compensation_claim

from ..models import ClaimStatus, CompensationClaim, CreditSource, RejectReason
from ..selectors import month_downtime_data
from .credits import credit_month

# 9.1: the claim gives a date and that day's total downtime, so at most a day.
MAX_CLAIMED_PER_DAY = timedelta(hours=24)


def operator_downtime(*, subscriber_id: int, day: date) -> tuple[timedelta, timedelta]:
    """The operator's own figures (9.2): compensable downtime on that day and in its month."""
    data = month_downtime_data(month=day, subscriber_ids=[subscriber_id])
    return data.downtime_for(subscriber_id, window=day_bounds(day)), data.downtime_for(
        subscriber_id
    )


@transaction.atomic
def claim_file(
    *,
    subscriber: Subscriber,
    opened_by,
    downtime_date: date,
    claimed_downtime: timedelta,
    description: str = "",
) -> CompensationClaim:
    """9.1: a ticket in the ticket system plus the claim with the operator's figures beside it."""
    today = timezone.localdate()
    errors = []
    if downtime_date > today:
        errors.append(_("The date of the downtime cannot be in the future."))
    if downtime_date < local_date(subscriber.created_at):
        errors.append(_("The subscriber was not registered yet on that date."))
    if claimed_downtime <= timedelta(0):
        errors.append(_("Give the total downtime: more than zero minutes."))
    if claimed_downtime > MAX_CLAIMED_PER_DAY:
        errors.append(_("A day's total downtime cannot exceed 24 hours."))
    if errors:
        raise ValidationError(errors)
    # Locked so two claims for one date at once cannot both pass (the constraint backs it).
    lock_subscriber(subscriber)
    if CompensationClaim.objects.filter(
        subscriber=subscriber, downtime_date=downtime_date, status=ClaimStatus.PENDING
    ).exists():
        raise Conflict(
            _(
                "A claim for %(date)s is already being reviewed; its decision will come in "
                "the ticket. Add details there instead of filing another claim."
            )
            % {"date": downtime_date.strftime("%d.%m.%Y")}
        )
    on_date, in_month = operator_downtime(subscriber_id=subscriber.pk, day=downtime_date)
    hours, minutes = divmod(int(claimed_downtime.total_seconds()) // 60, 60)
    ticket = ticket_open_for_compensation_claim(
        subscriber=subscriber,
        opened_by=opened_by,
        subject=_("Downtime compensation claim for %(date)s")
        % {"date": downtime_date.strftime("%d.%m.%Y")},
        text=_(
            "Compensation claim (9.1). Date of the downtime: %(date)s. "
            "Total downtime: %(hours)s h %(minutes)s min.\n\n%(description)s"
        )
        % {
            "date": downtime_date.strftime("%d.%m.%Y"),
            "hours": hours,
            "minutes": minutes,
            "description": description,
        },
    )
    claim = CompensationClaim.objects.create(
        subscriber=subscriber,
        ticket=ticket,
        opened_by=opened_by,
        downtime_date=downtime_date,
        month=month_start(downtime_date),
        claimed_downtime=claimed_downtime,
        description=description,
        operator_downtime_on_date=on_date,
        operator_downtime_in_month=in_month,
    )
    audit_record(
        action=AuditAction.CLAIM_FILE,
        subscriber=subscriber,
        actor=opened_by,
        target=claim,
        data={"date": downtime_date.isoformat(), "minutes": claimed_downtime.total_seconds() // 60},
    )
    return claim


def _decided(claim: CompensationClaim) -> None:
    outbox_enqueue(kind="operations.claim_notify", payload={"claim_id": claim.pk})


@transaction.atomic
def claim_approve(
    *, claim: CompensationClaim, downtime: timedelta, note: str = "", actor=None
) -> CompensationClaim:
    """Approve with the agreed downtime (9.2: it may differ from the claim, with a note) and
    credit the month's due as bonuses, once (9.3)."""

    # Lock order (subscribers.locks): the subscriber, then its claim.
    subscriber = lock_subscriber(claim.subscriber_id)
    claim = CompensationClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.PENDING:
        raise ValidationError(_("This claim has already been decided."))
    if downtime <= timedelta(0):
        raise ValidationError(_("The approved downtime must be more than zero; reject instead."))
    if downtime > MAX_CLAIMED_PER_DAY:
        raise ValidationError(_("A day's total downtime cannot exceed 24 hours."))
    if downtime > claim.operator_downtime_on_date and not note.strip():
        raise ValidationError(
            _(
                "The approved downtime exceeds the operator's own figure for that day: "
                "explain it in the note (9.2)."
            )
        )
    if downtime != claim.claimed_downtime and not note.strip():
        raise ValidationError(
            _("The approved downtime differs from the claimed one: explain it in the note (9.2).")
        )
    claim.status = ClaimStatus.APPROVED
    claim.approved_downtime = downtime
    claim.decision_note = note.strip()
    claim.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    claim.decided_at = timezone.now()
    claim.save(
        update_fields=["status", "approved_downtime", "decision_note", "decided_by", "decided_at"]
    )
    # 9.3: full hours count on the month's total, so the month's approved claims are added up.
    month_total = sum(
        CompensationClaim.objects.filter(
            subscriber=subscriber, month=claim.month, status=ClaimStatus.APPROVED
        ).values_list("approved_downtime", flat=True),
        timedelta(0),
    )
    data = month_downtime_data(month=claim.month, subscriber_ids=[subscriber.pk])
    credit = credit_month(
        subscriber=subscriber,
        month=claim.month,
        downtime=month_total,
        monthly_fee=monthly_fee_for(subscriber=subscriber, month=claim.month),
        source=CreditSource.CLAIM,
        source_key=f"compensation-claim:{claim.pk}",
        reason=_("Downtime compensation (9.3), claim #%(pk)s, ticket #%(ticket)s")
        % {"pk": claim.pk, "ticket": claim.ticket_id},
        incident_ids=data.incident_ids_for(subscriber.pk),
        claim=claim,
        note=claim.decision_note,
        actor=actor,
    )
    audit_record(
        action=AuditAction.CLAIM_APPROVE,
        subscriber=subscriber,
        actor=actor,
        target=claim,
        reason=claim.decision_note,
        data={
            "approved_minutes": downtime.total_seconds() // 60,
            "credited": str(credit.amount) if credit else "0.00",
        },
    )
    _decided(claim)
    return claim


@transaction.atomic
def claim_reject(
    *, claim: CompensationClaim, reason: str, note: str = "", actor=None
) -> CompensationClaim:
    """Reject with the 9.5 reason (or no downtime in the operator's data, 9.2)."""
    if reason not in RejectReason.values:
        raise ValidationError(_("Choose the reason of the rejection (9.5)."))
    claim = CompensationClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.PENDING:
        raise ValidationError(_("This claim has already been decided."))
    claim.status = ClaimStatus.REJECTED
    claim.reject_reason = reason
    claim.decision_note = note.strip()
    claim.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    claim.decided_at = timezone.now()
    claim.save(
        update_fields=["status", "reject_reason", "decision_note", "decided_by", "decided_at"]
    )
    audit_record(
        action=AuditAction.CLAIM_REJECT,
        subscriber=claim.subscriber,
        actor=actor,
        target=claim,
        reason=note,
        data={"reason": reason},
    )
    _decided(claim)
    return claim

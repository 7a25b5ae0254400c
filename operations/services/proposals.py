"""Beyond the terms: the operator proposes each affected subscriber's compensation for a month
from its own incident records (9.2), and staff credit it without waiting for a claim."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.selectors import monthly_fees_for
from onebuh.dates import month_bounds, month_start
from outbox.services import outbox_enqueue
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.locks import lock_subscriber

from ..compensation import compensation_amount, compensation_percent, full_hours
from ..models import CompensationCredit, CompensationProposal, CreditSource, ProposalLine
from ..selectors import downtime_by_subscriber
from .credits import credit_month

# Staff ask for a build or a crediting in the admin; the work is owed in the outbox (issue 10).
PROPOSAL_BUILD_KIND = "operations.proposal_build"
PROPOSAL_CREDIT_KIND = "operations.proposal_credit"


def proposal_build_request(*, month: date, actor) -> None:
    """Owe a (re)build of the month's proposal."""
    outbox_enqueue(
        kind=PROPOSAL_BUILD_KIND,
        payload={"month": month_start(month).isoformat(), "actor_id": actor.pk},
    )


def proposal_credit_request(*, proposal: CompensationProposal, actor) -> None:
    """Owe the crediting of the proposal's open lines (after its month is over)."""
    if not month_is_over(proposal.month):
        raise ValidationError(
            _("The month is not over yet: credit its compensation after it ends.")
        )
    outbox_enqueue(
        kind=PROPOSAL_CREDIT_KIND, payload={"proposal_id": proposal.pk, "actor_id": actor.pk}
    )


@transaction.atomic
def proposal_build(*, month: date, actor=None) -> CompensationProposal:
    """(Re)compute the month's proposal. Lines already credited stay as they are."""
    month = month_start(month)
    proposal, _created = CompensationProposal.objects.get_or_create(
        month=month,
        defaults={"created_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    # Two builds of one month (beat and a staff click) run one after the other, not interleaved.
    proposal = CompensationProposal.objects.select_for_update().get(pk=proposal.pk)
    # Lines an accountant adjusted stay as decided, like credited ones; the rest are recomputed.
    proposal.lines.filter(credit__isnull=True, adjusted_at__isnull=True).delete()
    settled = set(proposal.lines.values_list("subscriber_id", flat=True))
    rows = [
        row
        for row in downtime_by_subscriber(month=month)
        if full_hours(row.downtime) >= 1 and row.subscriber_id not in settled
    ]
    ids = [row.subscriber_id for row in rows]
    fees = monthly_fees_for(subscriber_ids=ids, month=month)
    credited = dict(
        CompensationCredit.objects.filter(subscriber_id__any_of=ids, month=month)
        .values("subscriber_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("subscriber_id", "total")
    )
    lines = []
    for row in rows:
        fee = fees[row.subscriber_id]
        already = credited.get(row.subscriber_id, Decimal("0.00"))
        due = compensation_amount(fee, row.downtime) - already
        lines.append(
            ProposalLine(
                proposal=proposal,
                subscriber_id=row.subscriber_id,
                downtime=row.downtime,
                operator_downtime=row.downtime,
                hours=full_hours(row.downtime),
                percent=compensation_percent(row.downtime),
                monthly_fee=fee,
                already_credited=already,
                amount_due=max(due, Decimal("0.00")),
                incident_ids=list(row.incident_ids),
            )
        )
    ProposalLine.objects.bulk_create(lines, batch_size=2000)
    proposal.status = CompensationProposal.Status.READY
    proposal.built_at = timezone.now()
    proposal.save(update_fields=["status", "built_at"])
    audit_record(
        action=AuditAction.PROPOSAL_BUILD,
        actor=actor,
        target=proposal,
        data={"lines": len(lines)},
    )
    return proposal


@transaction.atomic
def proposal_line_adjust(*, line: ProposalLine, downtime: timedelta, note: str = "", actor):
    """The accountant changes a line's downtime before it is credited (9.2: the figure may be
    agreed with the subscriber). More than the operator's own figure needs a note; the hours,
    percent and amount are computed again by the 9.3 rule (1% per full hour, at most 100%)."""
    # Lock order (subscribers.locks): the subscriber, then its proposal line — as the credit.
    subscriber = lock_subscriber(line.subscriber_id)
    line = ProposalLine.objects.select_for_update().select_related("proposal").get(pk=line.pk)
    if CompensationCredit.objects.filter(proposal_line=line).exists():
        raise ValidationError(_("This line is already credited: it cannot be changed."))
    if downtime < timedelta(0):
        raise ValidationError(_("The downtime cannot be negative."))
    note = note.strip()
    operator = line.operator_downtime if line.operator_downtime is not None else line.downtime
    if downtime > operator and not note:
        raise ValidationError(
            _(
                "The downtime exceeds the operator's own figure for the month: "
                "explain it in the note (9.2)."
            )
        )
    before = line.downtime
    line.operator_downtime = operator
    line.downtime = downtime
    line.hours = full_hours(downtime)
    line.percent = compensation_percent(downtime)
    line.amount_due = max(
        compensation_amount(line.monthly_fee, downtime) - line.already_credited, Decimal("0.00")
    )
    line.note = note
    line.adjusted_by = actor
    line.adjusted_at = timezone.now()
    line.save(
        update_fields=[
            "operator_downtime",
            "downtime",
            "hours",
            "percent",
            "amount_due",
            "note",
            "adjusted_by",
            "adjusted_at",
        ]
    )
    audit_record(
        action=AuditAction.PROPOSAL_LINE_ADJUST,
        subscriber=subscriber,
        actor=actor,
        target=line,
        reason=note,
        data={
            "month": f"{line.proposal.month:%Y-%m}",
            "from_minutes": int(before.total_seconds()) // 60,
            "to_minutes": int(downtime.total_seconds()) // 60,
            "operator_minutes": int(operator.total_seconds()) // 60,
            "amount_due": str(line.amount_due),
        },
    )
    return line


def month_is_over(month: date) -> bool:
    return month_bounds(month)[1] <= timezone.now()


@transaction.atomic
def proposal_line_credit(*, line: ProposalLine, actor=None) -> CompensationCredit | None:
    """Credit one proposed line, once; None if nothing is due any more (a claim paid it)."""
    if not month_is_over(line.proposal.month):
        raise ValidationError(
            _("The month is not over yet: credit its compensation after it ends.")
        )
    # Lock order (subscribers.locks): the subscriber, then its proposal line.
    subscriber = lock_subscriber(line.subscriber_id)
    line = ProposalLine.objects.select_for_update().select_related("proposal").get(pk=line.pk)
    if CompensationCredit.objects.filter(proposal_line=line).exists():
        return None
    month = line.proposal.month
    if CompensationCredit.objects.filter(
        subscriber=subscriber, month=month, source=CreditSource.PROPOSAL
    ).exists():
        return None  # 9.3: the proposal credits a subscriber's month once.
    credit = credit_month(
        subscriber=subscriber,
        month=month,
        downtime=line.downtime,
        monthly_fee=line.monthly_fee,
        source=CreditSource.PROPOSAL,
        source_key=f"compensation-proposal:{subscriber.pk}:{month:%Y-%m}",
        reason=_("Downtime compensation (9.3) for %(month)s by the operator's data (9.2)")
        % {"month": month.strftime("%m.%Y")},
        incident_ids=line.incident_ids,
        proposal_line=line,
        actor=actor,
    )
    if credit is not None:
        audit_record(
            action=AuditAction.PROPOSAL_CREDIT,
            subscriber=subscriber,
            actor=actor,
            target=credit,
            data={"amount": str(credit.amount), "month": f"{month:%Y-%m}"},
        )
    return credit


def proposal_credit_all(*, proposal: CompensationProposal, actor=None) -> int:
    """Credit every line still open, each in its own transaction (a retry continues)."""
    if not month_is_over(proposal.month):
        raise ValidationError(
            _("The month is not over yet: credit its compensation after it ends.")
        )
    credited = 0
    open_lines = proposal.lines.filter(credit__isnull=True, amount_due__gt=0).select_related(
        "proposal"
    )
    for line in open_lines.iterator(chunk_size=500):
        if proposal_line_credit(line=line, actor=actor) is not None:
            credited += 1
    return credited

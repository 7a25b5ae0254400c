"""Staff's work on a ticket: acceptance, assignment, classification, section 8 decisions,
closing and the subscriber's rating. Each locks the ticket row: two staff acting on one
ticket at once are serialised."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onebuh.errors import Conflict
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction

from .. import sla
from ..models import (
    DEFERRAL_REASONS,
    OPEN_STATUSES,
    PARTNER_CATEGORIES,
    Category,
    Channel,
    DecisionReason,
    MessageAuthor,
    SupportKind,
    Ticket,
    TicketStatus,
    WorkType,
    kind_of_category,
)
from .tickets import (
    message_add,
    partner_for,
    quota_check,
    reaction_record,
    staff_answer_sent,
)


def _locked(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",)).select_related("opened_by").get(pk=ticket.pk)
    )


def _require_open(ticket: Ticket) -> None:
    if ticket.status not in OPEN_STATUSES:
        raise Conflict(_("The ticket is closed."))


@transaction.atomic
def ticket_accept(*, ticket: Ticket, actor) -> Ticket:
    """Acceptance into work: the reaction (if first), the ticket goes to the accepting person."""
    ticket = _locked(ticket)
    _require_open(ticket)
    now = timezone.now()
    ticket.status = TicketStatus.IN_PROGRESS
    ticket.assignee = ticket.assignee or actor
    ticket.updated_at = now
    ticket.save(update_fields=["status", "assignee", "updated_at"])
    reaction_record(ticket=ticket, at=now)
    audit_record(
        action=AuditAction.TICKET_ACCEPT, subscriber=ticket.subscriber, actor=actor, target=ticket
    )
    return ticket


@transaction.atomic
def ticket_assign(*, ticket: Ticket, actor, assignee=None, partner_firm=None) -> Ticket:
    ticket = _locked(ticket)
    if partner_firm is not None and ticket.category not in PARTNER_CATEGORIES:
        raise ValidationError(
            _("Partner firms answer only methodological and individual requests (4.1).")
        )
    if assignee is not None and assignee.partner_firm_id is not None:
        firm_id = partner_firm.pk if partner_firm is not None else ticket.partner_firm_id
        if assignee.partner_firm_id != firm_id:
            raise ValidationError(_("The consultant works for another partner firm."))
    ticket.assignee = assignee
    ticket.partner_firm = partner_firm
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=["assignee", "partner_firm", "updated_at"])
    audit_record(
        action=AuditAction.TICKET_ASSIGN,
        subscriber=ticket.subscriber,
        actor=actor,
        target=ticket,
        data={
            "assignee": assignee.pk if assignee else None,
            "partner_firm": ticket.partner_firm_id,
        },
    )
    return ticket


@transaction.atomic
def ticket_change_category(
    *, ticket: Ticket, actor, category: str, work_type: WorkType | None = None
) -> Ticket:
    """Re-classify. The deadline is recomputed from the opening time; a notification whose new
    moment is still ahead may be sent again at that moment."""
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category of the request.")})
    kind = kind_of_category(category)
    if work_type is not None and work_type.kind != kind:
        raise ValidationError(
            {"work_type": _("The work type belongs to another kind of support (section 7).")}
        )
    ticket = _locked(ticket)
    if category != ticket.category and category in PARTNER_CATEGORIES:
        quota_check(subscriber=ticket.subscriber, category=category, exclude=ticket)
    now = timezone.now()
    previous = ticket.category
    ticket.category, ticket.kind, ticket.work_type = category, kind, work_type
    ticket.reaction_due_at = sla.reaction_due_at(category, ticket.opened_at)
    ticket.warning_at = sla.warning_at(category, ticket.opened_at)
    if ticket.warning_at > now:
        ticket.warned_at = None
    if ticket.reaction_due_at > now:
        ticket.breached_at = None
    if kind == SupportKind.TECHNICAL:
        ticket.partner_firm = None
    elif ticket.partner_firm_id is None:
        ticket.partner_firm = partner_for(subscriber=ticket.subscriber, category=category)
    ticket.updated_at = now
    ticket.save(
        update_fields=[
            "category",
            "kind",
            "work_type",
            "reaction_due_at",
            "warning_at",
            "warned_at",
            "breached_at",
            "partner_firm",
            "updated_at",
        ]
    )
    audit_record(
        action=AuditAction.TICKET_CHANGE_CATEGORY,
        subscriber=ticket.subscriber,
        actor=actor,
        target=ticket,
        data={"from": previous, "to": category},
    )
    return ticket


def _decide(*, ticket, actor, status, reason, explanation, action) -> Ticket:
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError({"explanation": _("Explain the decision to the subscriber.")})
    ticket = _locked(ticket)
    _require_open(ticket)
    now = timezone.now()
    ticket.status = status
    ticket.decision_reason = reason
    ticket.decision_explanation = explanation
    ticket.updated_at = now
    fields = ["status", "decision_reason", "decision_explanation", "updated_at"]
    if status == TicketStatus.REFUSED:
        ticket.closed_at = now
        fields.append("closed_at")
    ticket.save(update_fields=fields)
    # The decision is a public answer of staff: the subscriber sees reason and explanation.
    message = message_add(
        ticket=ticket,
        author=actor,
        side=MessageAuthor.STAFF,
        channel=Channel.WEB,
        body=f"{DecisionReason(reason).label}\n\n{explanation}",
    )
    staff_answer_sent(ticket=ticket, message=message)
    audit_record(
        action=action,
        subscriber=ticket.subscriber,
        actor=actor,
        target=ticket,
        reason=explanation,
        data={"reason": reason},
    )
    return ticket


@transaction.atomic
def ticket_defer(*, ticket: Ticket, actor, reason: str, explanation: str) -> Ticket:
    """8.1: support is deferred until the obstacle is removed."""
    if reason not in DEFERRAL_REASONS:
        raise ValidationError({"reason": _("Support can be deferred only for the reasons of 8.1.")})
    return _decide(
        ticket=ticket,
        actor=actor,
        status=TicketStatus.DEFERRED,
        reason=reason,
        explanation=explanation,
        action=AuditAction.TICKET_DEFER,
    )


@transaction.atomic
def ticket_refuse(*, ticket: Ticket, actor, reason: str, explanation: str) -> Ticket:
    """8.1–8.3: support is refused; the ticket is closed with the reason."""
    if reason not in DecisionReason.values:
        raise ValidationError({"reason": _("Choose a reason of section 8.")})
    return _decide(
        ticket=ticket,
        actor=actor,
        status=TicketStatus.REFUSED,
        reason=reason,
        explanation=explanation,
        action=AuditAction.TICKET_REFUSE,
    )


@transaction.atomic
def ticket_await_subscriber(*, ticket: Ticket, actor) -> Ticket:
    """Staff asked the subscriber something: the ticket waits (a subscriber's message brings it
    back into work). Not a reaction by itself: only the public answer that asks is."""
    ticket = _locked(ticket)
    _require_open(ticket)
    ticket.status, ticket.updated_at = TicketStatus.WAITING, timezone.now()
    ticket.save(update_fields=["status", "updated_at"])
    audit_record(
        action=AuditAction.TICKET_WAIT, subscriber=ticket.subscriber, actor=actor, target=ticket
    )
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket, actor) -> Ticket:
    ticket = _locked(ticket)
    _require_open(ticket)
    now = timezone.now()
    ticket.status, ticket.closed_at, ticket.updated_at = TicketStatus.CLOSED, now, now
    ticket.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(
        action=AuditAction.TICKET_CLOSE, subscriber=ticket.subscriber, actor=actor, target=ticket
    )
    return ticket


@transaction.atomic
def ticket_rate(*, ticket: Ticket, actor, rating: int, comment: str = "") -> Ticket:
    """The subscriber rates the answer once the support desk has answered."""
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    ticket = _locked(ticket)
    if not ticket.messages.filter(author_side=MessageAuthor.STAFF, is_internal=False).exists():
        raise Conflict(_("There is no answer to rate yet."))
    ticket.rating, ticket.rating_comment = rating, (comment or "").strip()
    ticket.save(update_fields=["rating", "rating_comment"])
    audit_record(
        action=AuditAction.TICKET_RATE,
        subscriber=ticket.subscriber,
        actor=actor,
        target=ticket,
        data={"rating": rating},
    )
    return ticket

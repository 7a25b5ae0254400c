"""Staff decide about tickets whose sender was not confirmed (issue 11): an email from a member's
address that its server did not authenticate, or an unbound 1C-Connect client."""

from django.db import transaction
from django.utils import timezone

from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.models import Membership

from ..models import SenderCheck, Ticket, TicketStatus
from .tickets import acknowledgement_send


@transaction.atomic
def ticket_sender_confirm(*, ticket: Ticket, actor) -> bool:
    """The sender is who they say: the ticket becomes the member's, as if authenticated, and
    gets the acknowledgement it was denied while its sender was in doubt (issue 14)."""
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    if ticket.sender_check != SenderCheck.UNVERIFIED:
        return False
    membership = (
        Membership.objects.select_related("user")
        .filter(subscriber_id=ticket.subscriber_id, user__email__iexact=ticket.sender_email)
        .first()
        if ticket.sender_email
        else None
    )
    ticket.sender_check = SenderCheck.CONFIRMED
    fields = ["sender_check"]
    if membership is not None and ticket.opened_by_id is None:
        ticket.opened_by = membership.user
        fields.append("opened_by")
    ticket.save(update_fields=fields)
    audit_record(
        action=AuditAction.TICKET_SENDER_CONFIRM,
        subscriber=ticket.subscriber,
        actor=actor,
        target=ticket,
        data={"sender_email": ticket.sender_email},
    )
    acknowledgement_send(ticket=ticket)
    return True


@transaction.atomic
def ticket_sender_reject(*, ticket: Ticket, actor) -> bool:
    """Forged: the ticket is closed and later mail of its thread is not added to it."""
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    if ticket.sender_check != SenderCheck.UNVERIFIED:
        return False
    ticket.sender_check = SenderCheck.REJECTED
    ticket.status = TicketStatus.CLOSED
    ticket.closed_at = timezone.now()
    ticket.save(update_fields=["sender_check", "status", "closed_at"])
    audit_record(
        action=AuditAction.TICKET_SENDER_REJECT,
        subscriber=ticket.subscriber,
        actor=actor,
        target=ticket,
        data={"sender_email": ticket.sender_email},
    )
    return True

"""Tenancy helpers of the support panel: the member's subscriber's object, or 404."""

from subscribers.access import get_for_member
from subscribers.models import Membership

from .models import OneCFormToken, Ticket, TicketAttachment
from .selectors import tickets_for_member


def ticket_for_member(*, membership: Membership, pk) -> Ticket:
    return get_for_member(
        tickets_for_member(membership=membership).select_related("opened_by", "infobase"),
        membership=membership,
        pk=pk,
    )


def attachment_for_member(*, membership: Membership, pk) -> TicketAttachment:
    """Only attachments of public messages of the member's visible tickets."""
    tickets = tickets_for_member(membership=membership)
    return get_for_member(
        TicketAttachment.objects.filter(message__is_internal=False, message__ticket__in=tickets),
        membership=membership,
        pk=pk,
        field="message__ticket__subscriber",
    )


def onec_token_for_manager(*, membership: Membership, pk) -> OneCFormToken:
    return get_for_member(OneCFormToken, membership=membership, pk=pk)

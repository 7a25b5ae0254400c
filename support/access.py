"""Tenancy helpers of the support panel: the member's subscriber's object, or 404."""

from django.db.models import QuerySet
from django.http import Http404

from subscribers.access import get_for_member
from subscribers.models import Membership

from .models import ConnectClient, OneCFormToken, Ticket, TicketAttachment
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


def onec_tokens_visible_to(*, membership: Membership) -> QuerySet[OneCFormToken]:
    """The subscriber's 1C form tokens; managers only (others see none)."""
    if not membership.can_manage:
        return OneCFormToken.objects.none()
    return OneCFormToken.objects.filter(subscriber_id=membership.subscriber_id)


def onec_token_for_manager(*, membership: Membership, pk) -> OneCFormToken:
    """A 1C form token of the subscriber, for its owners and administrators only (else 404):
    the helper does not trust its caller's decorator."""
    if not membership.can_manage:
        raise Http404
    return get_for_member(OneCFormToken, membership=membership, pk=pk)


def connect_clients_of_member(*, membership: Membership) -> QuerySet[ConnectClient]:
    """The 1C-Connect clients bound to this member in this subscriber (issue 11)."""
    return ConnectClient.objects.filter(
        member_id=membership.user_id, subscriber_id=membership.subscriber_id
    )

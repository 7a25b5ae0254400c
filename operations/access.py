"""Tenancy helpers: a member reaches only their own subscriber's compensation objects."""

from django.db.models import QuerySet

from subscribers.access import get_for_member
from subscribers.models import Membership

from .models import CompensationClaim, CompensationCredit


def claims_visible_to(*, membership: Membership) -> QuerySet[CompensationClaim]:
    """The subscriber's compensation claims; members who see billing only (others see none)."""
    if not membership.can_see_billing:
        return CompensationClaim.objects.none()
    return CompensationClaim.objects.filter(subscriber_id=membership.subscriber_id)


def credits_visible_to(*, membership: Membership) -> QuerySet[CompensationCredit]:
    """The subscriber's compensation credits; members who see billing only."""
    if not membership.can_see_billing:
        return CompensationCredit.objects.none()
    return CompensationCredit.objects.filter(subscriber_id=membership.subscriber_id)


def claim_for_member(*, membership: Membership, pk) -> CompensationClaim:
    return get_for_member(
        CompensationClaim.objects.select_related("ticket", "opened_by"),
        membership=membership,
        pk=pk,
    )

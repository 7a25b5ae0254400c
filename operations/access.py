"""Tenancy helpers: a member reaches only their own subscriber's compensation objects."""

from subscribers.access import get_for_member
from subscribers.models import Membership

from .models import CompensationClaim


def claim_for_member(*, membership: Membership, pk) -> CompensationClaim:
    return get_for_member(
        CompensationClaim.objects.select_related("ticket", "opened_by"),
        membership=membership,
        pk=pk,
    )

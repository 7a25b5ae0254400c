"""Tenancy of the API: who the request acts for, and the tokens a member may see."""

from django.db.models import QuerySet

from subscribers.access import get_for_member
from subscribers.models import Membership

from .models import ApiToken


def membership_of(request) -> Membership | None:
    """The member a request acts as: the token's member, or the panel session's current one."""
    if isinstance(request.auth, ApiToken):
        return request.auth.membership
    return getattr(request._request, "membership", None)


def tokens_visible_to(*, membership: Membership) -> QuerySet[ApiToken]:
    """A member sees their own tokens; owners and administrators every token of the subscriber
    (to revoke the key of someone who leaked it)."""
    tokens = ApiToken.objects.filter(membership__subscriber_id=membership.subscriber_id)
    if not membership.can_manage:
        tokens = tokens.filter(membership=membership)
    return tokens.select_related("membership__user")


def token_for_member(*, membership: Membership, pk) -> ApiToken:
    return get_for_member(
        tokens_visible_to(membership=membership),
        membership=membership,
        pk=pk,
        field="membership__subscriber",
    )

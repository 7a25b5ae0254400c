"""Tenancy: every subscriber-facing view reaches objects only through these helpers.

A member sees only their current subscriber's objects; any other id answers 404, so the
existence of another subscriber's object is not disclosed.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from .models import Invitation, Membership


def get_for_member(
    queryset: QuerySet | type[Model], *, membership: Membership, pk, field: str = "subscriber"
):
    """The object with this pk if it belongs to the member's subscriber, else Http404."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    return get_object_or_404(queryset, pk=pk, **{field: membership.subscriber_id})


def members_visible_to(*, membership: Membership) -> QuerySet[Membership]:
    """The subscriber's members (every member sees the team)."""
    return Membership.objects.filter(subscriber_id=membership.subscriber_id).select_related("user")


def member_for_manager(*, membership: Membership, pk) -> Membership:
    """A member of the subscriber, for its owners and administrators only (else 404, like a
    missing one): the helper does not trust its caller's decorator."""
    if not membership.can_manage:
        raise Http404
    return get_for_member(members_visible_to(membership=membership), membership=membership, pk=pk)


def invitations_open_visible_to(*, membership: Membership) -> QuerySet[Invitation]:
    """The subscriber's open invitations; managers only (others see none)."""
    if not membership.can_manage:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        subscriber_id=membership.subscriber_id, accepted_at__isnull=True, revoked_at__isnull=True
    )


def invitation_for_manager(*, membership: Membership, pk) -> Invitation:
    """An invitation of the subscriber, for its owners and administrators only (else 404)."""
    if not membership.can_manage:
        raise Http404
    return get_for_member(Invitation, membership=membership, pk=pk)


def membership_of_user(*, user, subscriber_id) -> Membership:
    """The person's own membership of that subscriber (the switcher), else 404."""
    try:
        return Membership.objects.get(user=user, subscriber_id=int(subscriber_id))
    except (Membership.DoesNotExist, TypeError, ValueError) as error:
        raise Http404 from error


def member_required(view):
    """Signed in and a member of a subscriber; people without one are sent to register one."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.membership is None:
            return redirect("subscribers:register")
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view):
    """Owners and administrators of the subscriber only."""

    @member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.membership.can_manage:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def billing_required(view):
    """Owners, administrators and the subscriber's accountants."""

    @member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.membership.can_see_billing:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper

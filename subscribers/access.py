"""Tenancy: every subscriber-facing view reaches objects only through these helpers.

A member sees only their current subscriber's objects; any other id answers 404, so the
existence of another subscriber's object is not disclosed.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404, redirect

from .models import Invitation, Membership


def get_for_member(
    queryset: QuerySet | type[Model], *, membership: Membership, pk, field: str = "subscriber"
):
    """The object with this pk if it belongs to the member's subscriber, else Http404."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    return get_object_or_404(queryset, pk=pk, **{field: membership.subscriber_id})


def member_for_manager(*, membership: Membership, pk) -> Membership:
    return get_for_member(Membership.objects.select_related("user"), membership=membership, pk=pk)


def invitation_for_manager(*, membership: Membership, pk) -> Invitation:
    return get_for_member(Invitation, membership=membership, pk=pk)


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

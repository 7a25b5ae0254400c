"""Partner scope in the admin (4.1): a partner's consultant sees only the subscribers assigned to
their firm (`support.PartnerAssignment`) and those subscribers' objects; operator staff see all.

Every model admin that shows a subscriber's objects to a role a consultant may hold uses
`PartnerScopedAdminMixin`; its `get_queryset` is what the changelist, the change page, the
history and the autocomplete read, so one filter covers them all (another firm's object is 404
on its change, history and delete pages, absent from lists and autocompletes). `tests/test_admin_partner_walk.py`
walks every registered admin URL as a consultant with another firm's objects.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property


def consultant_firm_id(user) -> int | None:
    """The firm whose scope limits this person, or None for operator staff."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    return user.partner_firm_id


def scope_to_partner(queryset: QuerySet, *, user, subscriber_path: str) -> QuerySet:
    """Narrow `queryset` to the consultant's firm. `subscriber_path` leads from the model to its
    subscriber ("" for the Subscriber itself, "subscriber" for a model with that key)."""
    firm_id = consultant_firm_id(user)
    if firm_id is None:
        return queryset
    prefix = f"{subscriber_path}__" if subscriber_path else ""
    return queryset.filter(**{f"{prefix}support_partner__partner_firm_id": firm_id})


class ScopedNotFoundMixin:
    """Django answers an id its queryset does not hold with a redirect to the index ("perhaps it
    was deleted") and a 200 there. For a consultant that id is as often another firm's object:
    he gets a plain 404 for both, so the answer says nothing about what exists."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        if consultant_firm_id(request.user) is not None:
            raise Http404
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)


class PartnerScopedAdminMixin(ScopedNotFoundMixin):
    partner_scope_path = "subscriber"

    def get_queryset(self, request):
        return scope_to_partner(
            super().get_queryset(request),
            user=request.user,
            subscriber_path=self.partner_scope_path,
        )


class CappedCountPaginator(Paginator):
    """A changelist over a big table counts at most CAP rows (a LIMITed subquery): a broad
    search or filter no longer counts tens of thousands of matches on every page; past the cap
    the admin shows "1001 results" and pages up to there."""

    CAP = 1000

    @cached_property
    def count(self):
        return self.object_list[: self.CAP + 1].count()

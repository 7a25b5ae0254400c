"""Who may call what: the member's role (the same rules as the panel) and the token's scope."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .access import membership_of
from .models import ApiToken


class IsMember(permissions.BasePermission):
    """Signed in (token or session) and working for a subscriber; a read token only reads."""

    message = _("Sign in as a member of a subscriber to use the API.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if membership_of(request) is None:
            return False
        token = request.auth
        writes = request.method not in permissions.SAFE_METHODS
        if isinstance(token, ApiToken) and writes and not token.can_write:
            self.message = _("This token may only read: create a token with write access.")
            return False
        return True


class IsManager(IsMember):
    """Owners and administrators: members, infobases, access (as manager_required)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if not membership_of(request).can_manage:
            self.message = _("Only the owner and administrators of the subscriber may do this.")
            return False
        return True


class CanSeeBilling(IsMember):
    """Owners, administrators and accountants: billing and compensation (as billing_required)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if not membership_of(request).can_see_billing:
            self.message = _("Only the owner, administrators and accountants see billing.")
            return False
        return True


class ManagerWrites(IsMember):
    """Everyone reads; only owners and administrators write (lists of members, infobases)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if not membership_of(request).can_manage:
            self.message = _("Only the owner and administrators of the subscriber may do this.")
            return False
        return True

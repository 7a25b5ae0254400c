from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied


class ReadOnlyAdminMixin:
    """For append-only records (audit, state history, ledgers): staff read, nobody edits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


def admin_has_permissions(model_admin, request, permissions) -> bool:
    """The check behind `@admin.action(permissions=…)`, also for custom admin views: "view",
    "change", "add", "delete" or a custom word ask the ModelAdmin's `has_<word>_permission`;
    a dotted "app.codename" asks the user directly."""
    for permission in permissions:
        if "." in permission:
            allowed = request.user.has_perm(permission)
        else:
            allowed = getattr(model_admin, f"has_{permission}_permission")(request)
        if not allowed:
            return False
    return True


def admin_view_permissions(*permissions: str):
    """Declare and enforce what a custom admin view (a ModelAdmin method behind `get_urls`)
    needs, as `@admin.action(permissions=…)` does for actions: without it the answer is 403.

    The declaration is kept on the view (`admin_permissions`), so the permission walk
    (tests/security/test_admin_permissions.py) checks every custom view as every staff role;
    a view without it fails that test.
    """
    if not permissions:
        raise ValueError("name at least one permission")

    def decorate(view):
        @wraps(view)
        def checked(model_admin, request, *args, **kwargs):
            if not admin_has_permissions(model_admin, request, permissions):
                raise PermissionDenied
            return view(model_admin, request, *args, **kwargs)

        checked.admin_permissions = permissions
        return checked

    return decorate

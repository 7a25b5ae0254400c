from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from subscribers.audit_actions import AuditAction


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


class AuditedAdminMixin:
    """Staff additions, changes and deletions through the admin write the subscriber's audit trail.

    The admin's own LogEntry stays; the audit row (subscribers.audit) is what the subscriber's
    history and the operator's investigations read, so every staff action on a subscriber's data
    lands there too — in the admin's transaction. Services called by custom admin actions audit
    themselves. The subscriber is `obj.subscriber`, the object itself for a Subscriber; override
    `audit_subscriber` for other shapes.
    """

    def audit_subscriber(self, obj):
        from subscribers.models import Subscriber

        if isinstance(obj, Subscriber):
            return obj
        return getattr(obj, "subscriber", None)

    def _audit(self, request, obj, action: AuditAction, message, subscriber=None, data=None):
        from subscribers.audit import audit_record, client_ip

        audit_record(
            action=action,
            subscriber=subscriber,
            actor=request.user,
            target=obj,
            data={"model": obj._meta.label_lower, "change": message, **(data or {})},
            ip=client_ip(request),
        )

    def save_related(self, request, form, formsets, change):
        """Staff roles are groups: a change of them is recorded with the groups added and
        removed (the admin's own message says only "Groups")."""
        obj = form.instance
        tracks_groups = change and "groups" in getattr(form, "changed_data", ())
        before = set(obj.groups.values_list("name", flat=True)) if tracks_groups else set()
        super().save_related(request, form, formsets, change)
        if tracks_groups:
            after = set(obj.groups.values_list("name", flat=True))
            if before != after:
                from subscribers.audit import audit_record, client_ip

                audit_record(
                    action=AuditAction.STAFF_ROLE_CHANGE,
                    subscriber=self.audit_subscriber(obj),
                    actor=request.user,
                    target=obj,
                    data={"added": sorted(after - before), "removed": sorted(before - after)},
                    ip=client_ip(request),
                )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, obj, AuditAction.ADMIN_ADD, message, self.audit_subscriber(obj))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, obj, AuditAction.ADMIN_CHANGE, message, self.audit_subscriber(obj))
        return entry

    def log_deletions(self, request, queryset):
        from subscribers.models import Subscriber

        for obj in queryset:
            subscriber = self.audit_subscriber(obj)
            # The audit row must not keep a deleted subscriber alive (its key is PROTECT).
            gone = isinstance(obj, Subscriber)
            self._audit(
                request,
                obj,
                AuditAction.ADMIN_DELETE,
                str(obj),
                subscriber=None if gone else subscriber,
                data={"subscriber_id": subscriber.pk} if gone and subscriber else None,
            )
        return super().log_deletions(request, queryset)


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

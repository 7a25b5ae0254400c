"""The admin's own writes on a subscriber's data land in the subscriber's audit trail.

Every app's ModelAdmin that edits a subscriber's data mixes this in; it lives in subscribers,
beside the audit trail it writes, so that `onebuh` (the layer below every app) needs nothing
from the apps above it.
"""

from .audit import audit_record, client_ip
from .audit_actions import AuditAction
from .models import Subscriber


class AuditedAdminMixin:
    """Staff additions, changes and deletions through the admin write the subscriber's audit trail.

    The admin's own LogEntry stays; the audit row (subscribers.audit) is what the subscriber's
    history and the operator's investigations read, so every staff action on a subscriber's data
    lands there too — in the admin's transaction. Services called by custom admin actions audit
    themselves. The subscriber is `obj.subscriber`, the object itself for a Subscriber; override
    `audit_subscriber` for other shapes.
    """

    def audit_subscriber(self, obj):
        if isinstance(obj, Subscriber):
            return obj
        return getattr(obj, "subscriber", None)

    def _audit(self, request, obj, action: AuditAction, message, subscriber=None, data=None):
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

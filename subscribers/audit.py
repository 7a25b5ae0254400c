"""The one way to write the audit trail. Every app's services call `audit_record`."""

from django.db import models

# Re-exported: audit calls take the address with audit_record (defined in onebuh for the limits).
from onebuh.remote import client_ip as client_ip

from .audit_actions import AuditAction
from .models import AuditEntry, Subscriber


def audit_record(
    *,
    action: AuditAction,
    subscriber: Subscriber | None = None,
    actor=None,
    target: models.Model | None = None,
    reason: str = "",
    data: dict | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Record who did what to which subscriber and why. Call inside the write's transaction.

    `action` is a member of the registry; a code it does not know raises ValueError, so a free
    string cannot reach the trail (tests/subscribers/test_audit_registry.py checks call sites).
    """
    action = AuditAction(action)
    is_real_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        subscriber=subscriber,
        actor=actor if is_real_user else None,
        actor_is_staff=bool(is_real_user and actor.is_staff),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        reason=reason,
        data=data or {},
        ip=ip,
    )


def audit_record_many(
    *,
    action: AuditAction,
    subscriber_ids,
    actor=None,
    reason: str = "",
    data: dict | None = None,
) -> int:
    """The same row for each of many subscribers in one INSERT (set-based passes), so each
    subscriber's own trail shows what a pass did to it."""
    action = AuditAction(action)
    is_real_user = actor is not None and getattr(actor, "is_authenticated", False)
    rows = [
        AuditEntry(
            subscriber_id=pk,
            actor=actor if is_real_user else None,
            actor_is_staff=bool(is_real_user and actor.is_staff),
            action=action,
            reason=reason,
            data=data or {},
        )
        for pk in subscriber_ids
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=2000)
    return len(rows)

"""Incidents (6.3): the operator's own downtime records (9.2)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.services import outbox_enqueue
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.models import Subscriber

from ..models import INCIDENT_TICKET_CATEGORIES, Incident, IncidentEvent, components_valid


def _check(incident: Incident, tickets) -> None:
    errors = []
    if not components_valid(incident.components):
        errors.append(_("Choose at least one affected component."))
    if incident.ends_at is not None and incident.ends_at <= incident.starts_at:
        errors.append(_("The end of the incident must be after its start."))
    if incident.starts_at > timezone.now():
        errors.append(_("An incident is recorded on the fact: its start cannot be in the future."))
    if any(t.category not in INCIDENT_TICKET_CATEGORIES for t in tickets):
        errors.append(_("Only tickets of the incident categories (levels 1–3) can be linked."))
    if errors:
        raise ValidationError(errors)


def _notify(incident: Incident, event: IncidentEvent) -> None:
    outbox_enqueue(
        kind="operations.incident_notify", payload={"incident_id": incident.pk, "event": event}
    )


@transaction.atomic
def incident_record(
    *,
    incident: Incident,
    subscribers: Iterable[Subscriber] = (),
    tickets: Iterable = (),
    actor=None,
) -> Incident:
    """Record an incident; the status page's followers are told."""
    tickets = list(tickets)
    _check(incident, tickets)
    incident.created_by = actor if getattr(actor, "is_authenticated", False) else None
    incident.save()
    incident.subscribers.set(() if incident.affects_all else subscribers)
    incident.tickets.set(tickets)
    audit_record(
        action=AuditAction.INCIDENT_RECORD,
        actor=actor,
        target=incident,
        data={"level": incident.level, "fault": incident.fault},
    )
    _notify(incident, IncidentEvent.RESOLVED if incident.ends_at else IncidentEvent.OPENED)
    return incident


@transaction.atomic
def incident_update(
    *,
    incident: Incident,
    subscribers: Iterable[Subscriber] = (),
    tickets: Iterable = (),
    actor=None,
) -> Incident:
    """Save staff's corrections; closing an open incident tells the status page's followers."""
    tickets = list(tickets)
    _check(incident, tickets)
    before = Incident.objects.select_for_update().get(pk=incident.pk)
    incident.save(
        update_fields=[
            "title",
            "description",
            "components",
            "affects_all",
            "starts_at",
            "ends_at",
            "level",
            "cause",
            "fault",
        ]
    )
    incident.subscribers.set(() if incident.affects_all else subscribers)
    incident.tickets.set(tickets)
    audit_record(
        action=AuditAction.INCIDENT_UPDATE,
        actor=actor,
        target=incident,
        data={
            "level": incident.level,
            "fault": incident.fault,
            "fault_before": before.fault,
            "ends_at": incident.ends_at.isoformat() if incident.ends_at else None,
        },
    )
    if before.ends_at is None and incident.ends_at is not None:
        _notify(incident, IncidentEvent.RESOLVED)
    return incident

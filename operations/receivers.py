"""operations' answers to the signals of the apps below it (connected in OperationsConfig.ready)."""

from django.urls import reverse

from .selectors import incidents_affecting


def incidents_beside_ticket(sender, *, subscriber, user, **kwargs) -> dict:
    """The ticket page's customer context (support/signals.py): the incidents touching the
    subscriber, each linked to its admin page for those who may open it. One query."""
    may_open = user.has_perm("operations.view_incident")
    return {
        "incidents": [
            (
                incident,
                reverse("admin:operations_incident_change", args=[incident.pk])
                if may_open
                else None,
            )
            for incident in incidents_affecting(subscriber_id=subscriber.pk)
        ]
    }

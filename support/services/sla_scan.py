"""The SLA timers (6.1, 6.3, 6.4): the warning at 75% of the reaction time and the breach at the
deadline, each marked once on the ticket and notified once. Set-based: a fixed number of queries
whatever the number of open tickets."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onebuh.emails import send_templated_email
from outbox.email import emails_batched
from outbox.services import outbox_enqueue_many

from ..models import Ticket, TicketStatus

SLA_NOTIFY_KIND = "support.sla_notify"
WARNING = "warning"
BREACH = "breach"


def _claim(queryset, *, mark: str, order: str, now, batch_size: int) -> list[int]:
    """Take due tickets and stamp them. FOR UPDATE SKIP LOCKED plus the `mark IS NULL` condition
    make two concurrent scans split the rows instead of both notifying."""
    ids = list(
        queryset.order_by(order)
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:batch_size]
    )
    if ids:
        Ticket.objects.filter(pk__in=ids, **{f"{mark}__isnull": True}).update(**{mark: now})
    return ids


@transaction.atomic
def sla_scan(*, now=None, batch_size: int = 2000) -> dict[str, int]:
    """One pass; what does not fit the batch is taken by the next minute's pass."""
    now = now or timezone.now()
    waiting = Ticket.objects.filter(status=TicketStatus.NEW, reacted_at__isnull=True)
    warned = _claim(
        waiting.filter(warned_at__isnull=True, warning_at__lte=now, reaction_due_at__gt=now),
        mark="warned_at",
        order="warning_at",
        now=now,
        batch_size=batch_size,
    )
    breached = _claim(
        waiting.filter(breached_at__isnull=True, reaction_due_at__lte=now),
        mark="breached_at",
        order="reaction_due_at",
        now=now,
        batch_size=batch_size,
    )
    # The notifications are owed in the same transaction as the stamps (outbox kind
    # "support.sla_notify"): a stamp never commits without its notification.
    outbox_enqueue_many(
        {"kind": SLA_NOTIFY_KIND, "payload": {"kind": kind, "ticket_ids": ids}}
        for kind, ids in ((WARNING, warned), (BREACH, breached))
        if ids
    )
    return {"warned": len(warned), "breached": len(breached)}


def _queue_address(ticket: Ticket) -> str:
    if ticket.partner_firm_id and ticket.partner_firm.email:
        return ticket.partner_firm.email
    return settings.ONEBUH_SUPPORT_QUEUE_EMAIL


def sla_notifications_send(*, kind: str, ticket_ids: list[int]) -> int:
    """The warning goes to the ticket's queue and its assignee, the breach to the operator's
    duty manager (escalation). Runs once, in the dispatcher's transaction that marks its outbox
    row sent; the emails it owes are outbox rows too."""
    tickets = Ticket.objects.filter(pk__in=ticket_ids).select_related(
        "subscriber", "assignee", "partner_firm"
    )
    sent = 0
    with emails_batched():
        for ticket in tickets:
            if kind == WARNING:
                recipients = [_queue_address(ticket)]
                if ticket.assignee_id and ticket.assignee.email:
                    recipients.append(ticket.assignee.email)
            else:
                recipients = [settings.ONEBUH_SUPPORT_DUTY_EMAIL]
            send_templated_email(
                template=f"support-sla-{kind}",
                to=recipients,
                context={
                    "ticket": ticket,
                    "admin_url": f"/admin/support/ticket/{ticket.pk}/change/",
                },
            )
            sent += 1
    return sent

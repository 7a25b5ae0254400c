"""Outbound email of the support desk. Every message carries our Message-ID, stored on the
ticket before the commit so replies to it thread back (4.2, email channel)."""

from django.conf import settings
from django.core.mail import make_msgid

from onebuh.emails import send_templated_email

from ..models import MailDirection, Ticket, TicketMailId


def _domain() -> str:
    return settings.SUPPORT_EMAIL.rpartition("@")[2] or "1b.kz"


def support_address() -> str:
    return f"ONEbuh <{settings.SUPPORT_EMAIL}>"


def ticket_email(
    *, ticket: Ticket, template: str, to: str, context: dict | None = None, automatic=False
) -> str:
    """Owe an email about the ticket (outbox, in the caller's transaction); returns its stored
    Message-ID."""
    message_id = make_msgid(domain=_domain())
    references = list(
        TicketMailId.objects.filter(ticket=ticket)
        .order_by("created_at", "id")
        .values_list("message_id", flat=True)
    )
    TicketMailId.objects.create(
        ticket=ticket, message_id=message_id, direction=MailDirection.OUTBOUND
    )
    headers = {"Message-ID": message_id}
    if references:
        headers["In-Reply-To"] = references[-1]
        headers["References"] = " ".join(references[-20:])
    context = {"ticket": ticket, **(context or {})}
    send_templated_email(
        template=template,
        to=[to],
        context=context,
        headers=headers,
        from_email=support_address(),
        reply_to=[settings.SUPPORT_EMAIL],
        # RFC 3834: our automatic answers are marked so other robots do not answer them;
        # a staff member's answer is a person's mail.
        auto_submitted="auto-replied" if automatic else None,
    )
    return message_id

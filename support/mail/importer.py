"""One importer for all inbound email: dedupe, drop robots, thread, open, or point to the panel.

Threading order: our or their Message-IDs in In-Reply-To / References (only thread members know
them), then the subject tag [ONEbuh #N] — which counts only when the sender belongs to that
ticket's subscriber, since anybody can type a tag.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onebuh.emails import send_templated_email
from subscribers.models import Membership, User

from ..attachments import MAX_ATTACHMENTS, attachment_problem
from ..models import Category, Channel, InboundMessage, Ticket, TicketMailId
from ..selectors import subscriber_for_email
from ..services import ticket_open, ticket_reply
from .parse import ParsedMail, parse_mail

Outcome = InboundMessage.Outcome


def _member(*, subscriber_id: int, email: str) -> User | None:
    membership = (
        Membership.objects.select_related("user")
        .filter(subscriber_id=subscriber_id, user__email__iexact=email)
        .first()
    )
    return membership.user if membership else None


def _belongs(ticket: Ticket, email: str) -> bool:
    return bool(email) and (
        _member(subscriber_id=ticket.subscriber_id, email=email) is not None
        or ticket.subscriber.responsible_email.lower() == email
    )


def _files(mail: ParsedMail) -> tuple[list[ContentFile], list[str]]:
    files, refused = [], []
    for name, content, _type in mail.attachments:
        problem = attachment_problem(name=name, size=len(content), head=content[:8192])
        if problem is None and len(files) >= MAX_ATTACHMENTS:
            problem = _("At most %(count)d files can be attached.") % {"count": MAX_ATTACHMENTS}
        if problem:
            refused.append(problem)
        else:
            files.append(ContentFile(content, name=name))
    return files, refused


def _body(mail: ParsedMail, refused: list[str]) -> str:
    text = mail.text or _("(no text)")
    if refused:
        text += "\n\n" + "\n".join(f"[{problem}]" for problem in refused)
    return text


def _thread(mail: ParsedMail) -> Ticket | None:
    if mail.references:
        known = (
            TicketMailId.objects.filter(message_id__in=mail.references)
            .select_related("ticket__subscriber")
            .order_by("-created_at")
            .first()
        )
        if known is not None:
            return known.ticket
    tagged = mail.tagged_ticket_id
    if tagged is not None:
        ticket = Ticket.objects.select_related("subscriber").filter(pk=tagged).first()
        if ticket is not None and _belongs(ticket, mail.sender_email):
            return ticket
    return None


def _route(mail: ParsedMail) -> tuple[str, Ticket | None]:
    if mail.automatic or mail.sender_email == settings.SUPPORT_EMAIL.lower():
        return Outcome.AUTOMATIC, None
    files, refused = _files(mail)
    ticket = _thread(mail)
    if ticket is not None:
        if ticket.status == "refused":
            return Outcome.REJECTED, ticket
        ticket_reply(
            ticket=ticket,
            author=_member(subscriber_id=ticket.subscriber_id, email=mail.sender_email),
            text=_body(mail, refused),
            attachments=files,
            channel=Channel.EMAIL,
            sender_email=mail.sender_email,
            mail_message_id=mail.message_id,
            from_subscriber=True,
        )
        return Outcome.APPENDED, ticket
    subscriber, user = subscriber_for_email(mail.sender_email)
    if subscriber is None:
        if mail.sender_email:
            _point_to_panel(mail)
        return Outcome.UNKNOWN_SENDER, None
    ticket = ticket_open(
        subscriber=subscriber,
        opened_by=user,
        channel=Channel.EMAIL,
        category=Category.TECHNICAL,
        subject=mail.subject or _("(no subject)"),
        text=_body(mail, refused),
        attachments=files,
        mail_message_id=mail.message_id,
        sender_email=mail.sender_email,
        sender_name=mail.sender_name,
    )
    return Outcome.OPENED, ticket


def _point_to_panel(mail: ParsedMail) -> None:
    send_templated_email(
        template="support-unknown-sender",
        to=[mail.sender_email],
        context={"subject": mail.subject},
        headers={"Auto-Submitted": "auto-replied", "In-Reply-To": mail.message_id},
        from_email=f"ONEbuh <{settings.SUPPORT_EMAIL}>",
    )


def mail_import(*, raw: bytes) -> tuple[InboundMessage, bool]:
    """Import one raw MIME message. Returns its log row and whether it was new; the same
    message imported again (a second poll, a webhook retry) creates nothing."""
    mail = parse_mail(raw)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = InboundMessage.objects.create(
                    source=InboundMessage.Source.EMAIL,
                    external_id=mail.message_id[:500],
                    sender=mail.sender_email[:255],
                    subject=mail.subject[:255],
                    outcome=Outcome.REJECTED,
                )
        except IntegrityError:
            existing = InboundMessage.objects.get(
                source=InboundMessage.Source.EMAIL, external_id=mail.message_id[:500]
            )
            return existing, False
        record.outcome, record.ticket = _route(mail)
        record.save(update_fields=["outcome", "ticket"])
    return record, True

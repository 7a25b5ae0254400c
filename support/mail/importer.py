"""One importer for all inbound email: dedupe, drop robots, thread, open, or point to the panel.

Each message is handled in isolation: one that cannot be imported is kept raw (quarantine) with
its error, and the caller goes on. Threading order: our or their Message-IDs in In-Reply-To /
References (only thread members know them), then the subject tag [ONEbuh #N] — which counts only
when the sender belongs to that ticket's subscriber, since anybody can type a tag.

Sender policy (support.mail.auth): mail from a member's (or the responsible person's) address
acts as that member only when authenticated; otherwise it never appends to an existing ticket and
opens a ticket marked "sender not confirmed" for staff to confirm or reject.
"""

import logging
import traceback

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onebuh.emails import send_templated_email
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.models import Membership, User

from ..attachments import MAX_ATTACHMENTS, attachment_problem
from ..models import (
    Category,
    Channel,
    InboundMessage,
    SenderCheck,
    Ticket,
    TicketMailId,
    TicketStatus,
    UnknownSenderReply,
)
from ..selectors import subscriber_for_email
from ..services import ticket_open, ticket_reply
from .clean import clean_line, content_digest
from .parse import ParsedMail, parse_mail

log = logging.getLogger(__name__)
Outcome = InboundMessage.Outcome
ERROR_MAX = 4000


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
            problem = ngettext(
                "At most %(count)d file can be attached.",
                "At most %(count)d files can be attached.",
                MAX_ATTACHMENTS,
            ) % {"count": MAX_ATTACHMENTS}
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


def _open(mail: ParsedMail, subscriber, user, files, refused, *, verified: bool) -> Ticket:
    return ticket_open(
        subscriber=subscriber,
        opened_by=user if verified else None,
        channel=Channel.EMAIL,
        category=Category.TECHNICAL,
        subject=mail.ticket_subject or _("(no subject)"),
        text=_body(mail, refused),
        original_text=mail.full_text,
        attachments=files,
        mail_message_id=mail.message_id,
        sender_email=mail.sender_email,
        sender_name=mail.sender_name,
        sender_check=SenderCheck.VERIFIED if verified else SenderCheck.UNVERIFIED,
    )


def _route(mail: ParsedMail) -> tuple[str, Ticket | None]:
    if mail.automatic or mail.sender_email == settings.SUPPORT_EMAIL.lower():
        # Out-of-office and other robots: recorded, never a ticket, never a reopen.
        return Outcome.AUTOMATIC, None
    files, refused = _files(mail)
    subscriber, user = subscriber_for_email(mail.sender_email)
    if subscriber is not None and not mail.sender.authenticated:
        # A member's address that nobody vouches for: never appends, never acts as the member.
        return Outcome.UNVERIFIED, _open(mail, subscriber, user, files, refused, verified=False)
    ticket = _thread(mail)
    if ticket is not None:
        if ticket.status == TicketStatus.REFUSED or ticket.sender_check == SenderCheck.REJECTED:
            return Outcome.REJECTED, ticket
        ticket_reply(
            ticket=ticket,
            author=_member(subscriber_id=ticket.subscriber_id, email=mail.sender_email),
            text=_body(mail, refused),
            original_text=mail.full_text,
            attachments=files,
            channel=Channel.EMAIL,
            sender_email=mail.sender_email,
            mail_message_id=mail.message_id,
            from_subscriber=True,
        )
        return Outcome.APPENDED, ticket
    if subscriber is None:
        if mail.sender_email and not mail.sender.failed:
            _point_to_panel(mail)
        return Outcome.UNKNOWN_SENDER, None
    return Outcome.OPENED, _open(mail, subscriber, user, files, refused, verified=True)


def _point_to_panel(mail: ParsedMail) -> None:
    """At most once a day per address: spam with forged senders must not turn us into a
    backscatter source, and two robots must not answer each other forever."""
    try:
        with transaction.atomic():
            UnknownSenderReply.objects.create(address=mail.sender_email, day=timezone.localdate())
    except IntegrityError:
        return
    send_templated_email(
        template="support-unknown-sender",
        to=[mail.sender_email],
        context={"subject": mail.ticket_subject},
        headers={"In-Reply-To": mail.message_id},
        auto_submitted="auto-replied",
        from_email=f"ONEbuh <{settings.SUPPORT_EMAIL}>",
    )


def _detail(mail: ParsedMail) -> str:
    if mail.automatic:
        return clean_line(mail.automatic, limit=255)
    verdict = "authenticated" if mail.sender.authenticated else "not authenticated"
    return clean_line(f"{verdict}: {mail.sender.method} {mail.sender.detail}", limit=255)


def _error_text(error: BaseException) -> str:
    lines = traceback.format_exception_only(type(error), error)
    return clean_line(" ".join(lines), limit=ERROR_MAX)


def _process(record: InboundMessage, raw: bytes, mail: ParsedMail | None) -> None:
    """Route inside a savepoint; on any failure keep the raw message and the error instead."""
    try:
        with transaction.atomic():
            if mail is None:
                mail = parse_mail(raw)
            record.outcome, record.ticket = _route(mail)
            record.detail = _detail(mail)
            record.raw, record.error = None, ""
    except Exception as error:
        log.warning("inbound message %s quarantined: %r", record.external_id, error)
        record.outcome, record.ticket = Outcome.QUARANTINED, None
        record.raw, record.error = raw, _error_text(error)
    record.save(update_fields=["outcome", "ticket", "detail", "raw", "error"])


def mail_import(*, raw: bytes) -> tuple[InboundMessage, bool]:
    """Import one raw MIME message. Returns its log row and whether it was new; the same
    message imported again (a second poll, a webhook retry) creates nothing. Never raises for
    what the message contains: a message that cannot be imported is quarantined."""
    try:
        mail = parse_mail(raw)
        message_id = mail.message_id
    except Exception:
        mail, message_id = None, f"<{content_digest(raw)}@unparsable>"
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = InboundMessage.objects.create(
                    source=InboundMessage.Source.EMAIL,
                    external_id=message_id,
                    sender=mail.sender_email if mail else "",
                    subject=mail.subject if mail else "",
                    outcome=Outcome.REJECTED,
                )
        except IntegrityError:
            existing = InboundMessage.objects.get(
                source=InboundMessage.Source.EMAIL, external_id=message_id
            )
            return existing, False
        _process(record, raw, mail)
    return record, True


@transaction.atomic
def inbound_retry(*, record: InboundMessage, actor) -> InboundMessage:
    """Staff: import a quarantined message again (after a fix); it stays quarantined with the
    new error if it still fails."""
    record = InboundMessage.objects.select_for_update().get(pk=record.pk)
    if record.outcome != Outcome.QUARANTINED or record.raw is None:
        return record
    _process(record, bytes(record.raw), None)
    audit_record(
        action=AuditAction.INBOUND_RETRY,
        subscriber=record.ticket.subscriber if record.ticket else None,
        actor=actor,
        target=record,
        data={"outcome": record.outcome},
    )
    return record


@transaction.atomic
def inbound_discard(*, record: InboundMessage, actor) -> bool:
    """Staff: drop a quarantined message for good (its raw bytes are deleted)."""
    claimed = InboundMessage.objects.filter(pk=record.pk, outcome=Outcome.QUARANTINED).update(
        outcome=Outcome.DISCARDED, raw=None
    )
    if claimed:
        audit_record(
            action=AuditAction.INBOUND_DISCARD,
            subscriber=None,
            actor=actor,
            target=record,
            data={"external_id": record.external_id},
        )
    return bool(claimed)

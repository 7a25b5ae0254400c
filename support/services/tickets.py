"""Opening tickets and the conversation (4.2, 6.4)."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from infobases.selectors import infobases_member_email_for_login
from onebuh.errors import Conflict
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.locks import lock_subscribers
from subscribers.models import Subscriber

from .. import sla
from ..attachments import validate_attachments
from ..mail.clean import safe_filename
from ..models import (
    PARTNER_CATEGORIES,
    Category,
    Channel,
    MailDirection,
    MessageAuthor,
    PartnerAssignment,
    SenderCheck,
    Ticket,
    TicketAttachment,
    TicketMailId,
    TicketMessage,
    TicketStatus,
    kind_of_category,
)
from ..selectors import quota_usage
from .notify import ticket_email

# What a channel may record about the sender and the 1C application, besides the message.
CHANNEL_DETAILS = {
    "onec_user",
    "onec_release",
    "sender_name",
    "sender_email",
    "sender_phone",
    "connect_dialog_id",
}
# Channels that may open a ticket for someone who has no portal account (4.2): the sender's
# details are recorded instead; the 1C form speaks for the infobase its token was issued for.
ANONYMOUS_CHANNELS = (Channel.EMAIL, Channel.CONNECT, Channel.PHONE)


def _sender_known(channel: str, infobase, details: dict) -> bool:
    if channel == Channel.ONEC_FORM:
        return infobase is not None
    if channel in ANONYMOUS_CHANNELS:
        return any(details.get(key) for key in ("sender_email", "sender_phone", "sender_name"))
    return False


class QuotaExhausted(Conflict):
    """The month's quota is used (4.4): a refusal of the state, not of the input (API: 409)."""


def quota_check(*, subscriber: Subscriber, category: str, exclude: Ticket | None = None) -> None:
    """4.4, 6.4: methodological and individual requests count against the month's quota."""
    if category not in PARTNER_CATEGORIES:
        return
    usage = quota_usage(subscriber=subscriber)[category]
    used = usage.used - (1 if exclude is not None and exclude.category == category else 0)
    if used >= usage.limit:
        raise QuotaExhausted(
            _(
                "The monthly quota of «%(category)s» requests of your tariff is used up "
                "(%(used)d of %(limit)d). Extend the tariff to get more support (4.4)."
            )
            % {"category": usage.label, "used": usage.used, "limit": usage.limit}
        )


def partner_for(*, subscriber: Subscriber, category: str):
    """4.1: methodological and individual requests go to the subscriber's partner firm."""
    if category not in PARTNER_CATEGORIES:
        return None
    assignment = PartnerAssignment.objects.filter(subscriber=subscriber).first()
    return assignment.partner_firm if assignment else None


def _store_attachments(message: TicketMessage, files: Sequence) -> None:
    for upload in files:
        # A name with "/" or "C:\\…" must not become folders in storage, "..\\x" not a way out.
        name = safe_filename(upload.name)
        attachment = TicketAttachment(
            message=message,
            name=name[:255],
            size=upload.size,
            content_type=(getattr(upload, "content_type", "") or "")[:100],
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()


def message_add(
    *,
    ticket: Ticket,
    author,
    side: str,
    channel: str,
    body: str,
    attachments: Sequence = (),
    internal: bool = False,
    automatic: bool = False,
    sender_email: str = "",
    mail_message_id: str = "",
    original_text: str = "",
) -> TicketMessage:
    message = TicketMessage.objects.create(
        ticket=ticket,
        author=author if getattr(author, "is_authenticated", False) else None,
        author_side=side,
        channel=channel,
        body=body,
        is_internal=internal,
        is_automatic=automatic,
        sender_email=sender_email,
        original_text=original_text if original_text.strip() != body.strip() else "",
    )
    _store_attachments(message, attachments)
    if mail_message_id:
        TicketMailId.objects.create(
            ticket=ticket, message_id=mail_message_id, direction=MailDirection.INBOUND
        )
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=message.created_at)
    return message


def _clean_text(value: str, *, field: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    return value[:max_length] if max_length else value


@transaction.atomic
def ticket_open(
    *,
    subscriber: Subscriber,
    opened_by,
    channel: str,
    category: str,
    subject: str,
    text: str,
    infobase=None,
    attachments: Sequence = (),
    actor=None,
    mail_message_id: str = "",
    original_text: str = "",
    sender_check: str = SenderCheck.VERIFIED,
    connect_client=None,
    **channel_details,
) -> Ticket:
    """Open a ticket from any of the five channels; computes the promised reaction time.

    `opened_by` may be None for email, 1C-Connect and phone, with the sender's details given.
    `actor` is who registered it when that is not the sender (staff taking a call).
    `sender_check=SenderCheck.UNVERIFIED`: the channel could not prove who sent it (issue 11);
    such a ticket gets no acknowledgement (the address may be forged) until staff confirm it.
    """
    unknown = set(channel_details) - CHANNEL_DETAILS
    if unknown:
        raise TypeError(f"Unknown channel details: {sorted(unknown)}")
    if channel not in Channel.values:
        raise ValidationError(_("Requests sent by other means are not considered (4.2)."))
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category of the request.")})
    if opened_by is None and not _sender_known(channel, infobase, channel_details):
        raise ValidationError(_("The sender of the request is unknown."))
    if infobase is not None and infobase.subscriber_id != subscriber.pk:
        raise ValidationError({"infobase": _("This infobase belongs to another subscriber.")})
    subject = _clean_text(subject, field="subject", max_length=255)
    text = _clean_text(text, field="text")
    validate_attachments(attachments)
    if category in PARTNER_CATEGORIES:
        # Two requests opened at once must not both take the last unit of the quota.
        lock_subscribers([subscriber.pk])
        quota_check(subscriber=subscriber, category=category)
    if channel == Channel.ONEC_FORM and not channel_details.get("sender_email"):
        # Replies and the acknowledgement go to the requester (contact_email).
        channel_details["sender_email"] = onec_form_requester(
            subscriber=subscriber, infobase=infobase, onec_user=channel_details.get("onec_user", "")
        )
    opened_at = timezone.now()
    ticket = Ticket.objects.create(
        subscriber=subscriber,
        opened_by=opened_by,
        channel=channel,
        category=category,
        kind=kind_of_category(category),
        partner_firm=partner_for(subscriber=subscriber, category=category),
        subject=subject,
        infobase=infobase,
        opened_at=opened_at,
        updated_at=opened_at,
        reaction_due_at=sla.reaction_due_at(category, opened_at),
        warning_at=sla.warning_at(category, opened_at),
        sender_check=sender_check,
        connect_client=connect_client,
        **{key: (value or "") for key, value in channel_details.items()},
    )
    message_add(
        ticket=ticket,
        author=opened_by,
        side=MessageAuthor.SUBSCRIBER,
        channel=channel,
        body=text,
        attachments=attachments,
        sender_email=channel_details.get("sender_email") or "",
        mail_message_id=mail_message_id,
        original_text=original_text,
    )
    audit_record(
        action=AuditAction.TICKET_OPEN,
        subscriber=subscriber,
        actor=actor or opened_by,
        target=ticket,
        data={"channel": channel, "category": category, "sender_check": sender_check},
    )
    acknowledgement_send(ticket=ticket)
    return ticket


# Issue 14: every ticket opened by the subscriber's side is acknowledged with its number and
# deadline; staff registering a call (phone) or a 1C-Connect chat answer in their own channel.
ACKNOWLEDGED_CHANNELS = (Channel.WEB, Channel.ONEC_FORM, Channel.EMAIL)


def acknowledgement_send(*, ticket: Ticket) -> None:
    """Owe the acknowledgement (number, category, reaction deadline in Almaty time) to the
    person who asked, in the opening transaction. Not to an unverified sender: the address may
    be forged (issue 11), staff confirm it first. A fixed number of queries (3 + the email's)."""
    if ticket.channel not in ACKNOWLEDGED_CHANNELS:
        return
    if ticket.sender_check == SenderCheck.UNVERIFIED or not ticket.contact_email:
        return
    # The acknowledgement carries the tag and our Message-ID, so replies thread.
    ticket_email(
        ticket=ticket,
        template="support-opened",
        to=ticket.contact_email,
        automatic=True,
        context={"reaction_time": sla.reaction_time_text(ticket.category)},
    )


def onec_form_requester(*, subscriber: Subscriber, infobase, onec_user: str) -> str:
    """Who is answered for a ticket from the 1C form: the member whose 1C login the form names
    (logins are members' emails), else the subscriber's responsible person (2.2) — the token
    speaks for the subscriber's infobase, not for a person."""

    email = ""
    if infobase is not None:
        email = infobases_member_email_for_login(infobase_id=infobase.pk, login=onec_user)
    return email or subscriber.responsible_email or ""


def _reopen_on_subscriber_message(ticket: Ticket) -> None:
    if ticket.status in (TicketStatus.WAITING, TicketStatus.CLOSED):
        Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.IN_PROGRESS, closed_at=None)
        ticket.status, ticket.closed_at = TicketStatus.IN_PROGRESS, None


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    author,
    text: str,
    attachments: Sequence = (),
    channel: str = Channel.WEB,
    sender_email: str = "",
    mail_message_id: str = "",
    from_subscriber: bool = False,
    original_text: str = "",
) -> TicketMessage:
    """A public message. From staff it is the reaction (if the first) and goes out by email;
    from the subscriber it brings a waiting or closed ticket back into work."""
    text = _clean_text(text, field="text")
    validate_attachments(attachments)
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("opened_by").get(pk=ticket.pk)
    )
    if ticket.status == TicketStatus.REFUSED:
        raise Conflict(_("Support on this ticket was refused; open a new ticket."))
    # Inbound channels (email, 1C-Connect) always speak for the subscriber: a From header
    # naming a staff address must not count as the support desk's reaction.
    is_staff = not from_subscriber and bool(getattr(author, "is_staff", False))
    message = message_add(
        ticket=ticket,
        author=author,
        side=MessageAuthor.STAFF if is_staff else MessageAuthor.SUBSCRIBER,
        channel=channel,
        body=text,
        attachments=attachments,
        sender_email=sender_email,
        mail_message_id=mail_message_id,
        original_text=original_text,
    )
    if is_staff:
        if ticket.status == TicketStatus.NEW:
            Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.WAITING)
        staff_answer_sent(ticket=ticket, message=message)
    else:
        _reopen_on_subscriber_message(ticket)
    audit_record(
        action=AuditAction.TICKET_REPLY,
        subscriber=ticket.subscriber,
        actor=author,
        target=ticket,
        data={"message": message.pk, "channel": channel},
    )
    return message


@transaction.atomic
def ticket_note(*, ticket: Ticket, author, text: str, attachments: Sequence = ()) -> TicketMessage:
    """An internal note of staff: never shown to the subscriber, does not stop the SLA clock."""
    text = _clean_text(text, field="text")
    validate_attachments(attachments)
    message = message_add(
        ticket=ticket,
        author=author,
        side=MessageAuthor.STAFF,
        channel=Channel.WEB,
        body=text,
        attachments=attachments,
        internal=True,
    )
    audit_record(
        action=AuditAction.TICKET_NOTE,
        subscriber=ticket.subscriber,
        actor=author,
        target=ticket,
        data={"message": message.pk},
    )
    return message


def staff_answer_sent(*, ticket: Ticket, message: TicketMessage) -> None:
    """A public staff answer: the reaction if it is the first, and an email with our
    Message-ID to the person who asked."""
    reaction_record(ticket=ticket, at=message.created_at)
    if ticket.contact_email:
        ticket_email(
            ticket=ticket,
            template="support-reply",
            to=ticket.contact_email,
            context={"message": message},
        )


def reaction_record(*, ticket: Ticket, at) -> bool:
    """The first reaction wins: a conditional UPDATE, so two staff answering at once (or an
    answer racing the acceptance) record one reaction time."""
    claimed = Ticket.objects.filter(pk=ticket.pk, reacted_at__isnull=True).update(reacted_at=at)
    if claimed:
        ticket.reacted_at = at
    return bool(claimed)

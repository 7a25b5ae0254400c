"""The 1C-Connect support line (4.2): its signed webhook opens tickets and appends messages.

Payload (JSON): {"message_id", "dialog_id", "text", "subject"?, "client": {"id", "name",
"email", "phone", "tax_number"}}. `client.id` is the person's id in 1C-Connect. A message id is
taken once. Identity (issue 11): a client acts as a member only once bound (a one-time code from
the panel sent in the chat, or staff confirmation); an unbound client's message opens a ticket
marked "sender not confirmed" for the subscriber it names. A dialog's ticket stays with the
client that opened it: another client's message in that dialog never appends to it.
Bad input is refused with a Russian message, never cut: ids over their limits, non-text values.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from subscribers.models import Subscriber

from .mail.clean import clean_line, clean_text
from .models import (
    OPEN_STATUSES,
    Category,
    Channel,
    ConnectClient,
    InboundMessage,
    SenderCheck,
    Ticket,
)
from .selectors import subscriber_for_email
from .services import ticket_open, ticket_reply
from .services.connect_binding import code_in_text, connect_client_bind_by_code

Outcome = InboundMessage.Outcome
TEXT_MAX = 100_000


def _value(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValidationError(_("The field %(field)s must be text.") % {"field": key})
    return str(value)


def _id(data: dict, key: str, limit: int, *, label: str) -> str:
    """An identifier: refused when too long (a cut id could collide with another)."""
    value = clean_line(_value(data, key), limit=10 * limit)
    if len(value) > limit:
        raise ValidationError(
            ngettext(
                "%(field)s is longer than %(limit)d character.",
                "%(field)s is longer than %(limit)d characters.",
                limit,
            )
            % {"field": label, "limit": limit}
        )
    return value


def _declared_subscriber(email: str, tax_number: str):
    subscriber, _user = subscriber_for_email(email.lower())
    if subscriber is None and tax_number:
        subscriber = Subscriber.objects.filter(bin=tax_number).first() or (
            Subscriber.objects.filter(iin=tax_number).first()
        )
    return subscriber


def _client(data: dict) -> ConnectClient:
    external_id = _id(data, "id", 100, label="client.id")
    if not external_id:
        raise ValidationError(_("client.id is required."))
    declared = {
        "name": clean_line(_value(data, "name"), limit=255),
        "email": clean_line(_value(data, "email"), limit=254).replace(" ", ""),
        "phone": clean_line(_value(data, "phone"), limit=32),
        "tax_number": clean_line(_value(data, "tax_number"), limit=12),
    }
    client, created = ConnectClient.objects.get_or_create(
        external_id=external_id, defaults=declared
    )
    changed = [k for k, v in declared.items() if v and getattr(client, k) != v]
    if not created and changed:
        for key in changed:
            setattr(client, key, declared[key])
        client.save(update_fields=changed)
    return client


@transaction.atomic
def connect_message_receive(*, payload) -> tuple[InboundMessage, bool]:
    """Returns the log row and whether the message is new. Raises ValidationError (nothing
    stored) when the payload is malformed or names no subscriber of the service."""
    if not isinstance(payload, dict):
        raise ValidationError(_("The message must be a JSON object."))
    message_id = _id(payload, "message_id", 500, label="message_id")
    dialog_id = _id(payload, "dialog_id", 100, label="dialog_id")
    text = clean_text(_value(payload, "text"))
    if len(text) > TEXT_MAX:
        raise ValidationError(_("The text is too long."))
    if not (message_id and dialog_id and text):
        raise ValidationError(_("message_id, dialog_id and text are required."))
    if not isinstance(payload.get("client"), dict):
        raise ValidationError(_("client.id is required."))
    client = _client(payload["client"])
    subject = clean_line(_value(payload, "subject"), limit=255)
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                source=InboundMessage.Source.CONNECT,
                external_id=message_id,
                sender=client.email or client.phone or client.external_id,
                subject=subject,
                outcome=Outcome.REJECTED,
            )
    except IntegrityError:
        existing = InboundMessage.objects.get(
            source=InboundMessage.Source.CONNECT, external_id=message_id
        )
        return existing, False
    record.outcome, record.ticket, record.detail = _route(
        client=client, dialog_id=dialog_id, text=text, subject=subject
    )
    record.save(update_fields=["outcome", "ticket", "detail"])
    return record, True


def _route(*, client: ConnectClient, dialog_id: str, text: str, subject: str):
    code = code_in_text(text)
    if code is not None:
        if connect_client_bind_by_code(client=client, code=code):
            return Outcome.BOUND, None, f"bound to member {client.member_id}"
        return Outcome.REJECTED, None, "binding code not valid"
    ticket = (
        Ticket.objects.filter(
            connect_dialog_id=dialog_id, connect_client=client, status__in=OPEN_STATUSES
        )
        .order_by("-opened_at")
        .first()
    )
    if ticket is not None:
        bound_here = client.is_bound and client.subscriber_id == ticket.subscriber_id
        ticket_reply(
            ticket=ticket,
            author=client.member if bound_here else None,
            text=text,
            channel=Channel.CONNECT,
            sender_email=_email_or_blank(client.email),
            from_subscriber=True,
        )
        return Outcome.APPENDED, ticket, ""
    if client.is_bound:
        subscriber, opened_by, check = client.subscriber, client.member, SenderCheck.VERIFIED
    else:
        subscriber = _declared_subscriber(client.email, client.tax_number)
        opened_by, check = None, SenderCheck.UNVERIFIED
        if subscriber is None:
            raise ValidationError(
                _(
                    "The 1C-Connect client is not a subscriber of the service: give its email or БИН/ИИН."
                )
            )
    ticket = ticket_open(
        subscriber=subscriber,
        opened_by=opened_by,
        channel=Channel.CONNECT,
        category=Category.TECHNICAL,
        subject=subject or clean_line(text.splitlines()[0], limit=100),
        text=text,
        connect_dialog_id=dialog_id,
        connect_client=client,
        sender_check=check,
        sender_name=client.name,
        sender_email=_email_or_blank(client.email),
        sender_phone=client.phone,
    )
    outcome = Outcome.OPENED if check == SenderCheck.VERIFIED else Outcome.UNVERIFIED
    return outcome, ticket, "" if client.is_bound else "client not bound"


def _email_or_blank(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value

"""The 1C-Connect support line (4.2): its signed webhook opens tickets and appends messages.

Payload (JSON): {"message_id", "dialog_id", "text", "subject"?, "client": {"name", "email",
"phone", "tax_number"}}. A dialog maps to one open ticket; a message id is taken once.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from subscribers.models import Subscriber

from .models import OPEN_STATUSES, Category, Channel, InboundMessage, Ticket
from .selectors import subscriber_for_email
from .services import ticket_open, ticket_reply

Outcome = InboundMessage.Outcome


def _text(payload: dict, key: str, limit: int) -> str:
    value = payload.get(key)
    return str(value).strip()[:limit] if value is not None else ""


def _client_subscriber(client: dict):
    subscriber, user = subscriber_for_email(_text(client, "email", 254).lower())
    if subscriber is not None:
        return subscriber, user
    tax_number = _text(client, "tax_number", 12)
    if tax_number:
        subscriber = Subscriber.objects.filter(bin=tax_number).first() or (
            Subscriber.objects.filter(iin=tax_number).first()
        )
    return subscriber, None


@transaction.atomic
def connect_message_receive(*, payload: dict) -> tuple[InboundMessage, bool]:
    """Returns the log row and whether the message is new. Raises ValidationError (nothing
    stored) when the payload is incomplete or the client is not a known subscriber."""
    if not isinstance(payload, dict):
        raise ValidationError(_("The message must be a JSON object."))
    message_id = _text(payload, "message_id", 500)
    dialog_id = _text(payload, "dialog_id", 100)
    text = _text(payload, "text", 100_000)
    if not (message_id and dialog_id and text):
        raise ValidationError(_("message_id, dialog_id and text are required."))
    client = payload.get("client") if isinstance(payload.get("client"), dict) else {}
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                source=InboundMessage.Source.CONNECT,
                external_id=message_id,
                sender=_text(client, "email", 255) or _text(client, "phone", 255),
                subject=_text(payload, "subject", 255),
                outcome=Outcome.REJECTED,
            )
    except IntegrityError:
        existing = InboundMessage.objects.get(
            source=InboundMessage.Source.CONNECT, external_id=message_id
        )
        return existing, False
    ticket = (
        Ticket.objects.filter(connect_dialog_id=dialog_id, status__in=OPEN_STATUSES)
        .order_by("-opened_at")
        .first()
    )
    if ticket is not None:
        ticket_reply(
            ticket=ticket,
            author=None,
            text=text,
            channel=Channel.CONNECT,
            sender_email=_text(client, "email", 254),
            from_subscriber=True,
        )
        record.outcome = Outcome.APPENDED
    else:
        subscriber, user = _client_subscriber(client)
        if subscriber is None:
            raise ValidationError(
                _(
                    "The 1C-Connect client is not a subscriber of the service: give its email or БИН/ИИН."
                )
            )
        ticket = ticket_open(
            subscriber=subscriber,
            opened_by=user,
            channel=Channel.CONNECT,
            category=Category.TECHNICAL,
            subject=_text(payload, "subject", 255) or text.splitlines()[0][:100],
            text=text,
            connect_dialog_id=dialog_id,
            sender_name=_text(client, "name", 255),
            sender_email=_text(client, "email", 254),
            sender_phone=_text(client, "phone", 32),
        )
        record.outcome = Outcome.OPENED
    record.ticket = ticket
    record.save(update_fields=["outcome", "ticket"])
    return record, True

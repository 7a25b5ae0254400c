"""The email kind of the outbox: rendered at enqueue time (in the caller's transaction, with
its context), sent by the dispatcher with the Message-ID fixed at enqueue time."""

import base64
import contextlib
import contextvars

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from .dispatcher import deliver_now
from .registry import outbox_handler
from .services import outbox_enqueue_many

EMAIL = "email"


def email_payload(message: EmailMultiAlternatives) -> dict:
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in message.alternatives],
        "attachments": [
            [
                name,
                base64.b64encode(
                    content.encode() if isinstance(content, str) else content
                ).decode(),
                mimetype,
            ]
            for name, content, mimetype in message.attachments
        ],
    }


def email_from_payload(payload: dict, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload.get("cc") or None,
        bcc=payload.get("bcc") or None,
        reply_to=payload.get("reply_to") or None,
        headers=payload.get("headers") or {},
        connection=connection,
    )
    for content, mimetype in payload.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in payload.get("attachments", []):
        message.attach(name, base64.b64decode(content), mimetype)
    return message


def _connection(chunk: dict):
    """One SMTP connection per chunk, closed when the chunk ends."""
    if "email_connection" not in chunk:
        connection = get_connection()
        chunk["email_connection"] = connection
        chunk.setdefault("closers", []).append(connection.close)
    return chunk["email_connection"]


def _envelope(payload: dict) -> dict:
    # A sent email's body may hold a secret (a new 1C password): only its envelope stays.
    return {key: payload.get(key) for key in ("subject", "from_email", "to", "cc", "headers")}


@outbox_handler(EMAIL, max_attempts=10, keep_once_sent=_envelope)
def email_send(payload: dict, *, chunk: dict, message=None) -> None:
    """Safe to repeat: a second copy carries the same Message-ID."""
    sent = email_from_payload(payload, connection=_connection(chunk)).send()
    if not sent and payload["to"]:
        raise OSError("The mail server accepted none of the recipients")


def outbox_email(*, message: EmailMultiAlternatives, dedupe_key: str | None = None) -> None:
    """Owe one rendered email (onebuh.emails.send_templated_email calls this)."""
    item = {
        "kind": EMAIL,
        "payload": email_payload(message),
        "dedupe_key": dedupe_key,
        "message_id": message.extra_headers.get("Message-ID", ""),
    }
    batch = _batch.get()
    if batch is not None:
        batch.append(item)
    else:
        _write([item])


_batch: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "outbox_email_batch", default=None
)


@contextlib.contextmanager
def emails_batched():
    """Inside the block, send_templated_email collects its rows and they are written with one
    INSERT per 2,000 at the end (fan-outs to thousands of recipients stay set-based)."""
    if _batch.get() is not None:  # already collecting: the outer block writes them
        yield
        return
    items: list = []
    reset = _batch.set(items)
    try:
        yield
    finally:
        _batch.reset(reset)
    _write(items)


def _write(items: list) -> list:
    rows = outbox_enqueue_many(items)
    if getattr(settings, "ONEBUH_OUTBOX_EAGER_EMAIL", False):
        # Tests only (like CELERY_TASK_ALWAYS_EAGER): deliver in the caller's process at once.

        for row in sorted(rows, key=lambda row: row.pk):
            deliver_now(row)
    return rows

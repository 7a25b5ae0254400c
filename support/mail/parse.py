"""Reading an inbound email: sender, threading headers, text, attachments, robot markers."""

import hashlib
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.utils import parseaddr

from django.utils.html import strip_tags

TAG = re.compile(r"\[ONEbuh\s*#(\d+)\]", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
ROBOT_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|bounces?)[@+]", re.IGNORECASE)
BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Post", "X-Mailing-List")


@dataclass
class ParsedMail:
    message_id: str
    sender_email: str
    sender_name: str
    subject: str
    text: str
    references: list[str] = field(default_factory=list)
    automatic: bool = False
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)

    @property
    def tagged_ticket_id(self) -> int | None:
        match = TAG.search(self.subject)
        return int(match.group(1)) if match else None


def _is_automatic(message, sender: str) -> bool:
    """RFC 3834 auto-replies, mailing lists, bounces and delivery reports are not requests."""
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    if str(message.get("Precedence", "")).strip().lower() in BULK_PRECEDENCE:
        return True
    if any(message.get(name) for name in LIST_HEADERS):
        return True
    if str(message.get("Return-Path", "")).strip() == "<>":
        return True
    if message.get_content_type() == "multipart/report":
        return True
    return bool(ROBOT_SENDERS.match(sender))


def _text(message) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, UnicodeDecodeError):
        content = body.get_payload(decode=True).decode("utf-8", errors="replace")
    if body.get_content_type() == "text/html":
        content = strip_tags(content)
    return content.strip()


def parse_mail(raw: bytes) -> ParsedMail:
    message = message_from_bytes(raw, policy=policy.default)
    name, sender = parseaddr(str(message.get("From", "")))
    ids = MESSAGE_ID.findall(str(message.get("Message-ID", "")))
    # Without a Message-ID the content itself identifies the message, so a re-import is caught.
    message_id = ids[0] if ids else f"<{hashlib.sha256(raw).hexdigest()}@no-message-id>"
    references = MESSAGE_ID.findall(str(message.get("In-Reply-To", ""))) + MESSAGE_ID.findall(
        str(message.get("References", ""))
    )
    attachments = []
    for part in message.iter_attachments():
        filename = part.get_filename()
        if not filename:
            continue
        payload = part.get_payload(decode=True) or b""
        attachments.append((filename, payload, part.get_content_type()))
    sender = sender.strip().lower()
    return ParsedMail(
        message_id=message_id,
        sender_email=sender,
        sender_name=name.strip(),
        subject=" ".join(str(message.get("Subject", "")).split()),
        text=_text(message),
        references=references,
        automatic=_is_automatic(message, sender),
        attachments=attachments,
    )

"""Raw inbound emails for the importer tests."""

from email.message import EmailMessage
from email.utils import make_msgid


def raw_email(
    *,
    sender="client@example.kz",
    subject="Не работает база",
    text="Здравствуйте! База не открывается.",
    message_id=None,
    in_reply_to=None,
    references=None,
    headers=None,
    attachments=(),
    authenticated=True,
) -> bytes:
    """`authenticated`: the operator's receiving server (authserv-id mx.1b.kz, as the support
    tests configure) vouches for the sender with DMARC pass, as for genuine mail."""
    message = EmailMessage()
    if authenticated:
        domain = sender.rpartition("@")[2]
        message["Authentication-Results"] = (
            f"mx.1b.kz; spf=pass smtp.mailfrom={domain}; dmarc=pass header.from={domain}"
        )
    message["From"] = f"Клиент <{sender}>"
    message["To"] = "support@1b.kz"
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.kz")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    for filename, content, maintype, subtype in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()

"""One way to send an email: a subject/text/html triple under templates/emails/."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_email(
    *,
    template: str,
    to: Sequence[str],
    context: dict | None = None,
    headers: dict | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    from_email: str | None = None,
    reply_to: Sequence[str] | None = None,
    auto_submitted: str | None = "auto-generated",
) -> EmailMultiAlternatives:
    """Render emails/<template>-subject.txt, -body.txt and -body.html and send them.

    Every message asks autoresponders not to answer (`X-Auto-Response-Suppress: All`, read by
    Exchange/Outlook) and is marked RFC 3834 `Auto-Submitted` (`auto-generated` by default,
    `auto-replied` for answers to inbound mail, None for text a person wrote), so out-of-office
    robots and our own inbox do not loop. Returns the sent message so callers can store its
    Message-ID.
    """
    context = {
        "site_url": settings.SITE_URL,
        "operator": settings.ONEBUH_OPERATOR,
        **(context or {}),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}-subject.txt", context)
        text = render_to_string(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers={
            "X-Auto-Response-Suppress": "All",
            **({"Auto-Submitted": auto_submitted} if auto_submitted else {}),
            **(headers or {}),
        },
        reply_to=list(reply_to) if reply_to else None,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
    return message

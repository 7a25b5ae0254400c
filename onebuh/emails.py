"""One way to send an email: a subject/text/html triple under templates/emails/.

The email is rendered now and written to the outbox in the caller's transaction; the
dispatcher sends it after the commit (never inside a request). So an email is owed exactly when
the change that owes it commits, survives a crash of any process, and a retry after a crash at
the worst moment carries the same Message-ID.
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from outbox.email import outbox_email


def message_id_domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">")
    return address.rpartition("@")[2] or "1b.kz"


def _render_text(name: str, context: dict) -> str:
    """A plain-text part: not HTML-escaped, or a subject «Ошибка "1С" & сеть» would arrive as
    «Ошибка &quot;1С&quot; &amp; сеть»."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_templated_email(
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
    """Render emails/<template>-subject.txt, -body.txt and -body.html into a message with a
    Message-ID (the caller's, if its headers carry one).

    Every message asks autoresponders not to answer (`X-Auto-Response-Suppress: All`, read by
    Exchange/Outlook) and is marked RFC 3834 `Auto-Submitted` (`auto-generated` by default,
    `auto-replied` for answers to inbound mail, None for text a person wrote), so out-of-office
    robots and our own inbox do not loop.
    """
    context = {
        "site_url": settings.SITE_URL,
        "operator": settings.ONEBUH_OPERATOR,
        **(context or {}),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _render_text(f"emails/{template}-subject.txt", context)
        text = _render_text(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    headers = {
        "X-Auto-Response-Suppress": "All",
        **({"Auto-Submitted": auto_submitted} if auto_submitted else {}),
        **(headers or {}),
    }
    headers.setdefault("Message-ID", make_msgid(domain=message_id_domain()))
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers=headers,
        reply_to=list(reply_to) if reply_to else None,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def send_templated_email(*, dedupe_key: str | None = None, **kwargs) -> EmailMultiAlternatives:
    """Render the email and owe it in the outbox (same arguments as `render_templated_email`).

    Returns the message (not yet sent) so callers can store its Message-ID. `dedupe_key`
    makes the same email owed twice (a pass run twice) one row.
    """
    message = render_templated_email(**kwargs)
    outbox_email(message=message, dedupe_key=dedupe_key)
    return message

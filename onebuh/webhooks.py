"""The one signature scheme of the inbound webhooks (payments, 1C-Connect, the mail provider).

The caller sends two headers:
- `X-Onebuh-Timestamp`: the sending time, Unix seconds;
- `X-Signature`: hex HMAC-SHA256 of `f"{timestamp}.{body}"` with the shared secret (an optional
  "sha256=" prefix is accepted).
The signature is compared in constant time (hmac.compare_digest); a timestamp further than
ONEBUH_WEBHOOK_TOLERANCE_SECONDS from now is refused, so a captured call cannot be replayed
later; within the window a repeat is harmless because each webhook takes its event id once
(payment id, 1C-Connect message id, Message-ID).
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.utils.translation import gettext as _

from onebuh.metrics import count_today

SIGNATURE_HEADER = "X-Signature"
TIMESTAMP_HEADER = "X-Onebuh-Timestamp"
DEFAULT_MAX_BODY = 2 * 2**20


class WebhookRefused(Exception):
    """Why a webhook call is refused, in Russian, with the HTTP status to answer."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message, self.status = message, status


def sign(*, body: bytes, secret: str, timestamp: int | str) -> str:
    """The X-Signature value for this body and time (senders, tests)."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signed_headers(*, body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Both headers as a sender sets them, for the Django test client (HTTP_… keys)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "HTTP_X_ONEBUH_TIMESTAMP": str(timestamp),
        "HTTP_X_SIGNATURE": sign(body=body, secret=secret, timestamp=timestamp),
    }


def verify_signature(request, secret: str, *, max_body: int = DEFAULT_MAX_BODY) -> bytes:
    """Read the raw body (at most `max_body` bytes) and check its signature and time.

    Returns the body; raises WebhookRefused. The body is read from the stream here, not through
    request.body, so a webhook may take more than DATA_UPLOAD_MAX_MEMORY_SIZE (raw mail).
    Each refusal counts on /metrics (onebuh_webhook_refusals_today).
    """
    try:
        return _verify_signature(request, secret, max_body=max_body)
    except WebhookRefused:
        count_today("webhook_refused")
        raise


def _verify_signature(request, secret: str, *, max_body: int) -> bytes:
    if not secret:
        raise WebhookRefused(_("The webhook is not configured."), status=503)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # a hostile header is a malformed request, not a 500
        declared = 0
    if declared > max_body:
        raise WebhookRefused(_("The message is empty or too large."), status=413)
    body = request.read(max_body + 1)
    if len(body) > max_body:
        raise WebhookRefused(_("The message is empty or too large."), status=413)
    stamp = request.headers.get(TIMESTAMP_HEADER, "").strip()
    received = request.headers.get(SIGNATURE_HEADER, "").strip().lower().removeprefix("sha256=")
    expected = sign(body=body, secret=secret, timestamp=stamp)
    # Checked before the time, so an unsigned caller learns nothing about the clock.
    if not stamp.isdigit() or not hmac.compare_digest(expected, received):
        raise WebhookRefused(_("The signature is wrong."))
    if abs(time.time() - int(stamp)) > settings.ONEBUH_WEBHOOK_TOLERANCE_SECONDS:
        raise WebhookRefused(
            _("The message is too old or from the future: check the sender's clock.")
        )
    return body

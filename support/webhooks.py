"""Signed machine callers: the 1C-Connect line and the mail provider (namespace support_webhooks).

Signed as every webhook is (onebuh/webhooks.py: X-Onebuh-Timestamp, X-Signature). A bad
signature or a stale time → 403 and nothing stored; a malformed request → 400 with a Russian
message. The mail webhook answers 2xx once the message is stored, imported or quarantined
(whatever its content): the provider must not retry it forever.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from onebuh.webhooks import WebhookRefused, verify_signature

from .connect import connect_message_receive
from .mail.importer import mail_import

MAX_BODY = 30 * 1024 * 1024


def _error(message, status: int) -> JsonResponse:
    return JsonResponse({"detail": str(message)}, status=status)


def _refused(refused: WebhookRefused) -> JsonResponse:
    # Unconfigured answers 403 like a wrong signature: callers learn nothing about the set-up.
    return _error(refused.message, 403 if refused.status == 503 else refused.status)


@csrf_exempt
@require_POST
def connect_webhook(request):
    try:
        body = verify_signature(request, settings.ONEBUH_CONNECT_WEBHOOK_SECRET)
    except WebhookRefused as refused:
        return _refused(refused)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _error(_("The message must be a JSON object."), 400)
    try:
        record, created = connect_message_receive(payload=payload)
    except ValidationError as error:
        return _error(" ".join(error.messages), 400)
    return JsonResponse(
        {"ticket": record.ticket_id, "outcome": record.outcome, "duplicate": not created},
        status=201 if created else 200,
    )


@csrf_exempt
@require_POST
def email_webhook(request):
    """The mail provider posts each message to support@ as raw MIME (message/rfc822)."""
    try:
        raw = verify_signature(request, settings.ONEBUH_MAIL_WEBHOOK_SECRET, max_body=MAX_BODY)
    except WebhookRefused as refused:
        return _refused(refused)
    if not raw:
        return _error(_("The message is empty or too large."), 400)
    record, created = mail_import(raw=raw)
    return JsonResponse(
        {"ticket": record.ticket_id, "outcome": record.outcome, "duplicate": not created},
        status=201 if created else 200,
    )

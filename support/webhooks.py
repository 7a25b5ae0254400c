"""Signed machine callers: the 1C-Connect line and the mail provider (namespace support_webhooks).

Bad signature → 403 and nothing stored; bad input → 400 with a Russian message.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .connect import connect_message_receive
from .mail.importer import mail_import
from .signing import signature_valid

MAX_BODY = 30 * 1024 * 1024


def _error(message, status: int) -> JsonResponse:
    return JsonResponse({"detail": str(message)}, status=status)


def _signed(request, secret: str) -> bool:
    return signature_valid(
        body=request.body, header=request.headers.get("X-Signature", ""), secret=secret
    )


@csrf_exempt
@require_POST
def connect_webhook(request):
    if not _signed(request, settings.ONEBUH_CONNECT_WEBHOOK_SECRET):
        return _error(_("The signature is wrong."), 403)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
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
    if not _signed(request, settings.ONEBUH_MAIL_WEBHOOK_SECRET):
        return _error(_("The signature is wrong."), 403)
    if not request.body or len(request.body) > MAX_BODY:
        return _error(_("The message is empty or too large."), 400)
    record, created = mail_import(raw=request.body)
    return JsonResponse(
        {"ticket": record.ticket_id, "outcome": record.outcome, "duplicate": not created},
        status=201 if created else 200,
    )

"""The acquirer's notifications: POST /webhooks/payments/<provider>/<check|pay|fail>/."""

import json
import logging
from urllib.parse import parse_qsl

from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .providers import provider_for
from .providers.cloudpayments import signature_valid
from .services.online import NOT_ACCEPTED, cloudpayments_notice_handle

logger = logging.getLogger(__name__)
KINDS = {"check", "pay", "fail"}
MAX_BODY = 64 * 1024


def parse_notification(body: bytes, content_type: str) -> dict:
    """Form-encoded (CloudPayments' default) or JSON; anything else is an empty dict."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    if content_type.startswith("application/json"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return {}
        return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}
    try:
        return dict(parse_qsl(text, keep_blank_values=True, max_num_fields=200))
    except ValueError:
        return {}


def dispatch(*, provider, kind: str, body: bytes, signature: str, content_type: str) -> tuple:
    """Verify and handle; returns (HTTP status, answer). The sandbox page calls it directly."""
    if not provider.secret():
        return 503, {"code": NOT_ACCEPTED}
    if not signature_valid(body=body, secret=provider.secret(), received=signature):
        return 403, {"code": NOT_ACCEPTED}
    fields = parse_notification(body, content_type)
    code = cloudpayments_notice_handle(kind=kind, fields=fields, provider_code=provider.code)
    if code:
        logger.warning("%s %s refused with code %s", provider.code, kind, code)
    return 200, {"code": code}


@csrf_exempt
@require_POST
def notification(request, provider_code: str, kind: str):
    provider = provider_for(provider_code)
    if provider is None or kind not in KINDS:
        raise Http404
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    body = request.read(MAX_BODY + 1) if declared <= MAX_BODY else b""
    if not body or len(body) > MAX_BODY:
        return JsonResponse({"code": NOT_ACCEPTED}, status=413)
    status, answer = dispatch(
        provider=provider,
        kind=kind,
        body=body,
        signature=request.headers.get("Content-HMAC", "").strip(),
        content_type=request.content_type or "",
    )
    return JsonResponse(answer, status=status)

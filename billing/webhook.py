"""The payment provider's callback: POST JSON signed as every webhook is (onebuh/webhooks.py).

Body: {"payment_id": "...", "account": <personal account No.>, "amount": "1000.00",
"currency": "KZT", "paid_at": "2026-11-24T10:00:00+05:00" (optional)}.
Headers X-Onebuh-Timestamp and X-Signature (HMAC-SHA256 of "{timestamp}.{body}" with
ONEBUH_PAYMENT_WEBHOOK_SECRET). A payment id is credited once, so a repeat changes nothing.
"""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from onebuh.webhooks import WebhookRefused, verify_signature
from subscribers.models import Subscriber

from .models import PaymentMethod
from .services import payment_record


@dataclass(frozen=True)
class PaymentNotice:
    payment_id: str
    account: int
    amount: Decimal
    paid_at: object


def parse_payment_notice(body: bytes) -> PaymentNotice:
    """Validate the provider's body; anything off is a clear Russian message, nothing changes."""
    try:
        data = json.loads(body, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(_("The body is not valid JSON.")) from error
    if not isinstance(data, dict):
        raise ValidationError(_("The body must be a JSON object."))
    payment_id = data.get("payment_id")
    if not isinstance(payment_id, str | int) or not str(payment_id).strip():
        raise ValidationError(_("payment_id is missing."))
    account = data.get("account")
    if isinstance(account, bool) or not str(account or "").strip().isdigit():
        raise ValidationError(_("account must be the personal account number."))
    try:
        amount = Decimal(str(data.get("amount")))
    except InvalidOperation as error:
        raise ValidationError(_("amount must be a number.")) from error
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("amount must be positive, with at most two decimal places."))
    if data.get("currency", "KZT") != "KZT":
        raise ValidationError(_("Only payments in tenge (KZT) are accepted."))
    paid_at = None
    if data.get("paid_at") is not None:
        paid_at = parse_datetime(str(data["paid_at"])) if isinstance(data["paid_at"], str) else None
        if paid_at is None or paid_at.tzinfo is None:
            raise ValidationError(_("paid_at must be a date and time with a time zone."))
    return PaymentNotice(str(payment_id).strip()[:100], int(account), amount, paid_at)


@csrf_exempt
@require_POST
def payment_webhook(request):
    secret = settings.ONEBUH_PAYMENT_WEBHOOK_SECRET
    if not secret:
        return JsonResponse({"error": _("Payments are not configured.")}, status=503)
    try:
        body = verify_signature(request, secret)
    except WebhookRefused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    try:
        notice = parse_payment_notice(body)
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    subscriber = Subscriber.objects.filter(pk=notice.account).first()
    if subscriber is None:
        return JsonResponse({"error": _("There is no such personal account.")}, status=400)
    payment, created = payment_record(
        subscriber=subscriber,
        amount=notice.amount,
        method=PaymentMethod.PROVIDER,
        external_id=notice.payment_id,
        received_at=notice.paid_at,
        payload=json.loads(body, parse_float=str),
    )
    return JsonResponse({"status": "credited" if created else "duplicate", "payment": payment.pk})

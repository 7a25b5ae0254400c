"""The payment provider's callback: POST JSON signed as every webhook is (onebuh/webhooks.py).

Body: {"payment_id": "...", "account": <personal account No.>, "amount": "1000.00",
"currency": "KZT", "paid_at": "2026-11-24T10:00:00+05:00" (optional)}.
Headers X-Onebuh-Timestamp and X-Signature (HMAC-SHA256 of "{timestamp}.{body}" with
ONEBUH_PAYMENT_WEBHOOK_SECRET). A payment id is credited once, so a repeat changes nothing.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from onebuh.webhooks import WebhookRefused, verify_signature
from subscribers.models import Subscriber

from .models import PaymentMethod
from .services import payment_record
from .services.payments import clean_external_id
from .statements.common import MAX_AMOUNT


@dataclass(frozen=True)
class PaymentNotice:
    payment_id: str
    account: int
    amount: Decimal
    paid_at: object


def _text_field(data: dict, name: str) -> str:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    text = str(value)
    # Control characters are refused, not stripped: an id is compared byte for byte.
    if not text.isprintable():
        raise ValidationError(_("%(field)s contains control characters.") % {"field": name})
    return text.strip()


def parse_payment_notice(body: bytes) -> PaymentNotice:
    """Validate the provider's body; anything off is a clear Russian message, nothing changes."""
    try:
        data = json.loads(body, parse_float=Decimal, parse_int=_bounded_int)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise ValidationError(_("The body is not valid JSON.")) from error
    if not isinstance(data, dict):
        raise ValidationError(_("The body must be a JSON object."))
    payment_id = _text_field(data, "payment_id")
    if not payment_id:
        raise ValidationError(_("payment_id is missing."))
    payment_id = clean_external_id(payment_id)
    account = _text_field(data, "account")
    if not account.isdigit() or len(account) > 12:
        raise ValidationError(_("account must be the personal account number."))
    raw_amount = data.get("amount")
    if isinstance(raw_amount, bool) or not isinstance(raw_amount, str | int | Decimal):
        raise ValidationError(_("amount must be a number."))
    try:
        amount = Decimal(str(raw_amount).strip()[:40])
    except InvalidOperation as error:
        raise ValidationError(_("amount must be a number.")) from error
    if amount.is_finite() and amount > MAX_AMOUNT:
        raise ValidationError(_("The amount is larger than the personal account can hold."))
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("amount must be positive, with at most two decimal places."))
    if data.get("currency", "KZT") != "KZT":
        raise ValidationError(_("Only payments in tenge (KZT) are accepted."))
    paid_at = None
    if data.get("paid_at") is not None:
        raw = data["paid_at"]
        try:
            paid_at = parse_datetime(raw) if isinstance(raw, str) and len(raw) < 40 else None
        except ValueError:
            paid_at = None
        if paid_at is None or paid_at.tzinfo is None:
            raise ValidationError(_("paid_at must be a date and time with a time zone."))
        tolerance = datetime.timedelta(seconds=settings.ONEBUH_WEBHOOK_TOLERANCE_SECONDS)
        if paid_at > timezone.now() + tolerance:
            raise ValidationError(_("paid_at is in the future."))
        if paid_at.year < 2000:
            raise ValidationError(_("paid_at is too far in the past."))
    return PaymentNotice(payment_id, int(account), amount, paid_at)


def _bounded_int(text: str) -> int:
    if len(text) > 40:
        raise ValueError("number too long")
    return int(text)


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
    subscriber = None
    if notice.account <= 2**31 - 1:
        subscriber = Subscriber.objects.filter(pk=notice.account).first()
    if subscriber is None:
        return JsonResponse({"error": _("There is no such personal account.")}, status=400)
    # Only the validated fields are kept: free fields may hold what PostgreSQL refuses (\u0000).
    payload = {
        "payment_id": notice.payment_id,
        "account": notice.account,
        "amount": str(notice.amount),
        "currency": "KZT",
        "paid_at": notice.paid_at.isoformat() if notice.paid_at else None,
    }
    try:
        payment, created = payment_record(
            subscriber=subscriber,
            amount=notice.amount,
            method=PaymentMethod.PROVIDER,
            provider="generic",
            external_id=notice.payment_id,
            received_at=notice.paid_at,
            payload=payload,
        )
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    return JsonResponse({"status": "credited" if created else "duplicate", "payment": payment.pk})

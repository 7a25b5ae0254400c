"""CloudPayments (Kazakhstan and Russia). Protocol, as the provider documents it:

- Start: `POST {api_url}/orders/create` with HTTP Basic (Public ID, API secret) and JSON
  {Amount, Currency, Description, InvoiceId, AccountId, Email}; the answer
  {"Success": true, "Model": {"Id", "Url", …}} gives the payment page we redirect the payer to.
- Notifications Check, Pay and Fail: POST application/x-www-form-urlencoded (or JSON) with
  TransactionId, Amount, Currency, DateTime (UTC), InvoiceId, AccountId, Status, Reason…; the
  header Content-HMAC is base64(HMAC-SHA256(API secret, raw body)). We answer {"code": 0} to
  accept; Check may answer 10 (unknown InvoiceId), 11 (wrong AccountId), 12 (wrong amount or
  currency), 13 (cannot be accepted now).
"""

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _

from .base import Provider, ProviderError

TIMEOUT_SECONDS = 15


def content_hmac(*, body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signature_valid(*, body: bytes, secret: str, received: str) -> bool:
    return bool(secret) and hmac.compare_digest(content_hmac(body=body, secret=secret), received)


class CloudPaymentsProvider(Provider):
    code = "cloudpayments"
    label = "CloudPayments"

    def secret(self) -> str:
        return settings.ONEBUH_CLOUDPAYMENTS["api_secret"]

    def start(self, *, order) -> str:
        config = settings.ONEBUH_CLOUDPAYMENTS
        if not (config["public_id"] and config["api_secret"]):
            raise ProviderError(_("Online payment is not configured."))
        body = json.dumps(
            {
                "Amount": float(order.amount),
                "Currency": order.currency,
                "Description": _("Payment for the ONEbuh service, order No. %(number)s")
                % {"number": order.pk},
                "InvoiceId": str(order.pk),
                "AccountId": str(order.subscriber_id),
                "Email": order.subscriber.responsible_email,
            }
        ).encode()
        credentials = base64.b64encode(
            f"{config['public_id']}:{config['api_secret']}".encode()
        ).decode()
        request = urllib.request.Request(  # noqa: S310 (the configured https API address)
            f"{config['api_url'].rstrip('/')}/orders/create",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Basic {credentials}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.loads(response.read())
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as error:
            raise ProviderError(_("The payment service does not answer; try later.")) from error
        model = answer.get("Model") or {}
        url = model.get("Url") if isinstance(model, dict) else None
        if not answer.get("Success") or not isinstance(url, str) or not url.startswith("https://"):
            raise ProviderError(_("The payment service refused the order; try later."))
        order.provider_reference = str(model.get("Id", ""))[:100]
        order.pay_url = url[:500]
        order.save(update_fields=["provider_reference", "pay_url"])
        return url

"""A local stand-in for the acquirer (`ONEBUH_PAYMENT_PROVIDER=sandbox`, the `make run` default):
its page, clearly marked «Песочница», sends the payer's choice as CloudPayments Pay or Fail
notifications, signed, through the same handler as the real ones. No money moves."""

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse

from .cloudpayments import CloudPaymentsProvider


class SandboxProvider(CloudPaymentsProvider):
    code = "sandbox"
    label = "Песочница"

    def secret(self) -> str:
        return hmac.new(
            settings.SECRET_KEY.encode(), b"onebuh-payment-sandbox", hashlib.sha256
        ).hexdigest()

    def start(self, *, order) -> str:
        return reverse("billing:pay_sandbox", args=[order.pk])

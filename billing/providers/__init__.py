"""Online payment providers. Each is one module with a `Provider` subclass: `start(order)` returns
the URL of the provider's payment page (redirect-based: no provider script runs in our pages);
its notifications arrive at its own webhook. "generic" is the signed JSON webhook of
billing/webhook.py; "cloudpayments" the acquirer; "sandbox" a local page that speaks
CloudPayments' protocol for `make run` and tests."""

from django.conf import settings

from .base import Provider, ProviderError
from .cloudpayments import CloudPaymentsProvider
from .sandbox import SandboxProvider

PROVIDERS: dict[str, type[Provider]] = {
    CloudPaymentsProvider.code: CloudPaymentsProvider,
    SandboxProvider.code: SandboxProvider,
}


def provider_for(code: str) -> Provider | None:
    cls = PROVIDERS.get(code)
    return cls() if cls is not None else None


def active_provider() -> Provider | None:
    """The provider of the "Оплатить" buttons, or None: then the page shows the bank details."""
    return provider_for(settings.ONEBUH_PAYMENT_PROVIDER)


__all__ = ["PROVIDERS", "Provider", "ProviderError", "active_provider", "provider_for"]

"""The panel's "Оплатить": an order with the active provider, then a redirect to its page."""

import datetime
import time
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from subscribers.access import billing_required

from .access import invoice_for_member, payment_order_for_member
from .models import OrderStatus
from .providers import ProviderError, active_provider, provider_for
from .providers.cloudpayments import content_hmac
from .services.online import payment_order_create
from .webhook_cloudpayments import dispatch


def _start(request, invoice=None):
    provider = active_provider()
    if provider is None:
        messages.error(request, _("Online payment is not available; pay by the bank details."))
        return redirect("billing:index")
    try:
        order = payment_order_create(
            subscriber=request.membership.subscriber,
            provider_code=provider.code,
            invoice=invoice,
            actor=request.user,
        )
        return redirect(provider.start(order=order))
    except (ValidationError, ProviderError) as error:
        messages.error(request, getattr(error, "messages", [str(error)])[0])
        return redirect("billing:index")


@require_POST
@billing_required
def invoice_pay(request, pk):
    return _start(request, invoice_for_member(membership=request.membership, pk=pk))


@require_POST
@billing_required
def pay(request):
    return _start(request)


@billing_required
def pay_sandbox(request, pk):
    """The sandbox's payment page: pay or decline, sent as signed CloudPayments notifications."""
    order = payment_order_for_member(membership=request.membership, pk=pk)
    provider = provider_for("sandbox")
    if order.provider != provider.code:
        raise Http404
    if request.method == "POST" and order.status == OrderStatus.CREATED:
        kind = "pay" if request.POST.get("action") == "pay" else "fail"
        fields = {
            "TransactionId": str(int(time.time() * 1000)),
            "Amount": f"{order.amount:.2f}",
            "Currency": order.currency,
            "PaymentAmount": f"{order.amount:.2f}",
            "PaymentCurrency": order.currency,
            "InvoiceId": str(order.pk),
            "AccountId": str(order.subscriber_id),
            "DateTime": timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "CardFirstSix": "424242",
            "CardLastFour": "4242",
            "CardType": "Visa",
            "TestMode": "1",
            "Status": "Completed" if kind == "pay" else "Declined",
        }
        if kind == "fail":
            fields["Reason"] = "InsufficientFunds"
        body = urlencode(fields).encode()
        _status, answer = dispatch(
            provider=provider,
            kind=kind,
            body=body,
            signature=content_hmac(body=body, secret=provider.secret()),
            content_type="application/x-www-form-urlencoded",
        )
        if kind == "pay" and answer["code"] == 0:
            messages.success(request, _("The payment is received. Thank you!"))
        else:
            messages.error(request, _("The payment did not go through."))
        return redirect("billing:index")
    return render(request, "billing/pay_sandbox.html", {"order": order})

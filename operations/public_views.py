"""The public status page and following it by email. Anyone may read it; no sign-in needed."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onebuh.limits import limit_hit
from subscribers.audit import client_ip

from .forms import StatusSubscribeForm
from .models import StatusSubscription
from .services import status_confirm, status_subscribe, status_unsubscribe
from .status import status_overview


def index(request):
    return render(
        request,
        "operations/status_page.html",
        {**status_overview(), "subscribe_form": StatusSubscribeForm()},
    )


@require_POST
def subscribe(request):
    form = StatusSubscribeForm(request.POST)
    if form.is_valid():
        # Issue 18: 40 subscriptions of third parties' addresses in 2.3 s (each a mail).
        limit_hit("status_subscribe_ip", client_ip(request))
        limit_hit("status_subscribe_email", form.cleaned_data["email"].strip().lower())
        status_subscribe(email=form.cleaned_data["email"])
        # The same answer whether or not the address was known: nothing about it is disclosed.
        messages.success(
            request, _("Check your mailbox: we sent a link to confirm the subscription.")
        )
    else:
        messages.error(request, _("Enter a valid email address."))
    return redirect("operations_public:index")


def confirm(request, token):
    if status_confirm(token=token) is None:
        raise Http404
    messages.success(request, _("You will get the status page's notifications by email."))
    return redirect("operations_public:index")


def unsubscribe(request, token):
    subscription = StatusSubscription.objects.filter(token=token).first()
    if subscription is None:
        raise Http404
    if request.method == "POST":
        status_unsubscribe(token=token)
        messages.success(request, _("You will no longer get the status page's notifications."))
        return redirect("operations_public:index")
    return render(request, "operations/status_unsubscribe.html", {"subscription": subscription})

"""The panel's billing pages: the personal account, tariffs, PDFs, the termination request."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from subscribers.access import billing_required
from subscribers.audit import audit_record, client_ip
from subscribers.audit_actions import AuditAction
from subscribers.models import MemberRole

from .access import invoice_for_member, statement_for_member
from .documents import act_pdf, invoice_pdf, pdf_response, statement_pdf
from .forms import TariffChoiceForm
from .history import HISTORY_SECTIONS
from .models import Tariff
from .selectors import billing_overview, subscription_for
from .services import (
    first_invoice_preview,
    subscription_change_tariff,
    subscription_order,
    termination_request,
)
from .services.promised import promised_payment_offer, promised_payment_take


@billing_required
def index(request):
    subscriber = request.membership.subscriber
    # ?all=<section> shows one history whole, page by page (?page=N); the rest stay short.
    expand = request.GET.get("all")
    context = billing_overview(
        subscriber=subscriber,
        expand=expand if expand in HISTORY_SECTIONS else None,
        page=request.GET.get("page"),
    )
    context.update(
        subscriber=subscriber,
        operator=settings.ONEBUH_OPERATOR,
        promise_offer=promised_payment_offer(subscriber=subscriber),
        # The promised payment still running (3.5), read with the histories.
        promise=next(iter(context["sections"]["promise"]["rows"]), None),
    )
    return render(request, "billing/index.html", context)


@require_POST
@billing_required
def promised_payment(request):
    """The subscriber restores its access itself for the tariff's days (owners, admins and
    accountants: whoever may see billing may promise to pay)."""
    try:
        promise = promised_payment_take(
            subscriber=request.membership.subscriber, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Access is restored until %(date)s. Please pay the debt before then.")
            % {"date": f"{timezone.localtime(promise.ends_at):%d.%m.%Y %H:%M}"},
        )
    return redirect("billing:index")


@billing_required
def tariffs(request):
    """Order the service or change the tariff; ordering shows the first invoice to confirm."""
    membership = request.membership
    subscriber = membership.subscriber
    subscription = subscription_for(subscriber=subscriber)
    form = TariffChoiceForm(
        request.POST or None, initial={"tariff": subscription.tariff if subscription else None}
    )
    preview = None
    if request.method == "POST":
        if not membership.can_manage:
            raise PermissionDenied
        if form.is_valid():
            tariff = form.cleaned_data["tariff"]
            try:
                if subscription is None and "confirm" not in request.POST:
                    preview = first_invoice_preview(tariff=tariff, today=timezone.localdate())
                elif subscription is None:
                    invoice = subscription_order(
                        subscriber=subscriber, tariff=tariff, actor=request.user
                    )
                    messages.success(
                        request, _("The service is ordered. The first invoice is issued.")
                    )
                    return redirect("billing:index") if invoice else redirect("billing:tariffs")
                else:
                    _sub, invoice = subscription_change_tariff(
                        subscriber=subscriber, tariff=tariff, actor=request.user
                    )
                    messages.success(request, _tariff_change_message(_sub, invoice))
                    return redirect("billing:index")
            except ValidationError as error:
                form.add_error(None, error)
    return render(
        request,
        "billing/tariffs.html",
        {
            "form": form,
            "subscription": subscription,
            "tariffs": Tariff.objects.filter(is_public=True),
            "preview": preview,
        },
    )


def _tariff_change_message(subscription, invoice) -> str:
    if subscription.pending_tariff_id:
        return _("The tariff «%(tariff)s» takes effect on %(date)s.") % {
            "tariff": subscription.pending_tariff.name,
            "date": f"{subscription.pending_from:%d.%m.%Y}",
        }
    if invoice is not None:
        return _("The tariff is changed. An invoice for the rest of the month is issued.")
    return _("The tariff is changed.")


@billing_required
def invoice_download(request, pk):
    invoice = invoice_for_member(membership=request.membership, pk=pk)
    audit_record(
        action=AuditAction.INVOICE_DOWNLOAD,
        subscriber=invoice.subscriber,
        actor=request.user,
        target=invoice,
        ip=client_ip(request),
    )
    return pdf_response(invoice_pdf(invoice=invoice), f"invoice-{invoice.display_number}.pdf")


@billing_required
def act_download(request, pk):
    """АВР for a paid monthly period (an unpaid or non-monthly invoice has none: 404)."""
    invoice = invoice_for_member(membership=request.membership, pk=pk)
    if invoice.status != "paid" or invoice.kind != "monthly":
        raise Http404
    return pdf_response(act_pdf(invoice=invoice), f"act-{invoice.display_number}.pdf")


@billing_required
def statement_download(request, pk):
    statement = statement_for_member(membership=request.membership, pk=pk)
    return pdf_response(statement_pdf(statement=statement), f"reconciliation-{statement.pk}.pdf")


@require_POST
@billing_required
def terminate(request):
    """9.4: only the owner may ask to end the service."""
    if request.membership.role != MemberRole.OWNER:
        raise PermissionDenied
    try:
        termination_request(subscriber=request.membership.subscriber, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Your request is accepted. The operator will make a reconciliation statement."),
        )
    return redirect("billing:index")

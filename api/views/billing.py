"""Billing (3, 9.3): invoices and their PDFs, the personal account's ledger and balances."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from billing.access import invoice_for_member, invoices_visible_to, ledger_entries_visible_to
from billing.documents import invoice_pdf, pdf_response
from billing.models import InvoiceKind, InvoiceStatus, LedgerKind
from billing.selectors import balances_for, debt_for, purge_date_for, subscription_for
from onebuh.dates import month_start

from ..permissions import CanSeeBilling
from .base import ApiView, FileApiView, TextField, nested

MONEY = {"max_digits": 14, "decimal_places": 2}
TariffRef = nested(
    "TariffRef",
    code=TextField(),
    name=TextField(),
    monthly_fee=serializers.DecimalField(**MONEY),
)


class InvoiceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = TextField(source="display_number")
    kind = serializers.ChoiceField(choices=InvoiceKind.choices)
    tariff = TariffRef()
    month = serializers.DateField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    total = serializers.DecimalField(**MONEY)
    bonus_applied = serializers.DecimalField(**MONEY)
    amount_due = serializers.DecimalField(**MONEY)
    paid_amount = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    status = serializers.ChoiceField(choices=InvoiceStatus.choices)
    issued_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    paid_at = serializers.DateTimeField(allow_null=True)


class InvoiceListApi(ApiView):
    permission_classes = [CanSeeBilling]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=InvoiceStatus.choices, required=False)
        month = serializers.DateField(required=False, help_text=_("Any day of the month charged."))

    @extend_schema(
        parameters=[FilterSerializer],
        responses=InvoiceOutput(many=True),
        summary=_("Invoices"),
        description=_(
            "The subscriber's invoices, newest first, with what is paid and what is left; "
            "filter by state or month. Owners, administrators and accountants."
        ),
    )
    def get(self, request):
        filters = self.filters(self.FilterSerializer)
        invoices = invoices_visible_to(membership=self.membership).select_related("tariff")
        if "status" in filters:
            invoices = invoices.filter(status=filters["status"])
        if "month" in filters:
            invoices = invoices.filter(month=month_start(filters["month"]))
        return self.paginated(invoices.order_by("-number"), InvoiceOutput)


class InvoiceDetailApi(ApiView):
    permission_classes = [CanSeeBilling]

    @extend_schema(
        responses=InvoiceOutput,
        summary=_("An invoice"),
        description=_("One invoice: period, tariff, amounts, state and due date."),
    )
    def get(self, request, pk):
        return Response(InvoiceOutput(invoice_for_member(membership=self.membership, pk=pk)).data)


class InvoicePdfApi(FileApiView):
    permission_classes = [CanSeeBilling]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("The PDF file.")
            )
        },
        summary=_("An invoice as PDF"),
        description=_(
            "The invoice for payment with the operator's requisites, as a PDF file "
            "(application/pdf)."
        ),
    )
    def get(self, request, pk):
        invoice = invoice_for_member(membership=self.membership, pk=pk)
        return pdf_response(invoice_pdf(invoice=invoice), f"invoice-{invoice.display_number}.pdf")


class LedgerEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=LedgerKind.choices)
    money = serializers.DecimalField(**MONEY, help_text=_("Movement of the money balance, KZT."))
    bonus = serializers.DecimalField(**MONEY, help_text=_("Movement of the bonus balance, KZT."))
    description = TextField()
    reason = TextField()
    invoice = serializers.IntegerField(source="invoice_id", allow_null=True)
    at = serializers.DateTimeField()


class LedgerApi(ApiView):
    permission_classes = [CanSeeBilling]

    class FilterSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=LedgerKind.choices, required=False)
        date_from = serializers.DateField(required=False)
        date_to = serializers.DateField(required=False, help_text=_("Inclusive."))

    @extend_schema(
        parameters=[FilterSerializer],
        responses=LedgerEntryOutput(many=True),
        summary=_("Movements of the personal account"),
        description=_(
            "The personal account's ledger, newest first: payments, charges, bonuses and "
            "compensation, each with its movement of the money and the bonus balance; filter "
            "by kind and dates."
        ),
    )
    def get(self, request):
        filters = self.filters(self.FilterSerializer)
        entries = ledger_entries_visible_to(membership=self.membership)
        if "kind" in filters:
            entries = entries.filter(kind=filters["kind"])
        if "date_from" in filters:
            entries = entries.filter(at__date__gte=filters["date_from"])
        if "date_to" in filters:
            entries = entries.filter(at__date__lte=filters["date_to"])
        return self.paginated(entries.order_by("-at", "-id"), LedgerEntryOutput)


class BalancesApi(ApiView):
    permission_classes = [CanSeeBilling]

    class OutputSerializer(serializers.Serializer):
        money = serializers.DecimalField(**MONEY)
        bonus = serializers.DecimalField(**MONEY)
        debt = serializers.DecimalField(**MONEY, help_text=_("What open invoices still ask."))
        tariff = TariffRef(allow_null=True)
        pending_tariff = TariffRef(allow_null=True, help_text=_("From the next month."))
        subscriber_status = TextField()
        purge_date = serializers.DateField(
            allow_null=True, help_text=_("When the data will be deleted if suspended (3.6).")
        )

    @extend_schema(
        responses=OutputSerializer,
        summary=_("Balances, debt and the tariff"),
        description=_(
            "The money and bonus balances, the debt of open invoices, the current tariff and "
            "the one from next month, the subscriber's state and, when suspended, the date "
            "its data will be deleted (3.6)."
        ),
    )
    def get(self, request):
        subscriber = self.membership.subscriber
        money, bonus = balances_for(subscriber=subscriber)
        subscription = subscription_for(subscriber=subscriber)
        data = {
            "money": money,
            "bonus": bonus,
            "debt": debt_for(subscriber=subscriber),
            "tariff": subscription.tariff if subscription else None,
            "pending_tariff": subscription.pending_tariff if subscription else None,
            "subscriber_status": subscriber.status,
            "purge_date": purge_date_for(subscriber=subscriber),
        }
        return Response(self.OutputSerializer(data).data)

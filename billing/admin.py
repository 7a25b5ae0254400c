"""Staff's billing: tariffs, the read-only ledger with corrections, manual payments, invoices with
PDFs, debtors, suspended subscribers and the personal-account operations (admin_account.py)."""

import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DecimalField, F, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from onebuh.admin_mixins import QuickChangeListMixin, ReadOnlyAdminMixin, admin_view_permissions
from onebuh.admin_scope import CappedCountPaginator
from onebuh.listing import amount, choice_labels, local_datetime
from subscribers.admin_audit import AuditedAdminMixin
from subscribers.audit import audit_record, client_ip
from subscribers.audit_actions import AuditAction
from subscribers.models import Subscriber, SubscriberStatus, SuspensionReason

from .admin_account import BillingAccountAdmin  # noqa: F401  (registers the account admin)
from .admin_statements import BankStatementAdmin  # noqa: F401  (statements and their queue)
from .documents import act_pdf, invoice_pdf, pdf_response
from .forms import CorrectionForm
from .models import (
    BillingNotice,
    Debtor,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentMethod,
    PurgeRecord,
    Subscription,
    SuspendedSubscriber,
    Tariff,
)
from .money import kzt
from .periods import PURGE_AFTER_DAYS
from .services import ledger_add_correction, payment_record
from .services.payments import clean_external_id, payer_key_for


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "monthly_fee",
        "max_users",
        "max_infobases",
        "backup_retention_days",
        "methodological_quota",
        "individual_quota",
        "is_public",
    )
    list_editable = ("is_public",)
    prepopulated_fields = {"code": ("name",)}

    def has_delete_permission(self, request, obj=None):
        return False  # Invoices point at tariffs; hide one from subscribers instead.

    def save_model(self, request, obj, form, change):
        """A change of a tariff's price or limits is audited with the old and new values."""
        super().save_model(request, obj, form, change)
        changed = {
            name: {"from": str(form.initial.get(name)), "to": str(form.cleaned_data[name])}
            for name in form.changed_data
            if change and name in form.cleaned_data
        }
        if changed:
            audit_record(
                action=AuditAction.TARIFF_PRICE_CHANGE,
                actor=request.user,
                target=obj,
                data=changed,
                ip=client_ip(request),
            )


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("subscriber", "tariff", "pending_tariff", "pending_from", "started_at")
    list_filter = ("tariff",)
    search_fields = ("subscriber__name", "subscriber__person_full_name")
    list_select_related = ("subscriber", "tariff", "pending_tariff")


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "number_display",
        "subscriber",
        "kind",
        "period_start",
        "total",
        "bonus_applied",
        "paid_amount",
        "status",
        "due_date",
        "days_overdue",
        "pdf_link",
    )
    list_filter = ("status", "kind", "month")
    search_fields = ("number", "subscriber__name", "subscriber__person_full_name")
    date_hierarchy = "issued_at"
    list_select_related = ("subscriber",)

    def get_urls(self):
        pdf = self.admin_site.admin_view(self.pdf_view)
        act = self.admin_site.admin_view(self.act_view)
        return [
            path("<int:pk>/pdf/", pdf, name="billing_invoice_pdf"),
            path("<int:pk>/act/", act, name="billing_invoice_act"),
            *super().get_urls(),
        ]

    @admin_view_permissions("view")
    def act_view(self, request, pk):
        invoice = get_object_or_404(Invoice.objects.select_related("subscriber", "tariff"), pk=pk)
        return pdf_response(act_pdf(invoice=invoice), f"act-{invoice.display_number}.pdf")

    @admin_view_permissions("view")
    def pdf_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        invoice = get_object_or_404(Invoice.objects.select_related("subscriber", "tariff"), pk=pk)
        audit_record(
            action=AuditAction.INVOICE_DOWNLOAD,
            subscriber=invoice.subscriber,
            actor=request.user,
            target=invoice,
            ip=client_ip(request),
        )
        return pdf_response(invoice_pdf(invoice=invoice), f"invoice-{invoice.display_number}.pdf")

    @admin.display(description=_("number"), ordering="number")
    def number_display(self, obj):
        return obj.display_number

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        link = format_html(
            '<a href="{}">PDF</a>', reverse("admin:billing_invoice_pdf", args=[obj.pk])
        )
        if obj.status == InvoiceStatus.PAID and obj.kind == "monthly":
            act = reverse("admin:billing_invoice_act", args=[obj.pk])
            link = format_html('{} · <a href="{}">{}</a>', link, act, _("Act"))
        return link

    @admin.display(description=_("days overdue"))
    def days_overdue(self, obj):
        if obj.status != InvoiceStatus.OPEN:
            return ""
        days = (timezone.localdate() - obj.due_date).days
        return days if days > 0 else ""


class BankTransferForm(forms.ModelForm):
    """A bank transfer is the payer's document: No., date and amount, per payer (БИН/ИИН)."""

    payer_tax_id = forms.CharField(
        label=_("payer's БИН/ИИН"),
        max_length=12,
        required=False,
        help_text=_("Empty: the subscriber's own БИН/ИИН."),
    )

    class Meta:
        model = Payment
        fields = ["subscriber", "amount", "external_id", "document_date", "received_at", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "document_date" in self.fields:
            self.fields["document_date"].required = True
            self.fields["document_date"].initial = timezone.localdate

    def clean_external_id(self):
        try:
            return clean_external_id(self.cleaned_data["external_id"])
        except ValidationError as error:
            raise ValidationError(error.messages) from error

    def clean_payer_tax_id(self):
        value = self.cleaned_data["payer_tax_id"].strip()
        if value and not (len(value) == 12 and value.isdigit()):
            raise ValidationError(_("A БИН/ИИН has 12 digits."))
        return value

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at is not None and received_at > timezone.now():
            raise ValidationError(_("The received date cannot be in the future."))
        return received_at

    def clean_amount(self):
        if self.cleaned_data["amount"] <= 0:
            raise ValidationError(_("The amount must be positive."))
        return self.cleaned_data["amount"]

    def clean(self):
        cleaned = super().clean()
        subscriber, number = cleaned.get("subscriber"), cleaned.get("external_id")
        amount, document_date = cleaned.get("amount"), cleaned.get("document_date")
        if subscriber and number and amount and document_date:
            payer = payer_key_for(tax_id=cleaned.get("payer_tax_id", ""), subscriber=subscriber)
            if Payment.objects.filter(
                method=PaymentMethod.BANK_TRANSFER,
                payer_key=payer,
                external_id=number,
                document_date=document_date,
                amount=amount,
            ).exists():
                raise ValidationError(
                    _("This payer's document with this No., date and amount is already recorded.")
                )
        return cleaned


class PurgedAccountFilter(admin.SimpleListFilter):
    title = _("refund to make")
    parameter_name = "refund"

    def lookups(self, request, model_admin):
        return [("purged", _("Payments on purged accounts"))]

    def queryset(self, request, queryset):
        if self.value() == "purged":
            return queryset.filter(subscriber__status=SubscriberStatus.PURGED)
        return queryset


@admin.register(Payment)
class PaymentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Payments are added (an accountant records a bank transfer), never edited or deleted."""

    @admin.display(description=_("refund to make"))
    def refund_to_make(self, obj):
        # 3.6: the account's data are deleted; the money can only go back to the payer.
        if obj.subscriber.status == SubscriberStatus.PURGED:
            return _("Refund %(amount)s: the account was purged") % {"amount": kzt(obj.amount)}
        return "—"

    form = BankTransferForm
    list_display = (
        "received_at",
        "subscriber",
        "method",
        "provider",
        "external_id",
        "document_date",
        "payer_key",
        "amount",
        "recorded_by",
        "refund_to_make",
    )
    list_filter = (PurgedAccountFilter, "method", "provider")
    search_fields = ("external_id", "subscriber__name", "subscriber__person_full_name")
    autocomplete_fields = ("subscriber",)
    list_select_related = ("subscriber", "recorded_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        payment, _created = payment_record(
            subscriber=obj.subscriber,
            amount=obj.amount,
            method=PaymentMethod.BANK_TRANSFER,
            external_id=obj.external_id,
            received_at=obj.received_at,
            actor=request.user,
            comment=obj.comment,
            payer_tax_id=form.cleaned_data.get("payer_tax_id", ""),
            document_date=obj.document_date,
        )
        obj.pk = payment.pk


class LedgerCorrectionAdminForm(forms.ModelForm):
    account = CorrectionForm.base_fields["account"]
    amount = CorrectionForm.base_fields["amount"]

    class Meta:
        model = LedgerEntry
        fields = ["subscriber", "account", "amount", "reason"]

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("A correction needs a reason."))
        if cleaned.get("amount") == 0:
            self.add_error("amount", _("A correction cannot be zero."))
        return cleaned


@admin.register(LedgerEntry)
class LedgerEntryAdmin(QuickChangeListMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Read-only; "add" records an accountant's correction, a new entry with a reason."""

    form = LedgerCorrectionAdminForm
    list_display = (
        "at_text",
        "subscriber",
        "kind_text",
        "money_text",
        "bonus_text",
        "description",
        "invoice_text",
        "actor",
    )
    list_filter = ("kind",)
    search_fields = ("subscriber__name", "subscriber__person_full_name", "description")
    search_help_text = _("Words of the subscriber's name or of the entry's description.")
    # At a million entries: no date_hierarchy (a DISTINCT over the table), one count per page,
    # the order served by ledger_at_idx.
    show_full_result_count = False
    paginator = CappedCountPaginator
    autocomplete_fields = ("subscriber",)
    list_select_related = ("subscriber", "invoice", "actor")

    def get_search_results(self, request, queryset, search_term):
        """Subscribers are matched first (a small table), then the entries by key or description,
        so the ledger is read through its indexes, never joined and scanned whole."""
        for word in search_term.split()[:5]:
            ids = list(
                Subscriber.objects.filter(
                    Q(name__icontains=word) | Q(person_full_name__icontains=word)
                ).values_list("pk", flat=True)[:501]
            )
            match = Q(description__icontains=word)
            if len(ids) <= 500:
                match |= Q(subscriber_id__in=ids)
            queryset = queryset.filter(match)
        return queryset, False

    def prepare_results(self, request, rows):
        """The page's cells as text at once: dates, kinds and amounts formatted by plain string
        operations, the labels translated once (onebuh.listing)."""
        kinds = choice_labels(LedgerKind)
        invoice_label = str(_("Invoice No. %(number)s"))
        for entry in rows:
            entry.at_text = local_datetime(entry.at)
            entry.kind_text = kinds.get(entry.kind, entry.kind)
            entry.money_text = amount(entry.money)
            entry.bonus_text = amount(entry.bonus)
            entry.invoice_text = (
                invoice_label % {"number": entry.invoice.display_number}
                if entry.invoice_id
                else None
            )

    @admin.display(description=LedgerEntry._meta.get_field("at").verbose_name, ordering="at")
    def at_text(self, obj):
        return obj.at_text

    @admin.display(description=LedgerEntry._meta.get_field("kind").verbose_name, ordering="kind")
    def kind_text(self, obj):
        return obj.kind_text

    @admin.display(description=LedgerEntry._meta.get_field("money").verbose_name, ordering="money")
    def money_text(self, obj):
        return obj.money_text

    @admin.display(description=LedgerEntry._meta.get_field("bonus").verbose_name, ordering="bonus")
    def bonus_text(self, obj):
        return obj.bonus_text

    @admin.display(
        description=LedgerEntry._meta.get_field("invoice").verbose_name, ordering="invoice"
    )
    def invoice_text(self, obj):
        return obj.invoice_text

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        entry = ledger_add_correction(
            subscriber=form.cleaned_data["subscriber"],
            account=form.cleaned_data["account"],
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
        obj.pk = entry.pk


_MONEY = DecimalField(max_digits=14, decimal_places=2)


@admin.register(Debtor)
class DebtorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "status", "debt", "oldest_due", "days_overdue", "account_link")
    search_fields = ("name", "person_full_name", "bin", "iin")

    def get_queryset(self, request):
        today = timezone.localdate()
        open_invoices = Q(invoices__status=InvoiceStatus.OPEN)
        return (
            super()
            .get_queryset(request)
            .filter(invoices__status=InvoiceStatus.OPEN, invoices__due_date__lt=today)
            .exclude(status=SubscriberStatus.PURGED)
            .annotate(
                debt_sum=Coalesce(
                    Sum(
                        F("invoices__amount_due") - F("invoices__paid_amount"), filter=open_invoices
                    ),
                    0,
                    output_field=_MONEY,
                ),
                oldest_due_date=Min("invoices__due_date", filter=open_invoices),
            )
            .distinct()
        )

    @admin.display(description=_("debt"), ordering="debt_sum")
    def debt(self, obj):
        return obj.debt_sum

    @admin.display(description=_("oldest due date"), ordering="oldest_due_date")
    def oldest_due(self, obj):
        return obj.oldest_due_date

    @admin.display(description=_("days overdue"))
    def days_overdue(self, obj):
        return (timezone.localdate() - obj.oldest_due_date).days

    @admin.display(description=_("personal account"))
    def account_link(self, obj):
        url = reverse("admin:billing_billingaccount_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("open"))


@admin.register(SuspendedSubscriber)
class SuspendedSubscriberAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "suspension_reason",
        "status_changed_at",
        "days_left",
        "account_link",
    )
    list_filter = ("suspension_reason",)
    search_fields = ("name", "person_full_name", "bin", "iin")
    account_link = DebtorAdmin.account_link

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=SubscriberStatus.SUSPENDED)

    @admin.display(description=_("days left to the data deletion"))
    def days_left(self, obj):
        if obj.suspension_reason != SuspensionReason.NON_PAYMENT:
            return "—"
        deadline = obj.status_changed_at + datetime.timedelta(days=PURGE_AFTER_DAYS)
        return max(0, (timezone.localdate(deadline) - timezone.localdate()).days)


@admin.register(PurgeRecord)
class PurgeRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("purged_at", "subscriber", "rule", "state_since", "deleted")
    list_select_related = ("subscriber",)


@admin.register(BillingNotice)
class BillingNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "subscriber", "kind", "key", "sent_at")
    list_filter = ("kind",)
    list_select_related = ("subscriber",)

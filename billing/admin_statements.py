"""Staff's bank statements: upload → preview (what the import would do) → confirm; and the queue of
lines no subscriber could be matched to, where the accountant assigns or dismisses each."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onebuh.admin_mixins import ReadOnlyAdminMixin, admin_view_permissions
from subscribers.admin_audit import AuditedAdminMixin
from subscribers.models import Subscriber

from .models import (
    BankStatement,
    LineStatus,
    PaymentOrder,
    PromisedPayment,
    StatementLine,
    StatementStatus,
)
from .services import (
    statement_import,
    statement_line_assign,
    statement_line_dismiss,
    statement_upload,
)

STATEMENT_MAX_BYTES = 20 * 2**20


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Statement file"),
        help_text=gettext_lazy("1CClientBankExchange (kl_to_1c.txt) or MT940."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > STATEMENT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload


class LineAssignForm(forms.Form):
    subscriber = forms.CharField(
        label=gettext_lazy("Subscriber: personal account No. or БИН/ИИН"), max_length=12
    )

    def clean_subscriber(self):
        value = self.cleaned_data["subscriber"].strip()
        if not value.isdigit():
            raise ValidationError(_("Enter digits only."))
        query = Q(bin=value) | Q(iin=value)
        if len(value) < 12:
            query = Q(pk=int(value))
        found = list(Subscriber.objects.filter(query)[:2])
        if len(found) != 1:
            raise ValidationError(
                _("No subscriber found.") if not found else _("Several subscribers match.")
            )
        return found[0]


class LineDismissForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=1000)


@admin.register(BankStatement)
class BankStatementAdmin(admin.ModelAdmin):
    list_display = ("uploaded_at", "file_name", "file_format", "status", "counts", "uploaded_by")
    list_filter = ("status", "file_format")
    list_select_related = ("uploaded_by",)
    change_form_template = "billing/admin/statement_change.html"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("credited / known / waiting / ignored / rejected"))
    def counts(self, obj):
        s = obj.summary or {}
        return (
            f"{s.get('credited', 0)} / {s.get('known', 0)} / {s.get('waiting', 0)} / "
            f"{s.get('ignored', 0)} / {len(s.get('rejected', []))}"
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/import/", wrap(self.import_view), name="billing_statement_import"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StatementUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                statement = statement_upload(
                    raw=upload.read(), file_name=upload.name, actor=request.user
                )
            except ValidationError as error:
                form.add_error("file", error.messages[0])
            else:
                return redirect("admin:billing_bankstatement_change", statement.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Upload a bank statement"),
            "form": form,
        }
        return TemplateResponse(request, "billing/admin/statement_upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        statement = get_object_or_404(BankStatement, pk=object_id)
        if not self.has_view_permission(request, statement):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(statement),
            "statement": statement,
            "summary": statement.summary,
            "can_import": statement.status == StatementStatus.PREVIEW
            and self.has_add_permission(request),
        }
        return TemplateResponse(request, self.change_form_template, context)

    @admin_view_permissions("add")
    def import_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        statement = get_object_or_404(BankStatement, pk=pk)
        try:
            summary = statement_import(statement=statement, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "Imported: credited %(credited)s, already known %(known)s, waiting "
                    "%(waiting)s, ignored %(ignored)s, rejected %(rejected)s."
                )
                % {**summary, "rejected": len(summary["rejected"])},
            )
        return redirect("admin:billing_bankstatement_change", pk)


@admin.register(StatementLine)
class StatementLineAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "document_date",
        "document_number",
        "amount",
        "payer_name",
        "payer_tax_id",
        "problem",
        "status",
        "subscriber",
    )
    list_filter = ("status", "problem")
    search_fields = ("payer_name", "payer_tax_id", "document_number", "purpose")
    list_select_related = ("subscriber",)
    change_form_template = "billing/admin/statement_line_change.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/resolve/", wrap(self.resolve_view), name="billing_statement_line_resolve"
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        line = get_object_or_404(StatementLine.objects.select_related("statement"), pk=object_id)
        if not self.has_view_permission(request, line):
            raise PermissionDenied
        return self._page(request, line, LineAssignForm(), LineDismissForm())

    def _page(self, request, line, assign_form, dismiss_form):
        candidates = Subscriber.objects.filter(pk__in=line.candidates or [])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(line),
            "line": line,
            "candidates": candidates,
            "assign_form": assign_form,
            "dismiss_form": dismiss_form,
            "can_resolve": line.status == LineStatus.WAITING
            and self.has_change_permission(request, line),
        }
        return TemplateResponse(request, self.change_form_template, context)

    @admin_view_permissions("change")
    def resolve_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        line = get_object_or_404(StatementLine, pk=pk)
        if not self.has_change_permission(request, line):
            raise PermissionDenied
        assign_form, dismiss_form = LineAssignForm(), LineDismissForm()
        try:
            if request.POST.get("action") == "assign":
                assign_form = LineAssignForm(request.POST)
                if not assign_form.is_valid():
                    return self._page(request, line, assign_form, dismiss_form)
                statement_line_assign(
                    line=line, subscriber=assign_form.cleaned_data["subscriber"], actor=request.user
                )
                messages.success(request, _("The payment is credited."))
            else:
                dismiss_form = LineDismissForm(request.POST)
                if not dismiss_form.is_valid():
                    return self._page(request, line, assign_form, dismiss_form)
                statement_line_dismiss(
                    line=line, reason=dismiss_form.cleaned_data["reason"], actor=request.user
                )
                messages.success(request, _("The line is dismissed."))
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect(
            reverse("admin:billing_statementline_changelist") + "?status__exact=waiting"
        )


@admin.register(PromisedPayment)
class PromisedPaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Staff see who restored access before paying, until when, and the debt at the time."""

    list_display = ("starts_at", "subscriber", "invoice", "debt", "ends_at", "suspended_since")
    list_select_related = ("subscriber", "invoice")
    search_fields = ("subscriber__name", "subscriber__person_full_name", "subscriber__bin")


@admin.register(PaymentOrder)
class PaymentOrderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "pk", "subscriber", "invoice", "provider", "amount", "status")
    list_filter = ("provider", "status")
    list_select_related = ("subscriber", "invoice")
    search_fields = ("=id", "provider_reference", "subscriber__name")

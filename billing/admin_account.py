"""The personal account in the admin: balances, the read-only ledger and the staff operations —
manual suspension, lifting it, reconciliation (9.4), bonus payout, termination, corrections."""

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onebuh.admin_mixins import ReadOnlyAdminMixin, ReadOnlyInline, admin_view_permissions
from onebuh.signals import send_merged

from .documents import pdf_response, statement_pdf
from .forms import CorrectionForm, SuspendForm
from .models import BillingAccount, LedgerEntry, ReconciliationStatement
from .periods import PURGE_AFTER_DAYS
from .selectors import balances_for, debt_for, purge_date_for, subscription_for
from .services import (
    bonus_payout,
    ledger_add_correction,
    reconciliation_create,
    subscriber_lift_manual_suspension,
    subscriber_suspend_manually,
    subscriber_terminate,
)
from .signals import held_data_requested


class LedgerInline(ReadOnlyInline):
    model = LedgerEntry
    fk_name = "subscriber"
    fields = ("at", "kind", "money", "bonus", "description", "invoice", "actor")
    ordering = ("-at", "-id")


class StatementInline(ReadOnlyInline):
    model = ReconciliationStatement
    fk_name = "subscriber"
    fields = ("created_at", "money_balance", "bonus_balance", "created_by", "pdf")
    readonly_fields = ("pdf",)

    @admin.display(description=gettext_lazy("PDF"))
    def pdf(self, obj):
        url = reverse("admin:billing_statement_pdf", args=[obj.pk])
        return format_html('<a href="{}">PDF</a>', url)


def _operations(request, subscriber, action):
    """Run one staff operation from the account page; returns the success message."""
    user = request.user
    post = request.POST
    if action == "suspend":
        form = SuspendForm(post)
        if not form.is_valid():
            raise ValidationError(_("Give the reason of the suspension."))
        subscriber_suspend_manually(
            subscriber=subscriber, reason=form.cleaned_data["reason"], actor=user
        )
        return _("The subscriber is suspended.")
    if action == "lift":
        subscriber_lift_manual_suspension(
            subscriber=subscriber, cause=post.get("reason", ""), actor=user
        )
        return _("The suspension is lifted.")
    if action == "reconcile":
        reconciliation_create(subscriber=subscriber, actor=user)
        return _("The reconciliation statement is made.")
    if action == "correction":
        if not user.has_perm("billing.add_ledgerentry"):
            raise PermissionDenied
        form = CorrectionForm(post)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        ledger_add_correction(subscriber=subscriber, actor=user, **form.cleaned_data)
        return _("The correction is recorded.")
    raise ValidationError(_("Unknown operation."))


CONFIRMED_OPERATIONS = {
    "payout": gettext_lazy("Pay out the bonuses (9.4)"),
    "terminate": gettext_lazy("Terminate the service"),
}


def confirmation_facts(*, subscriber, action) -> dict:
    """What the confirmation page states: the amounts, the statement, the bases and the date
    their data goes."""
    money, bonus = balances_for(subscriber=subscriber)
    facts = {
        "money": money,
        "bonus": bonus,
        "statement": subscriber.reconciliation_statements.first(),
        "subscription": subscription_for(subscriber=subscriber),
    }
    if action == "terminate":
        # infobases names its bases that still hold data (billing/signals.py).
        facts.update(send_merged(held_data_requested, sender="billing", subscriber=subscriber))
        # As subscriber_terminate dates it: 30 days from the moment of termination (3.6).
        facts["purge_on"] = timezone.localdate(
            timezone.now() + datetime.timedelta(days=PURGE_AFTER_DAYS)
        )
    return facts


def _confirmed(request, subscriber, action) -> str:
    if action == "payout":
        statement = subscriber.reconciliation_statements.first()
        if statement is None:
            raise ValidationError(_("Make a reconciliation statement first."))
        entry = bonus_payout(subscriber=subscriber, statement=statement, actor=request.user)
        return _("The bonus payout of %(amount)s ₸ is recorded.") % {"amount": -entry.bonus}
    subscriber_terminate(subscriber=subscriber, actor=request.user)
    return _("The service is terminated.")


@admin.register(BillingAccount)
class BillingAccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "status", "suspension_reason", "tax_id")
    list_filter = ("status", "suspension_reason")
    search_fields = ("name", "person_full_name", "bin", "iin")
    fields = ("status", "suspension_reason", "status_changed_at")
    inlines = [LedgerInline, StatementInline]
    change_form_template = "billing/admin/account_change_form.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/operate/", wrap(self.operate_view), name="billing_account_operate"),
            path(
                "<int:pk>/confirm/<str:action>/",
                wrap(self.confirm_view),
                name="billing_account_confirm",
            ),
            path(
                "statements/<int:pk>/pdf/", wrap(self.statement_view), name="billing_statement_pdf"
            ),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("ИИН / БИН"))
    def tax_id(self, obj):
        return obj.tax_number

    def change_view(self, request, object_id, form_url="", extra_context=None):
        subscriber = get_object_or_404(BillingAccount, pk=object_id)
        money, bonus = balances_for(subscriber=subscriber)
        extra_context = {
            **(extra_context or {}),
            "money": money,
            "bonus": bonus,
            "debt": debt_for(subscriber=subscriber),
            "purge_date": purge_date_for(subscriber=subscriber),
            "subscription": subscription_for(subscriber=subscriber),
            "suspend_form": SuspendForm(),
            "correction_form": CorrectionForm(),
            "can_operate": request.user.has_perm("billing.change_billingaccount"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin_view_permissions("billing.change_billingaccount")
    def operate_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        subscriber = get_object_or_404(BillingAccount, pk=pk)
        try:
            messages.success(request, _operations(request, subscriber, request.POST.get("action")))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("admin:billing_billingaccount_change", pk)

    @admin_view_permissions("billing.change_billingaccount")
    def confirm_view(self, request, pk, action):
        """9.4: the bonus payout and the termination are irreversible, so neither is one click.
        GET says exactly what will happen; only a POST naming the operation (`confirm`) acts."""
        if not request.user.has_perm("billing.change_billingaccount"):
            raise PermissionDenied
        if action not in CONFIRMED_OPERATIONS:
            raise Http404
        subscriber = get_object_or_404(BillingAccount, pk=pk)
        if request.method == "POST" and request.POST.get("confirm") == action:
            try:
                messages.success(request, _confirmed(request, subscriber, action))
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                return redirect("admin:billing_billingaccount_change", pk)
        return TemplateResponse(
            request,
            "billing/admin/confirm_operation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": subscriber,
                "action": action,
                "title": CONFIRMED_OPERATIONS[action],
                **confirmation_facts(subscriber=subscriber, action=action),
            },
        )

    @admin_view_permissions("billing.view_reconciliationstatement")
    def statement_view(self, request, pk):
        if not request.user.has_perm("billing.view_reconciliationstatement"):
            raise PermissionDenied
        statement = get_object_or_404(
            ReconciliationStatement.objects.select_related("subscriber"), pk=pk
        )
        return pdf_response(
            statement_pdf(statement=statement), f"reconciliation-{statement.pk}.pdf"
        )

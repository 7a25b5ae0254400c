"""Tickets in the admin: queues by kind and partner, SLA columns and filters, and the service
calls behind every change (the admin never writes a ticket by itself)."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onebuh.admin_mixins import AuditedAdminMixin

from ..models import (
    PARTNER_CATEGORIES,
    Ticket,
    TicketAttachment,
    TicketMessage,
    TicketStatus,
    kind_of_category,
)
from ..selectors import tickets_for_staff
from ..services import (
    quota_check,
    ticket_assign,
    ticket_change_category,
    ticket_sender_confirm,
    ticket_sender_reject,
)
from .views import TicketAdminViews


class SlaFilter(admin.SimpleListFilter):
    title = _("SLA")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return [("breached", _("breached")), ("due_1h", _("due within 1 h"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        waiting = Q(status=TicketStatus.NEW, reacted_at__isnull=True)
        if self.value() == "breached":
            return queryset.filter(
                Q(breached_at__isnull=False)
                | Q(reacted_at__gt=F("reaction_due_at"))
                | (waiting & Q(reaction_due_at__lte=now))
            )
        if self.value() == "due_1h":
            return queryset.filter(
                waiting,
                reaction_due_at__gt=now,
                reaction_due_at__lte=now + datetime.timedelta(hours=1),
            )
        return queryset


class AttachmentInline(admin.TabularInline):
    model = TicketAttachment
    extra = 0
    fields = ("name", "size", "content_type", "file")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class MessageInline(admin.StackedInline):
    model = TicketMessage
    extra = 0
    can_delete = False
    fields = (
        "created_at",
        "author_side",
        "author",
        "sender_email",
        "channel",
        "is_internal",
        "is_automatic",
        "body",
        "original",
        "files",
    )
    readonly_fields = fields
    ordering = ("created_at", "id")

    # Messages are added through the reply view only (it calls the services).
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("full original"))
    def original(self, obj):
        # The reply's quoted history, one click away (the body keeps only the new part).
        if not obj.original_text:
            return "—"
        return format_html(
            '<details><summary>{}</summary><pre style="white-space: pre-wrap">{}</pre></details>',
            _("Show the whole message"),
            obj.original_text,
        )

    @admin.display(description=_("attachments"))
    def files(self, obj):
        links = [
            (reverse("admin:support_ticket_attachment", args=[a.pk]), a.name)
            for a in obj.attachments.all()
        ]
        return format_html_join(", ", '<a href="{}">{}</a>', links) or "—"

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("author").prefetch_related("attachments")
        )


class TicketAdminForm(forms.ModelForm):
    """The services' checks as form errors, so a refused change shows a message, not a 500."""

    def clean(self):
        data = super().clean()
        category, work_type = data.get("category"), data.get("work_type")
        if category and work_type and work_type.kind != kind_of_category(category):
            self.add_error(
                "work_type", _("The work type belongs to another kind of support (section 7).")
            )
        if category and "category" in self.changed_data and category in PARTNER_CATEGORIES:
            try:
                quota_check(
                    subscriber=self.instance.subscriber, category=category, exclude=self.instance
                )
            except ValidationError as error:
                self.add_error("category", error)
        if data.get("partner_firm") and category not in PARTNER_CATEGORIES:
            self.add_error(
                "partner_firm",
                _("Partner firms answer only methodological and individual requests (4.1)."),
            )
        return data


def _duration(delta: datetime.timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours} ч {minutes:02d} мин"
    return f"{days} д {text}" if days else text


@admin.register(Ticket)
class TicketAdmin(AuditedAdminMixin, TicketAdminViews, admin.ModelAdmin):
    form = TicketAdminForm
    list_display = (
        "pk",
        "subject",
        "subscriber",
        "category",
        "status",
        "channel",
        "sender_check",
        "partner_firm",
        "assignee",
        "reaction_due_at",
        "time_left",
    )
    list_display_links = ("pk", "subject")
    list_filter = (
        SlaFilter,
        "sender_check",
        "status",
        "kind",
        "category",
        "channel",
        ("partner_firm", admin.RelatedOnlyFieldListFilter),
        ("assignee", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("subscriber", "partner_firm", "assignee")
    search_fields = (
        "=id",
        "subject",
        "subscriber__name",
        "subscriber__person_full_name",
        "sender_email",
    )
    ordering = ("reaction_due_at",)
    date_hierarchy = "opened_at"
    fields = (
        ("subscriber", "status"),
        ("category", "work_type"),
        ("partner_firm", "assignee"),
        "subject",
        ("channel", "infobase"),
        ("opened_by", "sender_name", "sender_email", "sender_phone"),
        "sender_check",
        ("onec_user", "onec_release", "connect_dialog_id", "connect_client"),
        ("opened_at", "reaction_due_at", "time_left"),
        ("reacted_at", "warned_at", "breached_at"),
        ("decision_reason", "decision_explanation"),
        ("rating", "rating_comment"),
        "closed_at",
    )
    editable_fields = ("category", "work_type", "partner_firm", "assignee")
    autocomplete_fields = ("assignee",)
    inlines = [MessageInline]
    actions = ["confirm_sender", "reject_sender"]

    @admin.action(description=_("Confirm the sender of the chosen tickets"), permissions=["change"])
    def confirm_sender(self, request, queryset):
        count = sum(ticket_sender_confirm(ticket=t, actor=request.user) for t in queryset)
        self.message_user(
            request,
            ngettext("%(count)d sender confirmed.", "%(count)d senders confirmed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Reject the sender (forged) and close the chosen tickets"),
        permissions=["change"],
    )
    def reject_sender(self, request, queryset):
        count = sum(ticket_sender_reject(ticket=t, actor=request.user) for t in queryset)
        self.message_user(
            request,
            ngettext("%(count)d sender rejected.", "%(count)d senders rejected.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def get_readonly_fields(self, request, obj=None):
        flat = [f for row in self.fields for f in (row if isinstance(row, tuple) else (row,))]
        return [f for f in flat if f not in self.editable_fields]

    def get_queryset(self, request):
        # 4.1: a partner's consultant sees only the partner tickets routed to their firm.
        return tickets_for_staff(user=request.user).select_related(
            "subscriber", "partner_firm", "assignee", "opened_by", "infobase", "work_type"
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        firm_id = request.user.partner_firm_id
        if firm_id and "partner_firm" in form.base_fields:
            form.base_fields["partner_firm"].queryset = form.base_fields[
                "partner_firm"
            ].queryset.filter(pk=firm_id)
        return form

    @admin.display(description=_("time left"), ordering="reaction_due_at")
    def time_left(self, obj):
        if obj.reacted_at:
            return _("reacted")
        if obj.status != TicketStatus.NEW:
            return "—"
        left = obj.reaction_due_at - timezone.now()
        if left.total_seconds() < 0:
            return _("overdue by %(time)s") % {"time": _duration(left)}
        return _duration(left)

    def save_model(self, request, obj, form, change):
        """The editable fields go through the services: a new category recomputes the deadline
        (from the opening time), assignments are checked and audited."""
        ticket = Ticket.objects.get(pk=obj.pk)
        if "category" in form.changed_data or "work_type" in form.changed_data:
            ticket = ticket_change_category(
                ticket=ticket,
                actor=request.user,
                category=obj.category,
                work_type=obj.work_type,
            )
        if "assignee" in form.changed_data or "partner_firm" in form.changed_data:
            ticket_assign(
                ticket=ticket,
                actor=request.user,
                assignee=obj.assignee,
                partner_firm=obj.partner_firm,
            )

    def has_delete_permission(self, request, obj=None):
        return False

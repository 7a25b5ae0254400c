"""Tickets in the admin: queues by kind and partner, SLA columns and filters, and the service
calls behind every change (the admin never writes a ticket by itself)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onebuh.admin_mixins import QuickChangeListMixin
from onebuh.admin_scope import CappedCountPaginator, ScopedNotFoundMixin, consultant_firm_id
from onebuh.listing import choice_labels
from subscribers.admin_audit import AuditedAdminMixin
from subscribers.models import User

from ..models import (
    PARTNER_CATEGORIES,
    Category,
    SenderCheck,
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
from .actions import TicketActionsMixin
from .context import customer_context
from .macros import MacroChoiceForm, TicketMacroViews
from .queues import (
    AssigneeFilter,
    PartnerFirmFilter,
    QueueFilter,
    search_tickets,
    sla_badge,
    sla_badges,
)
from .views import TicketAdminViews


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


@admin.register(Ticket)
class TicketAdmin(
    QuickChangeListMixin,
    ScopedNotFoundMixin,
    AuditedAdminMixin,
    TicketActionsMixin,
    TicketMacroViews,
    TicketAdminViews,
    admin.ModelAdmin,
):
    form = TicketAdminForm
    list_display = (
        "pk",
        "short_subject",
        "subscriber",
        "category_label",
        "status_label",
        "sender_check_label",
        "assignee",
        "sla",
    )
    list_display_links = ("pk", "short_subject")
    list_filter = (
        QueueFilter,
        "status",
        "kind",
        "category",
        "channel",
        "sender_check",
        PartnerFirmFilter,
        AssigneeFilter,
    )
    list_select_related = ("subscriber", "assignee")
    search_fields = ("subject",)  # the search itself is queues.search_tickets
    search_help_text = _("A ticket number, or words of the subject, sender or subscriber.")
    # Matches the partial index over open tickets (ticket_open_queue_idx) and the full one.
    ordering = ("reaction_due_at", "id")
    # Every page would count the whole table a second time for "N of M".
    show_full_result_count = False
    list_per_page = 50
    paginator = CappedCountPaginator
    actions = ["assign_to_me", "assign_to", "accept", "confirm_sender", "reject_sender"]
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ticket = self.get_object(request, object_id)
        if ticket is not None:
            extra_context = {
                **(extra_context or {}),
                "customer": customer_context(ticket=ticket, user=request.user),
                "macro_picker": MacroChoiceForm() if ticket.is_open else None,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        flat = [f for row in self.fields for f in (row if isinstance(row, tuple) else (row,))]
        return [f for f in flat if f not in self.editable_fields]

    def get_queryset(self, request):
        # 4.1: a partner's consultant sees only the partner tickets routed to their firm.
        # The changelist joins only what it shows (list_select_related).
        return tickets_for_staff(user=request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        firm_id = request.user.partner_firm_id
        if firm_id and "partner_firm" in form.base_fields:
            form.base_fields["partner_firm"].queryset = form.base_fields[
                "partner_firm"
            ].queryset.filter(pk=firm_id)
        return form

    def prepare_results(self, request, rows):
        """The page's SLA badges and labels at once: one clock reading, the texts translated once
        (the queue's Python per row was most of its time at 300,000 tickets)."""
        badges = sla_badges(rows)
        categories, statuses = choice_labels(Category), choice_labels(TicketStatus)
        checks = choice_labels(SenderCheck)
        for ticket in rows:
            ticket.sla_html = badges[ticket.pk]
            ticket.category_text = categories.get(ticket.category, ticket.category)
            ticket.status_text = statuses.get(ticket.status, ticket.status)
            ticket.sender_check_text = checks.get(ticket.sender_check, "")

    def get_autocomplete_fields(self, request):
        # A consultant may not search the staff list (the autocomplete answered him 403, so the
        # assignee box stayed empty): his firm's people come in a plain select instead.
        if consultant_firm_id(request.user) is not None:
            return ()
        return super().get_autocomplete_fields(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        firm_id = consultant_firm_id(request.user)
        if db_field.name == "assignee" and firm_id is not None:
            kwargs["queryset"] = User.objects.filter(
                is_staff=True, is_active=True, partner_firm_id=firm_id
            ).order_by("full_name", "email")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("time left"), ordering="reaction_due_at")
    def time_left(self, obj):
        return sla_badge(obj)

    @admin.display(description=_("SLA"), ordering="reaction_due_at")
    def sla(self, obj):
        return obj.sla_html

    @admin.display(description=Ticket._meta.get_field("category").verbose_name, ordering="category")
    def category_label(self, obj):
        return obj.category_text

    @admin.display(description=Ticket._meta.get_field("status").verbose_name, ordering="status")
    def status_label(self, obj):
        return obj.status_text

    @admin.display(
        description=Ticket._meta.get_field("sender_check").verbose_name, ordering="sender_check"
    )
    def sender_check_label(self, obj):
        return obj.sender_check_text

    @admin.display(description=_("subject"), ordering="subject")
    def short_subject(self, obj):
        # Truncator(...).chars(60) without its per-call set-up: 59 characters and "…".
        subject = obj.subject
        return subject if len(subject) <= 60 else f"{subject[:59]}…"

    def get_search_results(self, request, queryset, search_term):
        return search_tickets(queryset, search_term), False

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

"""Admin of the support desk's data: calendars, the work catalog, partners, articles, channels."""

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onebuh.admin_mixins import ReadOnlyAdminMixin, admin_view_permissions
from subscribers.admin_audit import AuditedAdminMixin
from subscribers.models import Membership

from ..mail.importer import inbound_discard, inbound_retry
from ..models import (
    Article,
    Calendar,
    CalendarException,
    CalendarInterval,
    ConnectClient,
    InboundMessage,
    OneCFormToken,
    PartnerAssignment,
    WorkType,
)
from ..services import (
    article_index,
    connect_client_bind_by_staff,
    connect_client_unbind,
    onec_token_revoke,
)
from ..sla import calendars_changed


class CalendarsChangedMixin:
    """Every process reloads the calendars once the change is committed."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(calendars_changed)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(calendars_changed)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(calendars_changed)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transaction.on_commit(calendars_changed)


class CalendarIntervalInline(admin.TabularInline):
    model = CalendarInterval
    extra = 0


@admin.register(Calendar)
class CalendarAdmin(CalendarsChangedMixin, admin.ModelAdmin):
    list_display = ("name", "code", "time_zone", "follows_public_holidays")
    inlines = [CalendarIntervalInline]


@admin.register(CalendarException)
class CalendarExceptionAdmin(CalendarsChangedMixin, admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(WorkType)
class WorkTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "responsible", "sort_order", "is_active")
    list_filter = ("kind", "responsible", "is_active")
    search_fields = ("name", "examples")


@admin.register(PartnerAssignment)
class PartnerAssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("subscriber", "partner_firm")
    list_filter = ("partner_firm",)
    autocomplete_fields = ("subscriber",)
    search_fields = ("subscriber__name", "subscriber__person_full_name")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "section", "is_published", "updated_at")
    list_filter = ("section", "is_published")
    search_fields = ("title", "body")
    fields = ("title", "section", "body", "is_published")

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        # The public help's search reads the stems, so they change with the text.
        article_index(article=obj)


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The inbound log; quarantined messages (could not be imported) are retried or discarded
    here, and their raw message can be downloaded."""

    list_display = ("received_at", "source", "sender", "subject", "outcome", "ticket", "detail")
    list_filter = ("source", "outcome")
    search_fields = ("external_id", "sender", "subject")
    list_select_related = ("ticket",)
    fields = (
        "received_at",
        "source",
        "external_id",
        "sender",
        "subject",
        "outcome",
        "ticket",
        "detail",
        "error",
        "raw_link",
    )
    readonly_fields = fields
    actions = ["retry", "discard"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("raw")

    def has_triage_permission(self, request):
        return request.user.has_perm("support.change_inboundmessage")

    def get_urls(self):
        view = self.admin_site.admin_view(self.raw_view)
        return [path("<int:pk>/raw/", view, name="support_inboundmessage_raw"), *super().get_urls()]

    @admin_view_permissions("triage")
    def raw_view(self, request, pk):
        if not self.has_triage_permission(request):
            return HttpResponse(status=403)
        record = get_object_or_404(InboundMessage, pk=pk, raw__isnull=False)
        response = HttpResponse(bytes(record.raw), content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="inbound-{record.pk}.eml"'
        return response

    @admin.display(description=_("raw message"))
    def raw_link(self, obj):
        if obj.outcome != InboundMessage.Outcome.QUARANTINED:
            return "—"
        url = reverse("admin:support_inboundmessage_raw", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download .eml"))

    @admin.action(description=_("Retry importing the quarantined messages"), permissions=["triage"])
    def retry(self, request, queryset):
        outcomes = [
            inbound_retry(record=record, actor=request.user).outcome
            for record in queryset.filter(outcome=InboundMessage.Outcome.QUARANTINED)
        ]
        still = outcomes.count(InboundMessage.Outcome.QUARANTINED)
        self.message_user(
            request,
            _("Imported: %(done)d, still quarantined: %(still)d.")
            % {"done": len(outcomes) - still, "still": still},
            messages.SUCCESS if not still else messages.WARNING,
        )

    @admin.action(description=_("Discard the quarantined messages"), permissions=["triage"])
    def discard(self, request, queryset):
        count = sum(
            inbound_discard(record=record, actor=request.user)
            for record in queryset.filter(outcome=InboundMessage.Outcome.QUARANTINED)
        )
        self.message_user(
            request,
            ngettext("%(count)d message discarded.", "%(count)d messages discarded.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ConnectClient)
class ConnectClientAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """1C-Connect clients: staff confirm one as the member its declared email names, or unbind."""

    list_display = (
        "external_id",
        "name",
        "email",
        "tax_number",
        "member",
        "subscriber",
        "bound_via",
        "bound_at",
    )
    list_filter = ("bound_via",)
    search_fields = ("external_id", "name", "email", "phone", "tax_number")
    list_select_related = ("member", "subscriber")
    fields = list_display + ("phone", "bound_by", "created_at")
    readonly_fields = fields
    actions = ["confirm_declared", "unbind"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=_("Confirm: bind to the member with the declared email"),
        permissions=["change"],
    )
    def confirm_declared(self, request, queryset):
        bound = 0
        for client in queryset.filter(member__isnull=True).exclude(email=""):
            membership = (
                Membership.objects.select_related("user", "subscriber")
                .filter(user__email__iexact=client.email, user__is_active=True)
                .order_by("created_at")
                .first()
            )
            if membership is not None:
                connect_client_bind_by_staff(
                    client=client, membership=membership, actor=request.user
                )
                bound += 1
        self.message_user(
            request,
            ngettext("%(count)d client bound.", "%(count)d clients bound.", bound)
            % {"count": bound},
            messages.SUCCESS if bound else messages.WARNING,
        )

    @admin.action(description=_("Unbind from the member"), permissions=["change"])
    def unbind(self, request, queryset):
        clients = list(queryset.filter(member__isnull=False))
        for client in clients:
            connect_client_unbind(client=client, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d client unbound.", "%(count)d clients unbound.", len(clients))
            % {"count": len(clients)},
            messages.SUCCESS,
        )


@admin.register(OneCFormToken)
class OneCFormTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Tokens are issued by the subscriber's managers in the panel; staff can only revoke."""

    list_display = ("infobase", "subscriber", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = list_display + ("created_by",)
    fields = readonly_fields
    list_filter = ("revoked_at",)
    list_select_related = ("infobase", "subscriber")
    search_fields = ("prefix", "subscriber__name", "infobase__name")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the chosen tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            onec_token_revoke(token=token, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

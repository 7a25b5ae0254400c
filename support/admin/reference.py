"""Admin of the support desk's data: calendars, the work catalog, partners, articles, channels."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onebuh.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin

from ..models import (
    Article,
    Calendar,
    CalendarException,
    CalendarInterval,
    CannedReply,
    InboundMessage,
    OneCFormToken,
    PartnerAssignment,
    WorkType,
)
from ..services import onec_token_revoke
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
    list_display = ("title", "is_published", "updated_at")
    list_filter = ("is_published",)
    search_fields = ("title", "body")


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ("title",)
    search_fields = ("title", "body")


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("received_at", "source", "sender", "subject", "outcome", "ticket")
    list_filter = ("source", "outcome")
    search_fields = ("external_id", "sender", "subject")
    list_select_related = ("ticket",)


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

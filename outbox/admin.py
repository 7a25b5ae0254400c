from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .dispatcher import outbox_retry
from .models import OutboxMessage, OutboxState


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "state", "attempts", "available_at", "lease_until", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("dedupe_key", "message_id")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry the failed ones"), permissions=["change"])
    def retry(self, request, queryset):
        count = outbox_retry(
            ids=queryset.filter(state=OutboxState.FAILED).values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("%(count)s message queued again.", "%(count)s messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

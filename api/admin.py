from django.contrib import admin

from subscribers.admin_audit import AuditedAdminMixin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Staff see who holds which token (never the secret); members revoke them in the panel.
    A staff deletion (e.g. a leaked token) lands in the subscriber's audit trail."""

    def audit_subscriber(self, obj):
        return obj.membership.subscriber

    list_display = (
        "name",
        "prefix",
        "membership",
        "scope",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "membership__user__email")
    list_select_related = ("membership__user", "membership__subscriber")
    readonly_fields = [f.name for f in ApiToken._meta.fields if f.name != "secret_hash"]
    exclude = ("secret_hash",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

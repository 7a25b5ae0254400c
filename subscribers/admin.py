from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onebuh.admin_mixins import ReadOnlyAdminMixin, ReadOnlyInline, admin_view_permissions
from onebuh.admin_scope import PartnerScopedAdminMixin, consultant_firm_id

from .admin_audit import AuditedAdminMixin
from .audit import client_ip
from .audit_actions import AuditAction, audit_action_label
from .models import (
    AuditEntry,
    Invitation,
    MemberRole,
    Membership,
    PartnerFirm,
    Subscriber,
    SubscriberStateChange,
    TermsAcceptance,
    TermsVersion,
    User,
)
from .services import (
    membership_change_role,
    membership_remove,
    terms_publish,
    user_email_changed,
    user_password_changed,
)

admin.site.site_header = _("ONEbuh administration")
admin.site.site_title = _("ONEbuh")
admin.site.index_title = _("Operator's workplace")


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "partner_firm", "is_active", "last_login")
    list_filter = ("is_staff", "is_active", "groups", "partner_firm")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "partner_firm")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    # The operator's powers: a non-superuser "Администратор" who could set these would make
    # himself superuser or put anyone into any staff group (issue 18).
    privileged_fields = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [name for name in self.privileged_fields if name not in fields]
        return fields

    @admin_view_permissions("change")
    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # Set by staff: the person's tokens end and their address is told, as on a reset.
            user_password_changed(
                user=self.get_object(request, id), how="admin", ip=client_ip(request)
            )
        return response

    def save_model(self, request, obj, form, change):
        old_email = form.initial.get("email", "") if change else ""
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data and old_email:
            user_email_changed(
                user=obj, old_email=old_email, new_email=obj.email, ip=client_ip(request)
            )

    def has_change_permission(self, request, obj=None):
        """Only a superuser changes another staff member's account — its email and password
        are how the account is taken over (Django's password page asks this too)."""
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return obj.pk == request.user.pk or not (obj.is_staff or obj.is_superuser)

    def audit_subscriber(self, obj):
        # A person's data belongs to the subscriber they work for (the first, if several).
        membership = obj.memberships.select_related("subscriber").first()
        return membership.subscriber if membership else None


@admin.register(PartnerFirm)
class PartnerFirmAdmin(admin.ModelAdmin):
    list_display = ("name", "bin", "email", "is_active")
    search_fields = ("name", "bin")


class MembershipInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.instance.pk:
                continue
            was_owner = form.initial.get("role") == MemberRole.OWNER
            deleting = self.can_delete and self._should_delete_form(form)
            if was_owner and (deleting or "role" in form.changed_data):
                raise forms.ValidationError(
                    _("The owner's role cannot be changed and the owner cannot be removed.")
                )
            if "role" in form.changed_data and form.cleaned_data.get("role") == MemberRole.OWNER:
                raise forms.ValidationError(_("The owner's role cannot be changed here."))


class MembershipInline(admin.TabularInline):
    """Roles changed and members removed here go through the same services as in the panel
    (SubscriberAdmin.save_formset): what the old role granted in 1C ends with it (issue 18).
    People join through invitations, so staff do not add members here."""

    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


class StateChangeInline(ReadOnlyInline):
    model = SubscriberStateChange
    fields = ("at", "event", "from_status", "to_status", "cause", "actor")
    ordering = ("-at",)


# What a partner's consultant sees of a subscriber (4.1): who it is and whom to talk to; never
# a person's ИИН or home address (an entrepreneur's or individual's personal data, 2.2) — the
# consultant asks the customer when a request needs them.
CONSULTANT_SUBSCRIBER_FIELDS = (
    "legal_form",
    "name",
    "bin",
    "person_full_name",
    "main_activity",
    "responsible_full_name",
    "responsible_email",
    "responsible_phone",
    "status",
)


@admin.register(Subscriber)
class SubscriberAdmin(PartnerScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    partner_scope_path = ""
    list_display = (
        "__str__",
        "legal_form",
        "tax_number",
        "status",
        "responsible_email",
        "created_at",
    )
    list_filter = ("legal_form", "status", "suspension_reason")
    search_fields = ("name", "person_full_name", "iin", "bin", "responsible_email")
    readonly_fields = ("status", "suspension_reason", "status_changed_at", "created_at")
    inlines = [MembershipInline, StateChangeInline]
    list_select_related = True

    def get_list_display(self, request):
        if consultant_firm_id(request.user) is not None:
            return ("__str__", "legal_form", "bin", "status", "responsible_email")
        return super().get_list_display(request)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for member_form in formset.forms:
            membership = member_form.instance
            if not membership.pk:
                continue
            if formset._should_delete_form(member_form):
                membership_remove(membership=membership, actor=request.user)
            elif "role" in member_form.changed_data:
                membership_change_role(
                    membership=Membership.objects.get(pk=membership.pk),
                    role=member_form.cleaned_data["role"],
                    actor=request.user,
                )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def get_search_fields(self, request):
        if consultant_firm_id(request.user) is not None:
            return ("name", "person_full_name", "bin", "responsible_email")
        return super().get_search_fields(request)

    def get_fields(self, request, obj=None):
        if consultant_firm_id(request.user) is not None:
            return CONSULTANT_SUBSCRIBER_FIELDS
        return super().get_fields(request, obj)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("email", "subscriber", "role", "created_at", "accepted_at", "revoked_at")
    search_fields = ("email",)
    list_select_related = ("subscriber",)


@admin.register(SubscriberStateChange)
class SubscriberStateChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "subscriber", "event", "from_status", "to_status", "cause", "actor")
    list_filter = ("event", "to_status")
    search_fields = ("subscriber__name", "subscriber__person_full_name", "cause")
    date_hierarchy = "at"
    list_select_related = ("subscriber", "actor")


@admin.register(TermsVersion)
class TermsVersionAdmin(admin.ModelAdmin):
    list_display = ("title", "version_date", "published_at")
    fields = ("version_date", "title", "text")

    def has_change_permission(self, request, obj=None):
        return False  # A published version is never rewritten: publish a new one.

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        published = terms_publish(
            version_date=obj.version_date, title=obj.title, text=obj.text, actor=request.user
        )
        obj.pk = published.pk
        obj.published_at = published.published_at


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "terms", "first_acted_at", "path", "banner_dismissed_at")
    list_filter = ("terms",)
    search_fields = ("user__email",)
    list_select_related = ("user", "terms")


class InputFilter(admin.SimpleListFilter):
    """A text box in the filter sidebar (the audit trail is too long for a list of choices)."""

    template = "admin/input_filter.html"

    def lookups(self, request, model_admin):
        return ((None, None),)  # the template draws its own box; the filter must show

    def choices(self, changelist):
        query = changelist.get_filters_params()
        query.pop(self.parameter_name, None)
        yield {
            "value": self.value() or "",
            "hidden": [(k, v) for k, values in query.items() for v in values],
            "parameter": self.parameter_name,
        }


class ActorFilter(InputFilter):
    title = _("actor (email)")
    parameter_name = "actor_email"

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(actor__email__icontains=self.value().strip())
        return queryset


class SubscriberFilter(InputFilter):
    title = _("subscriber (name, БИН or ИИН)")
    parameter_name = "subscriber_q"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        ids = Subscriber.objects.filter(
            Q(name__icontains=value)
            | Q(person_full_name__icontains=value)
            | Q(bin=value)
            | Q(iin=value)
        ).values_list("pk", flat=True)[:500]
        return queryset.filter(subscriber_id__in=list(ids))


class ActionFilter(admin.SimpleListFilter):
    """The registry's actions with their Russian labels (no DISTINCT over the trail)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return sorted(AuditAction.choices, key=lambda choice: str(choice[1]))

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "local_time",
        "subscriber",
        "actor",
        "actor_is_staff",
        "action_label",
        "target_repr",
        "reason",
    )
    list_filter = (ActionFilter, ActorFilter, SubscriberFilter, "actor_is_staff")
    search_fields = ("target_repr", "reason")
    list_select_related = ("subscriber", "actor")
    show_full_result_count = False
    readonly_fields = ("local_time", "action_label")
    fields = (
        "local_time",
        "action_label",
        "action",
        "subscriber",
        "actor",
        "actor_is_staff",
        "target_type",
        "target_id",
        "target_repr",
        "reason",
        "data",
        "ip",
    )

    @admin.display(description=_("at (Almaty)"), ordering="at")
    def local_time(self, obj):
        return timezone.localtime(obj.at).strftime("%d.%m.%Y %H:%M:%S")

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj):
        return audit_action_label(obj.action)

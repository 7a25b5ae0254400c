from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from onebuh.admin_mixins import ReadOnlyAdminMixin, admin_view_permissions
from onebuh.admin_scope import PartnerScopedAdminMixin
from subscribers.admin_audit import AuditedAdminMixin
from subscribers.audit import audit_record, client_ip
from subscribers.audit_actions import AuditAction

from . import reporting, selectors, services
from .forms import NumbersImportForm, ReportForm
from .models import (
    Backup,
    Infobase,
    InfobaseAccess,
    LicenceEvent,
    Operation,
    OperationStatus,
    PlacementRequest,
    RegistrationNumber,
    Release,
    ScheduledUpdate,
    Solution,
)
from .provisioning import ProvisioningError, get_driver
from .services.dispatch import operations_stuck


def _admin_page(model_admin, request, template: str, title, form):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, f"admin/infobases/{template}.html", context)


class ReleaseInline(admin.TabularInline):
    model = Release
    extra = 0
    fields = ("version", "released_on", "notes", "template", "published_at")
    readonly_fields = ("published_at",)


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_published", "sort_order")
    list_editable = ("is_published", "sort_order")
    prepopulated_fields = {"code": ("name",)}
    inlines = [ReleaseInline]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ("solution", "version", "released_on", "published_at")
    list_filter = ("solution",)
    readonly_fields = ("published_at",)
    actions = ["publish"]

    # Publishing schedules updates of subscribers' infobases and mails them: an operator's
    # change, not a viewer's (a consultant with view rights must not run it).
    @admin.action(
        description=_("Publish: inform subscribers and schedule the night updates"),
        permissions=["change"],
    )
    def publish(self, request, queryset):
        scheduled = sum(
            services.release_publish(release=release, actor=request.user) for release in queryset
        )
        self.message_user(
            request, _("Published. Updates scheduled: %(count)s.") % {"count": scheduled}
        )


class AccessInline(admin.TabularInline):
    model = InfobaseAccess
    extra = 0
    can_delete = False
    fields = ("membership", "login", "role", "granted_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Infobase)
class InfobaseAdmin(PartnerScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "subscriber",
        "solution",
        "release",
        "status",
        "blocked_at",
        "is_typical",
    )
    list_filter = ("status", "solution", "is_typical")
    search_fields = ("name", "ref", "subscriber__name", "subscriber__bin", "subscriber__iin")
    list_select_related = ("subscriber", "solution", "release")
    # Statuses change only through operations; staff mark typical/modified here (7).
    fields = (
        "subscriber",
        "solution",
        "release",
        "name",
        "ref",
        "status",
        "status_message",
        "is_typical",
        "blocked_at",
        "size_bytes",
        "lock_from",
        "lock_to",
        "created_at",
        "deleted_at",
    )
    readonly_fields = (
        "subscriber",
        "solution",
        "release",
        "name",
        "ref",
        "status",
        "status_message",
        "blocked_at",
        "size_bytes",
        "lock_from",
        "lock_to",
        "created_at",
        "deleted_at",
    )
    inlines = [AccessInline]
    actions = ["check_service_account", "lift_job_deny", "show_licences"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # Each check calls the cluster: the operator's right, not a viewer's (the permission walk).
    @admin.action(
        description=_("Check the service account in the infobases"), permissions=["change"]
    )
    def check_service_account(self, request, queryset):
        for infobase in queryset[:20]:  # Each check is a call to the cluster.
            problem = selectors.infobase_cluster_health(infobase=infobase)
            if problem:
                self.message_user(request, f"{infobase.ref}: {problem}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(ref)s: the service account works.") % {"ref": infobase.ref}
                )

    # Calls the cluster: the operator's right (the permission walk).
    @admin.action(
        description=_("Show the client licences the sessions hold now"), permissions=["change"]
    )
    def show_licences(self, request, queryset):
        for infobase in queryset[:20]:
            try:
                rows = get_driver().session_licenses(ref=infobase.ref)
            except ProvisioningError as error:
                self.message_user(request, f"{infobase.ref}: {error}", messages.ERROR)
                continue
            held = ", ".join(
                f"{row.get('user-name', '')} ({row.get('short-presentation', '')})" for row in rows
            )
            self.message_user(
                request,
                _("%(ref)s: %(count)s licence(s): %(held)s")
                % {"ref": infobase.ref, "count": len(rows), "held": held or "—"},
            )

    @admin.action(
        description=_("Lift the session deny left by an interrupted backup, restore or update"),
        permissions=["change"],
    )
    def lift_job_deny(self, request, queryset):
        for infobase in queryset[:20]:
            try:
                get_driver().exclusive_release(ref=infobase.ref)
            except ProvisioningError as error:
                self.message_user(request, f"{infobase.ref}: {error}", messages.ERROR)
            else:
                self.message_user(request, _("%(ref)s: lifted.") % {"ref": infobase.ref})


class StuckOperationFilter(admin.SimpleListFilter):
    """Failed operations and ones running past their lease (their worker died)."""

    title = _("needs attention")
    parameter_name = "stuck"

    def lookups(self, request, model_admin):
        return [("yes", _("Failed or stuck"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=operations_stuck().values("pk"))
        return queryset


@admin.register(Operation)
class OperationAdmin(AuditedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "subscriber",
        "infobase",
        "status",
        "message",
        "attempts",
        "lease_until",
    )
    list_filter = (StuckOperationFilter, "status", "kind")
    search_fields = ("params__ref", "subscriber__name")
    list_select_related = ("subscriber", "infobase")
    actions = ["retry"]

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("infobases.change_operation")

    @admin.action(description=_("Run the failed or stuck operations again"), permissions=["change"])
    def retry(self, request, queryset):
        count = sum(
            services.operation_retry(operation=op, actor=request.user)
            for op in queryset.filter(status__in=[OperationStatus.FAILED, OperationStatus.RUNNING])
        )
        self.message_user(request, _("Queued again: %(count)s.") % {"count": count})


@admin.register(Backup)
class BackupAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "infobase",
        "subscriber",
        "kind",
        "status",
        "size_bytes",
        "created_at",
        "keep_until",
    )
    list_filter = ("kind", "status")
    list_select_related = ("infobase", "subscriber")


@admin.register(PlacementRequest)
class PlacementRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "subscriber", "original_name", "size_bytes", "status", "created_at")
    list_filter = ("status",)
    fields = (
        "subscriber",
        "uploaded_by",
        "name",
        "solution",
        "comment",
        "dt_admin_login",
        "original_name",
        "size_bytes",
        "sha256",
        "status",
        "ticket_id",
        "infobase",
        "created_at",
    )
    readonly_fields = (
        "subscriber",
        "uploaded_by",
        "comment",
        "dt_admin_login",
        "original_name",
        "size_bytes",
        "sha256",
        "ticket_id",
        "infobase",
        "created_at",
    )
    actions = ["place"]

    @admin.action(
        description=_("Place as a new infobase of the subscriber"), permissions=["change"]
    )
    def place(self, request, queryset):
        for item in queryset:
            try:
                services.placement_request_place(request=item, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{item}: {'; '.join(error.messages)}", messages.ERROR)


@admin.register(ScheduledUpdate)
class ScheduledUpdateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("infobase", "release", "scheduled_for", "status", "message", "finished_at")
    list_filter = ("status", "release__solution")
    list_select_related = ("infobase", "release")


@admin.register(LicenceEvent)
class LicenceEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "kind", "subscriber", "solution", "user_email")
    list_filter = ("kind", "solution", "subscriber__legal_form")
    list_select_related = ("subscriber", "solution")
    change_list_template = "admin/infobases/licenceevent/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.report_view)
        return [path("report/", view, name="infobases_licence_report"), *super().get_urls()]

    @admin_view_permissions("view")
    def report_view(self, request):
        if not self.has_view_permission(request):
            return redirect("admin:index")
        form = ReportForm(request.GET or None)
        if form.is_valid() and "format" in request.GET:
            period = form.cleaned_data
            stamp = f"{period['date_from']:%Y%m%d}-{period['date_to']:%Y%m%d}"
            if request.GET["format"] == "xlsx":
                content = reporting.report_xlsx(**period)
                kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                name = f"licences-{stamp}.xlsx"
            else:
                form_code = request.GET.get("legal_form", "legal_entity")
                if form_code not in reporting.SUBSCRIBER_COLUMNS:
                    form_code = "legal_entity"
                content = reporting.report_csv(legal_form=form_code, **period)
                kind, name = "text/csv; charset=utf-8", f"licences-{form_code}-{stamp}.csv"
            # The rights holder's report lists the subscribers' people: who took it is audited.
            audit_record(
                action=AuditAction.REPORT_DOWNLOAD,
                actor=request.user,
                data={
                    "report": "licences",
                    "from": period["date_from"].isoformat(),
                    "to": period["date_to"].isoformat(),
                    "file": name,
                },
                ip=client_ip(request),
            )
            response = HttpResponse(content, content_type=kind)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return _admin_page(
            self, request, "licence_report", _("Licence report for the rights holder (2.2)"), form
        )


@admin.register(RegistrationNumber)
class RegistrationNumberAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "subscriber", "solution", "user_email", "assigned_on")
    list_filter = ("solution",)
    search_fields = ("number", "user_email", "subscriber__name", "subscriber__bin")
    autocomplete_fields = ("subscriber",)
    change_list_template = "admin/infobases/registrationnumber/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="infobases_numbers_import"), *super().get_urls()]

    @admin_view_permissions("add")
    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = NumbersImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                count = services.registration_numbers_import(
                    data=raw.decode("utf-8-sig"), actor=request.user
                )
            except UnicodeDecodeError:
                form.add_error("file", _("The file must be UTF-8 text."))
            except ValidationError as error:
                form.add_error("file", error)
            else:
                self.message_user(request, _("Imported: %(count)s.") % {"count": count})
                return redirect(reverse("admin:infobases_registrationnumber_changelist"))
        return _admin_page(
            self, request, "numbers_import", _("Import registration numbers (2.3)"), form
        )

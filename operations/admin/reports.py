"""Admin for the monthly compensation reports: request one, watch its progress, download it."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from onebuh import files
from onebuh.admin_mixins import admin_view_permissions
from onebuh.dates import month_start
from subscribers.audit import audit_record, client_ip
from subscribers.audit_actions import AuditAction

from ..models import CompensationReport, ReportStatus
from ..services import report_request
from ..services.reports import report_rebuild

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportForm(forms.ModelForm):
    class Meta:
        model = CompensationReport
        fields = ["month", "format"]
        help_texts = {"month": _("Any day of the month: credits made in that month.")}

    def clean_month(self):
        return month_start(self.cleaned_data["month"])


@admin.register(CompensationReport)
class CompensationReportAdmin(admin.ModelAdmin):
    form = ReportForm
    list_display = (
        "__str__",
        "status",
        "progress_bar",
        "rows",
        "created_at",
        "requested_by",
        "download",
    )
    list_filter = ("status", "format")
    readonly_fields = (
        "month",
        "format",
        "status",
        "progress_bar",
        "rows",
        "error",
        "requested_by",
        "created_at",
        "finished_at",
        "download",
    )
    exclude = ("file", "progress")
    change_form_template = "admin/operations/report_change_form.html"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["month", "format"]
        return list(self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    actions = ["rebuild"]

    def has_change_permission(self, request, obj=None):
        return False  # A report is requested, built and downloaded, never edited.

    @admin.action(description=_("Build the failed reports again"), permissions=["add"])
    def rebuild(self, request, queryset):
        count = sum(
            report_rebuild(report=report, actor=request.user)
            for report in queryset.filter(status=ReportStatus.FAILED)
        )
        self.message_user(request, _("Queued again: %(count)s.") % {"count": count})

    @admin.display(description=_("progress"))
    def progress_bar(self, obj):
        return format_html(
            '<progress max="100" value="{}" data-report-status="{}" data-report-progress="{}">'
            "{}%</progress> {}%",
            obj.progress,
            obj.status,
            reverse("admin:operations_compensationreport_progress", args=[obj.pk]),
            obj.progress,
            obj.progress,
        )

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj.status != ReportStatus.READY:
            return "—"
        url = reverse("admin:operations_compensationreport_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def save_model(self, request, obj, form, change):
        report = report_request(
            month=form.cleaned_data["month"], format=form.cleaned_data["format"], actor=request.user
        )
        obj.pk = report.pk

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:operations_compensationreport_change", obj.pk)

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="operations_compensationreport_download",
            ),
            path(
                "<int:pk>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="operations_compensationreport_progress",
            ),
            *super().get_urls(),
        ]

    @admin_view_permissions("operations.download_compensationreport")
    def download_view(self, request, pk):
        # The accountant's right: reports hold every subscriber's compensation.
        if not request.user.has_perm("operations.download_compensationreport"):
            raise PermissionDenied
        report = get_object_or_404(CompensationReport, pk=pk, status=ReportStatus.READY)
        if not report.file:
            raise Http404
        audit_record(
            action=AuditAction.REPORT_DOWNLOAD,
            actor=request.user,
            target=report,
            data={"report": "compensation", "month": f"{report.month:%Y-%m}"},
            ip=client_ip(request),
        )
        return files.download_response(
            alias="default",
            name=report.file.name,
            filename=f"compensation-{report.month:%Y-%m}.{report.format}",
            content_type=CONTENT_TYPES[report.format],
        )

    @admin_view_permissions("view")
    def progress_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = get_object_or_404(CompensationReport, pk=pk)
        return JsonResponse(
            {
                "status": report.status,
                "progress": report.progress,
                "download": reverse("admin:operations_compensationreport_download", args=[pk])
                if report.status == ReportStatus.READY
                else None,
            }
        )

"""Admin for claims (decide), proposals (compute, credit) and credits (read-only)."""

from datetime import timedelta
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from onebuh.admin_mixins import ReadOnlyAdminMixin, admin_view_permissions
from onebuh.dates import month_start

from ..models import (
    ClaimStatus,
    CompensationClaim,
    CompensationCredit,
    CompensationProposal,
    ProposalLine,
    RejectReason,
)
from ..services import claim_approve, claim_reject, operator_downtime
from ..services.proposals import (
    month_is_over,
    proposal_build_request,
    proposal_credit_request,
    proposal_line_adjust,
    proposal_line_credit,
)
from ..templatetags.operations_tags import hours_minutes


def _done_or_form_errors(form, action) -> bool:
    """Run a service for a decision page; its refusal is shown on the form, not as a 500."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False
    return True


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    hours = forms.IntegerField(label=_("approved hours"), min_value=0, max_value=24, required=False)
    minutes = forms.IntegerField(
        label=_("approved minutes"), min_value=0, max_value=59, required=False
    )
    reject_reason = forms.ChoiceField(
        label=_("rejection reason"), choices=[("", "—"), *RejectReason.choices], required=False
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the approved downtime differs from the claim (9.2)."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "approve":
            cleaned["downtime"] = timedelta(
                hours=cleaned.get("hours") or 0, minutes=cleaned.get("minutes") or 0
            )
        elif cleaned.get("decision") == "reject" and not cleaned.get("reject_reason"):
            self.add_error("reject_reason", _("Choose the reason of the rejection (9.5)."))
        return cleaned


@admin.register(CompensationClaim)
class CompensationClaimAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "subscriber",
        "downtime_date",
        "claimed",
        "operator_on_date",
        "status",
        "created_at",
    )
    list_filter = ("status", "month")
    search_fields = ("subscriber__name", "subscriber__person_full_name", "subscriber__bin")
    list_select_related = ("subscriber",)
    readonly_fields = [f.name for f in CompensationClaim._meta.fields]
    change_form_template = "admin/operations/claim_change_form.html"

    @admin.display(description=_("claimed, h:min"))
    def claimed(self, obj):
        return hours_minutes(obj.claimed_downtime)

    @admin.display(description=_("operator's data that day, h:min"))
    def operator_on_date(self, obj):
        return hours_minutes(obj.operator_downtime_on_date)

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="operations_compensationclaim_decide",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "decide_url": reverse("admin:operations_compensationclaim_decide", args=[object_id]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin_view_permissions("operations.decide_compensationclaim")
    def decide_view(self, request, pk):
        if not request.user.has_perm("operations.decide_compensationclaim"):
            raise PermissionDenied
        claim = get_object_or_404(
            CompensationClaim.objects.select_related("subscriber", "ticket"), pk=pk
        )
        on_date, in_month = operator_downtime(
            subscriber_id=claim.subscriber_id, day=claim.downtime_date
        )
        hours, rest = divmod(int(claim.claimed_downtime.total_seconds()) // 60, 60)
        form = ClaimDecisionForm(
            request.POST or None, initial={"decision": "approve", "hours": hours, "minutes": rest}
        )
        if request.method == "POST" and claim.status == ClaimStatus.PENDING and form.is_valid():
            data = form.cleaned_data
            if data["decision"] == "approve":
                decide = partial(
                    claim_approve,
                    claim=claim,
                    downtime=data["downtime"],
                    note=data["note"],
                    actor=request.user,
                )
            else:
                decide = partial(
                    claim_reject,
                    claim=claim,
                    reason=data["reject_reason"],
                    note=data["note"],
                    actor=request.user,
                )
            if _done_or_form_errors(form, decide):
                self.message_user(request, _("The decision is recorded."), messages.SUCCESS)
                return redirect("admin:operations_compensationclaim_change", claim.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Decide %(claim)s") % {"claim": claim},
            "claim": claim,
            "form": form,
            "operator_on_date": on_date,
            "operator_in_month": in_month,
        }
        return TemplateResponse(request, "admin/operations/claim_decide.html", context)


class LineAdjustForm(forms.Form):
    hours = forms.IntegerField(label=_("hours"), min_value=0, max_value=744)
    minutes = forms.IntegerField(label=_("minutes"), min_value=0, max_value=59)
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the downtime exceeds the operator's own figure (9.2)."),
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["downtime"] = timedelta(
            hours=cleaned.get("hours") or 0, minutes=cleaned.get("minutes") or 0
        )
        return cleaned


def _line_adjust_link(line) -> str:
    if hasattr(line, "credit"):
        return _("credited")
    url = reverse("admin:operations_proposalline_adjust", args=[line.pk])
    return format_html('<a href="{}">{}</a>', url, _("change"))


class ProposalLineInline(admin.TabularInline):
    model = ProposalLine
    fields = (
        "subscriber",
        "operator_hours",
        "downtime_hours",
        "hours",
        "percent",
        "monthly_fee",
        "already_credited",
        "amount_due",
        "note",
        "adjust",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0
    show_change_link = False

    # A month's total as "123:30", not Django's "5 days, 3:30:00" (English, and the days hide
    # the hours the percent is counted from).
    @admin.display(description=_("Compensable downtime, h:min"))
    def downtime_hours(self, obj):
        return hours_minutes(obj.downtime)

    @admin.display(description=_("Operator's figure, h:min"))
    def operator_hours(self, obj):
        return hours_minutes(obj.operator_downtime)

    @admin.display(description=_("before crediting"))
    def adjust(self, obj):
        return _line_adjust_link(obj)

    def get_queryset(self, request):
        # The page shows the largest dues; the whole list is under "proposal lines".
        return (
            super()
            .get_queryset(request)
            .select_related("subscriber", "credit")
            .order_by("-amount_due")
        )

    def has_add_permission(self, request, obj=None):
        return False


class ProposalForm(forms.ModelForm):
    class Meta:
        model = CompensationProposal
        fields = ["month"]
        help_texts = {"month": _("Any day of the month to compute.")}

    def clean_month(self):
        return month_start(self.cleaned_data["month"])


@admin.register(CompensationProposal)
class CompensationProposalAdmin(admin.ModelAdmin):
    form = ProposalForm
    list_display = ("__str__", "status", "built_at", "line_count", "total_due", "lines_link")
    readonly_fields = ("status", "built_at", "created_by", "created_at")
    actions = ["recompute", "credit"]
    # The lines are seen on the proposal's page before anything is credited (largest dues first).
    inlines = [ProposalLineInline]

    def get_inline_instances(self, request, obj=None):
        # The add page computes a new proposal: it has no lines yet.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_lines=Count("lines"), _due=Sum("lines__amount_due"))
        )

    @admin.display(description=_("lines"))
    def line_count(self, obj):
        return obj._lines

    @admin.display(description=_("total due"))
    def total_due(self, obj):
        return obj._due or 0

    @admin.display(description=_("all lines"))
    def lines_link(self, obj):
        url = reverse("admin:operations_proposalline_changelist") + f"?proposal__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("open"))

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Computed by the task (10,000 subscribers take seconds): the row is its build.
        proposal_build_request(month=form.cleaned_data["month"], actor=request.user)

    def log_addition(self, request, obj, message):
        pass  # The build writes its own audit row; the row does not exist yet here.

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, _("The proposal is being computed."), messages.INFO)
        return redirect("admin:operations_compensationproposal_changelist")

    # Computing again is building a proposal: the right to add one (the change right is
    # nobody's, proposals are only rebuilt).
    @admin.action(description=_("Compute the selected proposals again"), permissions=["add"])
    def recompute(self, request, queryset):
        for proposal in queryset:
            proposal_build_request(month=proposal.month, actor=request.user)
        self.message_user(request, _("The proposals are being computed."), messages.INFO)

    @admin.action(
        description=_("Credit the selected proposals as bonuses"),
        permissions=["credit"],
    )
    def credit(self, request, queryset):
        for proposal in queryset:
            if not month_is_over(proposal.month):
                self.message_user(
                    request,
                    _("The month is not over yet: credit its compensation after it ends."),
                    messages.ERROR,
                )
                return
        for proposal in queryset:
            proposal_credit_request(proposal=proposal, actor=request.user)
        self.message_user(request, _("The compensation is being credited."), messages.INFO)

    def has_credit_permission(self, request):
        return request.user.has_perm("operations.credit_compensationproposal")


@admin.register(ProposalLine)
class ProposalLineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "subscriber",
        "proposal",
        "hours",
        "percent",
        "monthly_fee",
        "already_credited",
        "amount_due",
        "credited",
    )
    list_filter = ("proposal",)
    list_select_related = ("subscriber", "proposal", "credit")
    readonly_fields = ("operator_downtime", "adjusted_by", "adjusted_at")
    search_fields = ("subscriber__name", "subscriber__person_full_name", "subscriber__bin")
    actions = ["credit_lines"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/adjust/",
                self.admin_site.admin_view(self.adjust_view),
                name="operations_proposalline_adjust",
            ),
            *super().get_urls(),
        ]

    # Who may credit decides the figure that is credited (README: the accountant).
    @admin_view_permissions("operations.credit_compensationproposal")
    def adjust_view(self, request, pk):
        line = get_object_or_404(
            ProposalLine.objects.select_related("subscriber", "proposal", "credit"), pk=pk
        )
        credited = hasattr(line, "credit")
        hours, rest = divmod(int(line.downtime.total_seconds()) // 60, 60)
        form = LineAdjustForm(
            request.POST or None, initial={"hours": hours, "minutes": rest, "note": line.note}
        )
        if request.method == "POST" and not credited and form.is_valid():
            data = form.cleaned_data
            adjust = partial(
                proposal_line_adjust,
                line=line,
                downtime=data["downtime"],
                note=data["note"],
                actor=request.user,
            )
            if _done_or_form_errors(form, adjust):
                self.message_user(request, _("The line is changed."), messages.SUCCESS)
                return redirect("admin:operations_compensationproposal_change", line.proposal_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Change the line: %(subscriber)s") % {"subscriber": line.subscriber},
            "line": line,
            "operator": line.operator_downtime
            if line.operator_downtime is not None
            else line.downtime,
            "credited": credited,
            "form": form,
        }
        return TemplateResponse(request, "admin/operations/proposal_line_adjust.html", context)

    @admin.display(description=_("credited"), boolean=True)
    def credited(self, obj):
        return hasattr(obj, "credit")

    @admin.action(description=_("Credit the selected lines as bonuses"), permissions=["credit"])
    def credit_lines(self, request, queryset):
        credited = 0
        try:
            for line in queryset.select_related("proposal"):
                credited += proposal_line_credit(line=line, actor=request.user) is not None
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request, _("Credited: %(count)s.") % {"count": credited}, messages.SUCCESS
        )

    def has_credit_permission(self, request):
        return request.user.has_perm("operations.credit_compensationproposal")


@admin.register(CompensationCredit)
class CompensationCreditAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "subscriber",
        "month",
        "source",
        "hours",
        "percent",
        "monthly_fee",
        "amount",
        "credited_at",
    )
    list_filter = ("source", "month")
    list_select_related = ("subscriber",)
    search_fields = ("subscriber__name", "subscriber__person_full_name", "source_key")
    date_hierarchy = "credited_at"

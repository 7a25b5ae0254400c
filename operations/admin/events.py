"""Admin for technical works and incidents: staff record them; services apply the 6.2 rules."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Component, Incident, StatusSubscription, TechnicalWork
from ..services import (
    incident_record,
    incident_update,
    technical_work_announce,
    technical_work_cancel,
    technical_work_update,
    work_schedule_errors,
)


class ComponentsFormMixin(forms.ModelForm):
    components = forms.MultipleChoiceField(
        label=_("affected components"),
        choices=Component.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        if not (
            cleaned.get("affects_all") or cleaned.get("subscribers") or cleaned.get("solutions")
        ):
            self.add_error(
                "subscribers", _("Select the affected subscribers, or mark it as affecting all.")
            )
        return cleaned


class TechnicalWorkForm(ComponentsFormMixin):
    class Meta:
        model = TechnicalWork
        fields = [
            "kind",
            "title",
            "description",
            "components",
            "affects_all",
            "subscribers",
            "solutions",
            "starts_at",
            "ends_at",
        ]
        widgets = {"solutions": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        kind = cleaned.get("kind") or instance.kind
        now = timezone.now()
        if instance.pk and instance.cancelled_at:
            raise ValidationError(_("A cancelled work cannot be changed."))
        rescheduled = not instance.pk or (instance.starts_at, instance.ends_at) != (
            starts_at,
            ends_at,
        )
        # A work already under way keeps its announcement; only a new time is checked anew.
        if rescheduled and (not instance.pk or instance.starts_at > now):
            for error in work_schedule_errors(
                kind=kind, starts_at=starts_at, ends_at=ends_at, announced_at=now
            ):
                self.add_error(None, error)
        return cleaned


@admin.register(TechnicalWork)
class TechnicalWorkAdmin(admin.ModelAdmin):
    form = TechnicalWorkForm
    list_display = ("title", "kind", "starts_at", "ends_at", "components_list", "state")
    list_filter = ("kind", "affects_all")
    search_fields = ("title", "description")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("subscribers",)
    readonly_fields = (
        "announced_at",
        "reminder_sent_at",
        "cancelled_at",
        "revision",
        "created_by",
        "created_at",
    )
    actions = ["cancel_works"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "kind"] if obj is not None else fields

    @admin.display(description=_("components"))
    def components_list(self, obj):
        return obj.get_components_display()

    @admin.display(description=_("state"))
    def state(self, obj):
        now = timezone.now()
        if obj.cancelled_at:
            return _("Cancelled")
        if obj.starts_at > now:
            return _("Announced")
        return _("Under way") if obj.is_ongoing(now) else _("Finished")

    def save_model(self, request, obj, form, change):
        service = technical_work_update if change else technical_work_announce
        service(
            work=obj,
            subscribers=form.cleaned_data.get("subscribers", []),
            solutions=form.cleaned_data.get("solutions", []),
            actor=request.user,
        )

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)  # M2M set by the service.

    @admin.action(
        description=_("Cancel the selected works that have not started"), permissions=["change"]
    )
    def cancel_works(self, request, queryset):
        cancelled = sum(technical_work_cancel(work=w, actor=request.user) for w in queryset)
        self.message_user(
            request,
            ngettext("%(count)d work cancelled.", "%(count)d works cancelled.", cancelled)
            % {"count": cancelled},
            messages.SUCCESS,
        )


class IncidentForm(ComponentsFormMixin):
    class Meta:
        model = Incident
        fields = [
            "title",
            "level",
            "fault",
            "cause",
            "description",
            "components",
            "affects_all",
            "subscribers",
            "starts_at",
            "ends_at",
            "tickets",
        ]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and starts_at > timezone.now():
            self.add_error(
                "starts_at",
                _("An incident is recorded on the fact: its start cannot be in the future."),
            )
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end of the incident must be after its start."))
        return cleaned


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    form = IncidentForm
    list_display = ("title", "level", "fault", "starts_at", "ends_at", "components_list")
    list_filter = ("level", "fault", "affects_all")
    search_fields = ("title", "cause", "description")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("subscribers",)
    raw_id_fields = ("tickets",)
    readonly_fields = ("created_by", "created_at")

    @admin.display(description=_("components"))
    def components_list(self, obj):
        return obj.get_components_display()

    def save_model(self, request, obj, form, change):
        service = incident_update if change else incident_record
        service(
            incident=obj,
            subscribers=form.cleaned_data.get("subscribers", []),
            tickets=form.cleaned_data.get("tickets", []),
            actor=request.user,
        )

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)  # M2M set by the service.


@admin.register(StatusSubscription)
class StatusSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "created_at", "confirmed_at")
    search_fields = ("email",)
    readonly_fields = ("email", "created_at", "confirmed_at")

    def has_add_permission(self, request):
        return False

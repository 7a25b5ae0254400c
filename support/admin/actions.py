"""Bulk actions of the ticket queue: assign to me, assign to someone, accept into work. Each
ticket goes through its service (locked, checked, audited); a refusal of one is reported and the
others go on."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from subscribers.models import User

from ..services import ticket_accept, ticket_assign


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_staff=True, is_active=True).order_by("full_name", "email")
        if user.partner_firm_id is not None and not user.is_superuser:
            staff = staff.filter(partner_firm_id=user.partner_firm_id)
        self.fields["assignee"].queryset = staff
        self.fields["assignee"].label_from_instance = lambda u: u.full_name or u.email


class TicketActionsMixin:
    def _each(self, request, queryset, call, done_message):
        done, refused = 0, []
        for ticket in queryset.select_related("subscriber"):
            try:
                call(ticket)
            except ValidationError as error:
                refused.append(f"#{ticket.pk}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        if refused:
            self.message_user(request, "; ".join(refused), messages.ERROR)

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda t: ticket_assign(
                ticket=t, actor=request.user, assignee=request.user, partner_firm=t.partner_firm
            ),
            lambda n: (
                ngettext("%(count)d ticket assigned.", "%(count)d tickets assigned.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Assign to…"), permissions=["change"])
    def assign_to(self, request, queryset):
        form = AssignForm(request.POST if "assignee" in request.POST else None, user=request.user)
        if form.is_bound and form.is_valid():
            assignee = form.cleaned_data["assignee"]
            self._each(
                request,
                queryset,
                lambda t: ticket_assign(
                    ticket=t, actor=request.user, assignee=assignee, partner_firm=t.partner_firm
                ),
                lambda n: (
                    ngettext("%(count)d ticket assigned.", "%(count)d tickets assigned.", n)
                    % {"count": n}
                ),
            )
            return None
        return TemplateResponse(
            request,
            "admin/support/ticket/assign.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Assign tickets"),
                "form": form,
                "tickets": queryset,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            },
        )

    @admin.action(description=_("Accept into work"), permissions=["change"])
    def accept(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda t: ticket_accept(ticket=t, actor=request.user),
            lambda n: (
                ngettext(
                    "%(count)d ticket accepted into work.",
                    "%(count)d tickets accepted into work.",
                    n,
                )
                % {"count": n}
            ),
        )

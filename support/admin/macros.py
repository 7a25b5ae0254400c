"""Macros in the admin: the list staff edit, and on a ticket the picker, the preview of the
rendered reply and the one click that applies reply, status and assignee."""

import hashlib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onebuh.admin_mixins import admin_view_permissions
from subscribers.admin_audit import AuditedAdminMixin

from .. import macros
from ..models import Macro, MacroAssignee, MacroStatus
from ..services import macro_assignee_for, macro_render, ticket_macro_apply


def placeholder_help():
    rows = format_html_join(
        "",
        "<li><code>{{{}}}</code> / <code>{{{}}}</code> — {}</li>",
        ((p.name, p.alias, p.description) for p in macros.PLACEHOLDERS),
    )
    return format_html("{}<ul>{}</ul>", Macro._meta.get_field("body").help_text, rows)


class MacroForm(forms.ModelForm):
    class Meta:
        model = Macro
        fields = (
            "name",
            "body",
            "set_status",
            "assignee_rule",
            "assignee",
            "is_active",
            "sort_order",
        )
        widgets = {"body": forms.Textarea(attrs={"rows": 10, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = placeholder_help()


@admin.register(Macro)
class MacroAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = MacroForm
    list_display = ("name", "set_status", "assignee_rule", "assignee", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")
    list_filter = ("is_active", "set_status", "assignee_rule")
    search_fields = ("name", "body")
    autocomplete_fields = ("assignee",)


class MacroChoiceForm(forms.Form):
    macro = forms.ModelChoiceField(
        label=gettext_lazy("Macro"),
        queryset=Macro.objects.filter(is_active=True),
        empty_label=gettext_lazy("— choose a macro —"),
        error_messages={
            "required": gettext_lazy("Choose a macro."),
            "invalid_choice": gettext_lazy("There is no such macro, or it is switched off."),
        },
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class TicketMacroViews:
    """Mixed into the ticket admin (needs `_ticket`, `_render`, `_back`)."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/macro/", wrap(self.macro_view), name="support_ticket_macro"),
            *super().get_urls(),
        ]

    @admin_view_permissions("change")
    def macro_view(self, request, pk):
        """GET ?macro=<id>: the preview (what is sent, which status and assignee follow);
        POST: apply. A macro changed since its preview is shown again, not sent."""
        ticket = self._ticket(request, pk)
        form = MacroChoiceForm(request.POST if request.method == "POST" else request.GET)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["macro"]))
            return redirect("admin:support_ticket_reply", ticket.pk)
        macro = form.cleaned_data["macro"]
        text = macro_render(macro=macro, ticket=ticket, actor=request.user)
        if request.method == "POST":
            # The digest of what the preview showed (a hidden field would carry the text with
            # its line breaks rewritten by the browser).
            if request.POST.get("digest") != _digest(text):
                messages.warning(
                    request, _("The macro or the ticket changed since the preview: check it again.")
                )
            else:
                try:
                    ticket_macro_apply(ticket=ticket, macro=macro, actor=request.user)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(
                        request, _("The macro «%(name)s» is applied.") % {"name": macro.name}
                    )
                    return self._back(ticket)
        assignee = macro_assignee_for(macro=macro, ticket=ticket, actor=request.user)
        return self._render(
            request,
            "macro_preview.html",
            ticket,
            title=_("Macro «%(name)s» on ticket #%(number)s")
            % {"name": macro.name, "number": ticket.pk},
            macro=macro,
            text=text,
            digest=_digest(text),
            status_label=(MacroStatus(macro.set_status).label if macro.set_status else None),
            assignee=assignee,
            assignee_changes=macro.assignee_rule != MacroAssignee.UNCHANGED,
            to=ticket.contact_email,
            conversation=ticket.messages.select_related("author").order_by("created_at", "id"),
            edit_url=f"{reverse('admin:support_ticket_reply', args=[ticket.pk])}?macro={macro.pk}",
            picker=MacroChoiceForm(initial={"macro": macro.pk}),
        )

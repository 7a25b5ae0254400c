"""The staff's actions on a ticket as admin views: reply or note (with article links; a macro's
text can be taken in to edit), accept, defer or refuse (section 8), close, register a phone call, the SLA report."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onebuh.admin_mixins import admin_view_permissions
from onebuh.dates import month_start, next_month_start, previous_month_start
from onebuh.exports import Sheet, csv_bytes, xlsx_bytes
from onebuh.replica import reports_replica
from subscribers.audit import audit_record, client_ip
from subscribers.audit_actions import AuditAction
from subscribers.models import Subscriber

from ..attachments import attachment_response
from ..models import Channel, TicketAttachment
from ..selectors import sla_report, sla_report_columns, sla_report_values
from ..services import (
    macro_render,
    ticket_accept,
    ticket_close,
    ticket_defer,
    ticket_note,
    ticket_open,
    ticket_refuse,
    ticket_reply,
)
from .forms import DecisionForm, PhoneCallForm, StaffReplyForm
from .macros import MacroChoiceForm


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


class TicketAdminViews:
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("phone/", wrap(self.phone_view), name="support_ticket_phone"),
            path("sla-report/", wrap(self.report_view), name="support_ticket_sla_report"),
            path("<int:pk>/reply/", wrap(self.reply_view), name="support_ticket_reply"),
            path("<int:pk>/decision/", wrap(self.decision_view), name="support_ticket_decision"),
            path(
                "<int:pk>/accept/",
                wrap(require_POST(self.accept_view)),
                name="support_ticket_accept",
            ),
            path(
                "<int:pk>/close/", wrap(require_POST(self.close_view)), name="support_ticket_close"
            ),
            path(
                "attachments/<int:pk>/",
                wrap(self.attachment_view),
                name="support_ticket_attachment",
            ),
            *super().get_urls(),
        ]

    def _ticket(self, request, pk):
        ticket = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, ticket):
            raise PermissionDenied
        return ticket

    @admin_view_permissions("view")
    def attachment_view(self, request, pk):
        """Staff read a ticket's files here (they are never served from a public URL): only of
        tickets this person may see (a consultant: their firm's), and each download is audited."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        attachment = get_object_or_404(
            TicketAttachment.objects.select_related("message__ticket"),
            pk=pk,
            message__ticket__in=self.get_queryset(request),
        )
        ticket = attachment.message.ticket
        audit_record(
            action=AuditAction.ATTACHMENT_DOWNLOAD,
            subscriber=ticket.subscriber,
            actor=request.user,
            target=attachment,
            data={"ticket": ticket.pk},
            ip=client_ip(request),
        )
        return attachment_response(attachment)

    def _back(self, ticket):
        return redirect(reverse("admin:support_ticket_change", args=[ticket.pk]))

    def _render(self, request, template, ticket, **context):
        return TemplateResponse(
            request,
            f"admin/support/ticket/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": ticket,
                "title": ticket and str(ticket),
                **context,
            },
        )

    @admin_view_permissions("change")
    def reply_view(self, request, pk):
        ticket = self._ticket(request, pk)
        form = StaffReplyForm(
            request.POST or None,
            request.FILES or None,
            initial={"text": self._macro_text(request, ticket)},
        )
        if request.method == "POST" and form.is_valid():
            text = form.compose(site_url=settings.SITE_URL)
            files = form.cleaned_data["attachments"]
            try:
                if form.cleaned_data["internal"]:
                    ticket_note(ticket=ticket, author=request.user, text=text, attachments=files)
                else:
                    ticket_reply(ticket=ticket, author=request.user, text=text, attachments=files)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("The message is added."))
                return self._back(ticket)
        conversation = ticket.messages.select_related("author").order_by("created_at", "id")
        return self._render(
            request,
            "reply.html",
            ticket,
            form=form,
            conversation=conversation,
            macro_picker=MacroChoiceForm() if ticket.is_open else None,
        )

    def _macro_text(self, request, ticket) -> str:
        """A macro's rendered text to start from ("Edit the text" on its preview)."""
        form = MacroChoiceForm(request.GET if "macro" in request.GET else None)
        if request.method != "GET" or not form.is_bound or not form.is_valid():
            return ""
        return macro_render(macro=form.cleaned_data["macro"], ticket=ticket, actor=request.user)

    @admin_view_permissions("change")
    def decision_view(self, request, pk):
        ticket = self._ticket(request, pk)
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            decide = ticket_defer if data["decision"] == DecisionForm.DEFER else ticket_refuse
            try:
                decide(
                    ticket=ticket,
                    actor=request.user,
                    reason=data["reason"],
                    explanation=data["explanation"],
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("The decision is sent to the subscriber."))
                return self._back(ticket)
        return self._render(request, "decision.html", ticket, form=form)

    @admin_view_permissions("change")
    def accept_view(self, request, pk):
        ticket = self._ticket(request, pk)
        try:
            ticket_accept(ticket=ticket, actor=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The ticket is accepted into work."))
        return self._back(ticket)

    @admin_view_permissions("change")
    def close_view(self, request, pk):
        ticket = self._ticket(request, pk)
        try:
            ticket_close(ticket=ticket, actor=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The ticket is closed."))
        return self._back(ticket)

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:support_ticket_phone")

    @admin_view_permissions("add")
    def phone_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        subscribers = self.admin_site._registry[Subscriber].get_queryset(request)
        form = PhoneCallForm(request.POST or None, subscribers=subscribers)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                ticket = ticket_open(
                    subscriber=data["subscriber"],
                    opened_by=None,
                    channel=Channel.PHONE,
                    category=data["category"],
                    subject=data["subject"],
                    text=data["text"],
                    actor=request.user,
                    sender_name=data["caller_name"],
                    sender_phone=data["caller_phone"],
                )
            except ValidationError as error:
                # A refusal of the service (a quota, a channel) is shown on the form; nothing
                # was saved (ticket_open is atomic).
                form.add_error(None, error)
            else:
                messages.success(request, _("The call is registered as a ticket."))
                return self._back(ticket)
        return self._render(
            request,
            "phone.html",
            None,
            form=form,
            title=_("Register a phone call"),
            media=form.media,
        )

    @admin_view_permissions("view")
    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            year, number = request.GET.get("month", "").split("-")
            month = datetime.date(int(year), int(number), 1)
        except ValueError:
            month = month_start(today)
        previous = previous_month_start(month)
        following = next_month_start(month)
        with reports_replica():
            rows = sla_report(month=month, tickets=self.get_queryset(request))
        export = request.GET.get("format")
        if export in ("csv", "xlsx"):
            # Issue 13, item 7: who took which report (a consultant's covers only his firm).
            audit_record(
                action=AuditAction.REPORT_DOWNLOAD,
                actor=request.user,
                data={"report": "sla", "month": f"{month:%Y-%m}", "format": export},
                ip=client_ip(request),
            )
            return self._sla_export(month, rows, export)
        return self._render(
            request,
            "sla_report.html",
            None,
            title=_("SLA report"),
            month=month,
            previous=previous,
            following=following if following <= today else None,
            rows=rows,
        )

    def _sla_export(self, month, rows, export):
        values = [sla_report_values(row) for row in rows]
        name = f"sla-{month:%Y-%m}.{export}"
        if export == "csv":
            body, kind = csv_bytes(values, header=sla_report_columns()), "text/csv; charset=utf-8"
        else:
            body = xlsx_bytes(
                [
                    Sheet(
                        title=month.strftime("%m.%Y"),
                        title_lines=[_("SLA report for %(month)s") % {"month": f"{month:%m.%Y}"}],
                        header=sla_report_columns(),
                        rows=values,
                        column_widths={0: 30, 1: 24, 2: 28, 6: 18, 7: 18},
                    )
                ]
            )
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

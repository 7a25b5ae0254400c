"""The desk's queues in the ticket changelist: views (mine, unassigned, about to breach, overdue,
all open), the SLA badge, filters without DISTINCT over the tickets table, the search that
uses the trigram indexes, and the bulk actions (Zammad's overviews, Zendesk's views)."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from subscribers.models import PartnerFirm, Subscriber, User

from .. import sla
from ..models import OPEN_STATUSES, TicketStatus

OPEN = [status.value for status in OPEN_STATUSES]
# Search: how many subscribers a name may match before the term is treated as a subject only.
SUBSCRIBER_MATCHES = 500


def waiting_for_reaction() -> Q:
    return Q(status__in=OPEN, reacted_at__isnull=True)


class QueueFilter(admin.SimpleListFilter):
    """The desk's views. Without a choice the queue shows all open tickets; closed and refused
    ones appear only when asked for ("all tickets", or a status filter)."""

    title = _("queue")
    parameter_name = "queue"
    MINE, UNASSIGNED, SOON, OVERDUE, OPEN, ALL = (
        "mine",
        "unassigned",
        "soon",
        "overdue",
        "open",
        "all",
    )

    def __init__(self, request, params, model, model_admin):
        self.status_asked = any(key.startswith("status") for key in params)
        self.user = request.user
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [
            (self.MINE, _("My open")),
            (self.UNASSIGNED, _("Unassigned")),
            (self.SOON, _("About to breach")),
            (self.OVERDUE, _("Overdue")),
            (self.OPEN, _("All open")),
            (self.ALL, _("All tickets")),
        ]

    def choices(self, changelist):
        current = self.value() or (None if self.status_asked else self.OPEN)
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value()
        now = timezone.now()
        if value is None:
            return queryset if self.status_asked else queryset.filter(status__in=OPEN)
        if value == self.MINE:
            return queryset.filter(status__in=OPEN, assignee=request.user)
        if value == self.UNASSIGNED:
            return queryset.filter(status__in=OPEN, assignee__isnull=True)
        if value == self.SOON:
            # 75% of the reaction time is used (the warning moment) and the deadline is ahead.
            return queryset.filter(
                waiting_for_reaction(), warning_at__lte=now, reaction_due_at__gt=now
            )
        if value == self.OVERDUE:
            return queryset.filter(waiting_for_reaction(), reaction_due_at__lte=now)
        if value == self.OPEN:
            return queryset.filter(status__in=OPEN)
        return queryset


class AssigneeFilter(admin.SimpleListFilter):
    """Staff people from the users table (small), not a DISTINCT over the tickets."""

    title = _("assignee")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        staff = User.objects.filter(is_staff=True, is_active=True).order_by("full_name", "email")
        firm_id = request.user.partner_firm_id
        if firm_id is not None and not request.user.is_superuser:
            staff = staff.filter(partner_firm_id=firm_id)
        return [("none", _("nobody"))] + [
            (str(user.pk), user.full_name or user.email) for user in staff[:200]
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(assignee__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(assignee_id=int(self.value()))
        return queryset


class PartnerFirmFilter(admin.SimpleListFilter):
    title = _("partner firm")
    parameter_name = "partner"

    def lookups(self, request, model_admin):
        if request.user.partner_firm_id is not None and not request.user.is_superuser:
            return []  # a consultant's queue is their firm's already
        return [("none", _("operator"))] + [
            (str(firm.pk), firm.name) for firm in PartnerFirm.objects.order_by("name")
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(partner_firm__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(partner_firm_id=int(self.value()))
        return queryset


def search_tickets(queryset, term: str):
    """A number finds the ticket; words must each match the subject, the sender or the
    subscriber's name. Subscribers are looked up first (a small table) so the tickets' query is
    index scans only: trigram on the subject and sender, the subscriber key."""
    term = term.strip()
    if not term:
        return queryset
    number = term.lstrip("#")
    if number.isdigit():
        return queryset.filter(pk=int(number)) if len(number) < 10 else queryset.none()
    for word in term.split()[:5]:
        subscriber_ids = list(
            Subscriber.objects.filter(
                Q(name__icontains=word) | Q(person_full_name__icontains=word)
            ).values_list("pk", flat=True)[: SUBSCRIBER_MATCHES + 1]
        )
        condition = (
            Q(subject__icontains=word)
            | Q(sender_email__icontains=word)
            | Q(sender_name__icontains=word)
        )
        if len(subscriber_ids) <= SUBSCRIBER_MATCHES:
            condition |= Q(subscriber_id__in=subscriber_ids)
        queryset = queryset.filter(condition)
    return queryset


def sla_badge(ticket, now=None):
    """Time left to the reaction deadline in working hours, coloured: green while under 75% of
    the reaction time is used, amber after, red once overdue."""
    return sla_badges([ticket], now)[ticket.pk]


def sla_badges(tickets, now=None) -> dict:
    """`sla_badge` for a page of tickets: one clock reading and each text translated once."""
    now = now or timezone.now()
    reacted = format_html('<span class="sla sla-done">{}</span>', _("reacted"))
    overdue, due = str(_("overdue %(time)s")), str(_("reaction due %(deadline)s"))
    badges = {}
    for ticket in tickets:
        if ticket.reacted_at is not None:
            badges[ticket.pk] = reacted
            continue
        if ticket.status not in OPEN:
            badges[ticket.pk] = "—"
            continue
        left = sla.business_time(ticket.category, now, ticket.reaction_due_at)
        deadline = timezone.localtime(ticket.reaction_due_at).strftime("%d.%m %H:%M")
        if left.total_seconds() <= 0:
            colour, text = "red", overdue % {"time": sla.format_business_time(-left)}
        else:
            colour = "amber" if now >= ticket.warning_at else "green"
            text = sla.format_business_time(left)
        badges[ticket.pk] = format_html(
            '<span class="sla sla-{}" title="{}">{}</span>',
            colour,
            due % {"deadline": deadline},
            text,
        )
    return badges


def status_is_final(ticket) -> bool:
    return ticket.status in (TicketStatus.CLOSED, TicketStatus.REFUSED)

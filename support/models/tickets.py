"""Tickets, their conversation and the channel bookkeeping (4.2, 6, 8)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import PartnerFirm, Subscriber

from .catalog import SupportKind, WorkType


class Channel(models.TextChoices):
    """4.2: the only ways a request reaches the support desk; anything else is refused."""

    WEB = "web", _("Ticket system (control panel)")
    ONEC_FORM = "1c_form", _("Form in the 1C application")
    CONNECT = "connect", _("1C-Connect")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")


class Category(models.TextChoices):
    """6.1, 6.3, 6.4: each category has its reaction time and service period (support.sla)."""

    ACCESS = "access", _("Connection, disconnection, placement (6.1)")
    INCIDENT_1 = "incident_1", _("Incident, level 1: full inoperability (6.3)")
    INCIDENT_2 = "incident_2", _("Incident, level 2: partial inoperability (6.3)")
    INCIDENT_3 = "incident_3", _("Incident, level 3: reduced performance (6.3)")
    TECHNICAL = "technical", _("Technical support request (6.4)")
    METHODOLOGICAL = "methodological", _("Methodological support request (6.4)")
    INDIVIDUAL = "individual", _("Individual support request (6.4)")


# 6.4: methodological and individual requests are the partner's and count against the quotas.
PARTNER_CATEGORIES = (Category.METHODOLOGICAL, Category.INDIVIDUAL)


def kind_of_category(category: str) -> str:
    if category == Category.METHODOLOGICAL:
        return SupportKind.METHODOLOGICAL
    if category == Category.INDIVIDUAL:
        return SupportKind.INDIVIDUAL
    return SupportKind.TECHNICAL


class TicketStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the subscriber")
    DEFERRED = "deferred", _("Deferred")
    REFUSED = "refused", _("Refused")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (
    TicketStatus.NEW,
    TicketStatus.IN_PROGRESS,
    TicketStatus.WAITING,
    TicketStatus.DEFERRED,
)


class DecisionReason(models.TextChoices):
    """Section 8: why support is deferred (8.1) or refused (8.1–8.3)."""

    INSUFFICIENT_INFO = "insufficient_info", _("8.1: not enough information to diagnose")
    NOT_REPRODUCIBLE = "not_reproducible", _("8.1: cannot be reproduced on demo data")
    REQUIREMENTS_VIOLATED = (
        "requirements_violated",
        _("8.1: technical or licensing requirements are violated"),
    )
    NEEDS_RELEASE = "needs_release", _("8.1: needs diagnostics or a release by the rights holder")
    OUT_OF_SCOPE = "out_of_scope", _("8.1: outside the support desk's tasks")
    DEVELOPMENT = "development", _("8.2: design or development of 1C applications")
    BEYOND_FUNCTIONS = "beyond_functions", _("8.2: use beyond the service's functions")
    THIRD_PARTY = "third_party", _("8.2: failures of third-party software or systems")
    HARDWARE = "hardware", _("8.2: workstation hardware and networks")
    UNDOCUMENTED = "undocumented", _("8.3: use of undocumented features")
    LICENSE_VIOLATION = "license_violation", _("8.3: violation of the licence agreement")


# 8.1 is the only section that speaks of deferral ("may be deferred or even impossible").
DEFERRAL_REASONS = (
    DecisionReason.INSUFFICIENT_INFO,
    DecisionReason.NOT_REPRODUCIBLE,
    DecisionReason.REQUIREMENTS_VIOLATED,
    DecisionReason.NEEDS_RELEASE,
    DecisionReason.OUT_OF_SCOPE,
)


def _kind_matches_category():
    partner = [c.value for c in PARTNER_CATEGORIES]
    return (
        Q(category=Category.METHODOLOGICAL, kind=SupportKind.METHODOLOGICAL)
        | Q(category=Category.INDIVIDUAL, kind=SupportKind.INDIVIDUAL)
        | (~Q(category__in=partner) & Q(kind=SupportKind.TECHNICAL))
    )


class SenderCheck(models.TextChoices):
    """Whether the sender is who the message says (issue 11): an inbound email from a member's
    address that its server did not authenticate, or a 1C-Connect client not bound to a member,
    opens an unverified ticket that staff confirm or reject."""

    VERIFIED = "", _("Sender known")
    UNVERIFIED = "unverified", _("Sender not confirmed")
    CONFIRMED = "confirmed", _("Sender confirmed by staff")
    REJECTED = "rejected", _("Sender rejected by staff")


class Ticket(models.Model):
    """Обращение. Its pk is the number subscribers see and quote: [ONEbuh #<pk>]."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.PROTECT, related_name="tickets"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    kind = models.CharField(_("support kind"), max_length=20, choices=SupportKind.choices)
    work_type = models.ForeignKey(
        WorkType,
        verbose_name=_("work type"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    partner_firm = models.ForeignKey(
        PartnerFirm,
        verbose_name=_("partner firm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    subject = models.CharField(_("subject"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW
    )
    infobase = models.ForeignKey(
        "infobases.Infobase",
        verbose_name=_("infobase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    onec_user = models.CharField(_("1C user"), max_length=255, blank=True)
    onec_release = models.CharField(_("1C release"), max_length=100, blank=True)
    sender_name = models.CharField(_("sender's name"), max_length=255, blank=True)
    sender_email = models.EmailField(_("sender's email"), blank=True)
    sender_phone = models.CharField(_("sender's phone"), max_length=32, blank=True)
    connect_dialog_id = models.CharField(_("1C-Connect dialog"), max_length=100, blank=True)
    # A dialog stays with the client that opened it: another client's message never appends.
    connect_client = models.ForeignKey(
        "support.ConnectClient",
        verbose_name=_("1C-Connect client"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    sender_check = models.CharField(
        _("sender check"), max_length=12, choices=SenderCheck.choices, blank=True, default=""
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    reaction_due_at = models.DateTimeField(_("reaction due at"))
    warning_at = models.DateTimeField(_("SLA warning at"))
    reacted_at = models.DateTimeField(_("reacted at"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warning sent at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("SLA breached at"), null=True, blank=True)
    decision_reason = models.CharField(
        _("reason (section 8)"), max_length=30, choices=DecisionReason.choices, blank=True
    )
    decision_explanation = models.TextField(_("explanation"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="ticket_kind_matches_category", condition=_kind_matches_category()
            ),
            # 4.1: partner firms answer only methodological and individual requests.
            models.CheckConstraint(
                name="ticket_partner_only_for_partner_kinds",
                condition=Q(partner_firm__isnull=True)
                | Q(category__in=[c.value for c in PARTNER_CATEGORIES]),
            ),
            models.CheckConstraint(
                name="ticket_rating_1_to_5",
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
            ),
            # Section 8: a deferral or a refusal always names its reason.
            models.CheckConstraint(
                name="ticket_decision_has_reason",
                condition=~Q(status__in=[TicketStatus.DEFERRED, TicketStatus.REFUSED])
                | ~Q(decision_reason=""),
            ),
            models.CheckConstraint(
                name="ticket_warning_before_deadline",
                condition=Q(warning_at__lte=models.F("reaction_due_at")),
            ),
        ]
        indexes = [
            # The SLA scan (support.sla_scan): unreacted new tickets by deadline; the partial
            # condition keeps answered and closed tickets out of the index.
            models.Index(
                fields=["reaction_due_at"],
                name="ticket_sla_due_idx",
                condition=Q(status="new", reacted_at__isnull=True, breached_at__isnull=True),
            ),
            models.Index(
                fields=["warning_at"],
                name="ticket_sla_warning_idx",
                condition=Q(status="new", reacted_at__isnull=True, warned_at__isnull=True),
            ),
            # The panel's list and the monthly quota count: one subscriber's tickets by time.
            models.Index(fields=["subscriber", "-opened_at"], name="ticket_subscriber_idx"),
            # The admin queues: sorted by due time within a status.
            models.Index(fields=["status", "reaction_due_at"], name="ticket_status_due_idx"),
            # The admin's queue of open tickets (its default view) in its order, and the same
            # order over every ticket ("all tickets"): no sort of the whole table per page.
            models.Index(
                fields=["reaction_due_at", "id"],
                name="ticket_open_queue_idx",
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
            ),
            models.Index(fields=["reaction_due_at", "id"], name="ticket_due_order_idx"),
            # The admin's search (support/admin/queues.py) uses trigram indexes over
            # UPPER(subject / sender_email / sender_name): PostgreSQL only, so they are made by
            # migration 0004 (RunPython), not declared here (SQLite runs `make run`).
            # 1C-Connect threading: the open ticket of a dialog.
            models.Index(
                fields=["connect_dialog_id"],
                name="ticket_connect_dialog_idx",
                condition=~Q(connect_dialog_id=""),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.subject}"

    def get_absolute_url(self):
        return reverse("support:ticket_detail", args=[self.pk])

    @property
    def tag(self) -> str:
        """The subject tag that threads email replies (counted only from the subscriber)."""
        return f"[ONEbuh #{self.pk}]"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def contact_email(self) -> str:
        if self.opened_by_id and self.opened_by.email:
            return self.opened_by.email
        return self.sender_email


class MessageAuthor(models.TextChoices):
    SUBSCRIBER = "subscriber", _("Subscriber")
    STAFF = "staff", _("Support desk")
    SYSTEM = "system", _("Portal")


class TicketMessage(models.Model):
    """One entry of the conversation. Internal notes are never shown to the subscriber."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_side = models.CharField(_("from"), max_length=12, choices=MessageAuthor.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    is_internal = models.BooleanField(_("internal note"), default=False)
    is_automatic = models.BooleanField(_("automatic"), default=False)
    sender_email = models.EmailField(_("sender's email"), blank=True)
    body = models.TextField(_("text"))
    # The whole inbound text with its quoted history, when `body` is only the new part.
    original_text = models.TextField(_("full original"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="ticket_message_notes_are_staff",
                condition=Q(is_internal=False) | Q(author_side=MessageAuthor.STAFF),
            ),
        ]
        # The conversation of one ticket in order.
        indexes = [models.Index(fields=["ticket", "created_at"], name="ticket_message_idx")]

    def __str__(self):
        # Staff read it in the admin: Almaty time, as every other time they see.
        at = timezone.localtime(self.created_at)
        return f"#{self.ticket_id} {self.get_author_side_display()} {at:%d.%m.%Y %H:%M}"


class TicketAttachment(models.Model):
    message = models.ForeignKey(
        TicketMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="support/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size, bytes"))
    content_type = models.CharField(_("type"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

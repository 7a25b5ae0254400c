"""The staff's macros: a canned reply with placeholders, plus the status and assignee it sets."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..macros import placeholder_errors
from .tickets import TicketStatus


class MacroStatus(models.TextChoices):
    """What a macro may do to the status: only the moves a service exists for."""

    UNCHANGED = "", _("Leave as it is")
    IN_PROGRESS = TicketStatus.IN_PROGRESS.value, _("Accept into work")
    WAITING = TicketStatus.WAITING.value, _("Waiting for the subscriber")
    CLOSED = TicketStatus.CLOSED.value, _("Close")


class MacroAssignee(models.TextChoices):
    UNCHANGED = "", _("Leave as it is")
    ME = "me", _("The one who applies the macro")
    USER = "user", _("A chosen staff member")


class Macro(models.Model):
    """Global: every staff member who works tickets (partner consultants too) sees the active
    macros; operator engineers and administrators edit them. They speak in the operator's name
    under its terms, so one set serves every firm."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    body = models.TextField(
        _("reply text"),
        help_text=_(
            "Placeholders in braces, e.g. {имя клиента}: see the list below the field. "
            "For a brace itself write {{ or }}."
        ),
    )
    set_status = models.CharField(
        _("status to set"), max_length=20, choices=MacroStatus.choices, blank=True, default=""
    )
    assignee_rule = models.CharField(
        _("assignee"), max_length=10, choices=MacroAssignee.choices, blank=True, default=""
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"is_staff": True, "is_active": True},
        related_name="+",
        help_text=_("Only when the assignee is «a chosen staff member»."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(assignee_rule="user", assignee__isnull=False)
                    | (~models.Q(assignee_rule="user") & models.Q(assignee__isnull=True))
                ),
                name="macro_assignee_only_for_user_rule",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        body_errors = placeholder_errors(self.body)
        if body_errors:
            errors["body"] = body_errors
        if self.assignee_rule == MacroAssignee.USER and self.assignee_id is None:
            errors["assignee"] = _("Choose the staff member the macro assigns the ticket to.")
        if self.assignee_rule != MacroAssignee.USER and self.assignee_id is not None:
            errors["assignee"] = _("A staff member is chosen only for «a chosen staff member».")
        if errors:
            raise ValidationError(errors)

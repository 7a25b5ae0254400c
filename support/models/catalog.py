"""The work catalog of section 7 and who answers what (4.1, 5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from subscribers.models import PartnerFirm, Subscriber


class SupportKind(models.TextChoices):
    """5.1–5.3."""

    # A context: "Individual" is also the legal form of a person (subscribers).
    TECHNICAL = "technical", pgettext_lazy("support kind", "Technical")
    METHODOLOGICAL = "methodological", pgettext_lazy("support kind", "Methodological")
    INDIVIDUAL = "individual", pgettext_lazy("support kind", "Individual")


class ResponsibleSide(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    PARTNER = "partner", _("Partner")
    OPERATOR_OR_PARTNER = "operator_or_partner", _("Operator or partner")


class WorkType(models.Model):
    """One row of the work catalog (7): seeded by a data migration, editable by staff."""

    name = models.CharField(_("name"), max_length=500, unique=True)
    examples = models.TextField(_("examples"), blank=True)
    kind = models.CharField(_("support kind"), max_length=20, choices=SupportKind.choices)
    responsible = models.CharField(_("responsible"), max_length=20, choices=ResponsibleSide.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("work type")
        verbose_name_plural = _("work catalog")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class PartnerAssignment(models.Model):
    """The partner firm that gives a subscriber methodological and individual support (4.1)."""

    subscriber = models.OneToOneField(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="support_partner",
    )
    partner_firm = models.ForeignKey(
        PartnerFirm,
        verbose_name=_("partner firm"),
        on_delete=models.PROTECT,
        related_name="support_assignments",
    )

    class Meta:
        verbose_name = _("subscriber's support partner")
        verbose_name_plural = _("subscribers' support partners")

    def __str__(self):
        return f"{self.subscriber} → {self.partner_firm}"

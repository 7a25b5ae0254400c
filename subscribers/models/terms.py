from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TermsVersion(models.Model):
    """A published version of the service terms. Use after publication is acceptance."""

    version_date = models.DateField(_("version date"), unique=True)
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("terms version")
        verbose_name_plural = _("terms versions")
        ordering = ["-published_at"]

    def __str__(self):
        return f"{self.title} ({self.version_date:%d.%m.%Y})"

    def get_absolute_url(self):
        return reverse("subscribers:terms_detail", args=[self.pk])


class TermsAcceptance(models.Model):
    """When a person first acted under a terms version (their acceptance), and the banner state."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="terms_acceptances",
    )
    terms = models.ForeignKey(
        TermsVersion, verbose_name=_("terms version"), on_delete=models.PROTECT
    )
    first_acted_at = models.DateTimeField(_("first acted at"))
    path = models.CharField(_("first action"), max_length=255, blank=True)
    banner_dismissed_at = models.DateTimeField(_("banner dismissed at"), null=True, blank=True)
    # Sign-up asks for the current version explicitly (a ticked box); later versions are
    # accepted by use after publication (first_acted_at).
    accepted_at_signup = models.DateTimeField(_("accepted at sign-up"), null=True, blank=True)

    class Meta:
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")
        constraints = [
            models.UniqueConstraint(fields=["user", "terms"], name="terms_acceptance_once"),
        ]

    def __str__(self):
        return f"{self.user} — {self.terms}"

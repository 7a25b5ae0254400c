"""The catalog of 1C applications offered in the service (1.3) and their releases (7)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Solution(models.Model):
    """A typical 1C application for Kazakhstan that subscribers can add (1.3)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    template = models.CharField(
        _("template"),
        max_length=500,
        help_text=_("The configuration template (.cf) on the 1C server, e.g. /srv/1c/tmplts/bk.cf"),
    )
    demo_template = models.CharField(
        _("demo data template"),
        max_length=500,
        blank=True,
        help_text=_("A .dt dump with demo data; empty when the solution has no demo base."),
    )
    # Access-group profiles of the configuration per panel role ("full", "user"): what a user
    # of that role gets inside the infobase (typical configurations grant rights by profile).
    access_profiles = models.JSONField(
        _("access-group profiles"),
        default=dict,
        blank=True,
        help_text=_(
            'Per panel role, e.g. {"full": ["Администратор"], "user": ["Бухгалтер"]}; '
            "empty uses the driver's defaults."
        ),
    )
    is_published = models.BooleanField(_("shown in the catalog"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("1C solution")
        verbose_name_plural = _("1C solutions")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("infobases_public:solution", args=[self.code])


class Release(models.Model):
    """A version of a solution. Publishing it informs subscribers and schedules updates (7)."""

    solution = models.ForeignKey(
        Solution, verbose_name=_("solution"), on_delete=models.CASCADE, related_name="releases"
    )
    version = models.CharField(_("version"), max_length=40)
    released_on = models.DateField(_("release date"))
    notes = models.TextField(_("what is new"), blank=True)
    template = models.CharField(
        _("configuration file"),
        max_length=500,
        blank=True,
        help_text=_(
            "The release's .cf on the 1C server, or its .cfu for supported configurations; "
            "empty means the solution's template."
        ),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["solution", "-released_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["solution", "version"], name="release_unique_version"),
        ]
        indexes = [
            # The latest published release of each solution (catalog, notices, add form).
            models.Index(
                fields=["solution", "-released_on"],
                condition=Q(published_at__isnull=False),
                name="release_published_idx",
            ),
        ]

    def __str__(self):
        return f"{self.solution} {self.version}"

    @property
    def template_path(self) -> str:
        return self.template or self.solution.template

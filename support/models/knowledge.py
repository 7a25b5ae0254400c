"""Knowledge base (4.3)."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Article(models.Model):
    """A FAQ article in Russian; searched with PostgreSQL full-text search (russian config)."""

    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"))
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("knowledge base article")
        verbose_name_plural = _("knowledge base")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("support:article", args=[self.pk])

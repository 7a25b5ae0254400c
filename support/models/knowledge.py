"""Knowledge base (4.3)."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleSection(models.TextChoices):
    """The public help's sections, in the order `/help/` lists them."""

    GETTING_STARTED = "start", _("Getting started")
    APPLICATIONS = "apps", _("1C applications")
    ACCESS = "access", _("Users and access")
    BACKUPS = "backups", _("Backups and data transfer")
    BILLING = "billing", _("Payment and documents")
    SUPPORT = "support", _("Support desk")


class Article(models.Model):
    """A public help article in Russian (Markdown). Searched through its `ArticleTerm` stems
    (support/search.py), the same on PostgreSQL and SQLite."""

    title = models.CharField(_("title"), max_length=255)
    section = models.CharField(
        _("section"),
        max_length=20,
        choices=ArticleSection.choices,
        default=ArticleSection.GETTING_STARTED,
    )
    body = models.TextField(
        _("text"), help_text=_("Markdown: [link text](/apps/), **bold**, lists.")
    )
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("knowledge base article")
        verbose_name_plural = _("knowledge base")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("support_public:article", args=[self.pk])


class TermField(models.TextChoices):
    TITLE = "title", _("title")
    BODY = "body", _("text")


class ArticleTerm(models.Model):
    """One stem of one article's title or text with how often it occurs: the search index
    (support/search.py). Rewritten whole by `article_index` whenever the article is saved."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="terms")
    field = models.CharField(max_length=5, choices=TermField.choices)
    stem = models.CharField(max_length=64)
    hits = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [
            models.UniqueConstraint(fields=["article", "field", "stem"], name="article_term_once")
        ]
        # The search: rows of the query's stems (stem IN (…)), grouped by article.
        indexes = [models.Index(fields=["stem", "article"], name="article_term_stem_idx")]

    def __str__(self):
        return self.stem

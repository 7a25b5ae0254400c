"""The help articles' search index (issue 14): stems of the title and the text."""

from collections.abc import Iterable

from django.db import transaction

from ..models import Article, ArticleTerm, TermField
from ..search import stem_counts


def _terms(article: Article) -> list[ArticleTerm]:
    return [
        ArticleTerm(article_id=article.pk, field=field, stem=stem, hits=hits)
        for field, text in ((TermField.TITLE, article.title), (TermField.BODY, article.body))
        for stem, hits in stem_counts(text).items()
    ]


@transaction.atomic
def articles_index(*, articles: Iterable[Article]) -> int:
    """Rewrite the index rows of these articles from their current title and text (after each
    save in the admin, the demo seed, a migration). Three queries for any number of articles;
    returns the number of rows written."""
    articles = list(articles)
    ArticleTerm.objects.filter(article_id__in=[a.pk for a in articles]).delete()
    rows = [term for article in articles for term in _terms(article)]
    ArticleTerm.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def article_index(*, article: Article) -> int:
    return articles_index(articles=[article])

"""The public help (issue 14): the operator's articles by section, each article, and the search
in Russian word forms — for anyone, signed in or not."""

from itertools import groupby

from django.shortcuts import get_object_or_404, render

from .models import Article, ArticleSection
from .selectors import articles_search

MAX_QUERY_LENGTH = 200


def help_index(request):
    """Without a query: every published article under its section. With one: the articles that
    have every word of it (in any form), best first; if none has all of them, the closest."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    context = {"query": query}
    if query:
        results = articles_search(query=query, limit=30)
        context["results"] = results
        if not results:
            context["close"] = articles_search(query=query, limit=10, any_word=True)
    else:
        order = {value: index for index, value in enumerate(ArticleSection.values)}
        articles = sorted(
            Article.objects.filter(is_published=True).only("pk", "title", "section"),
            key=lambda a: (order.get(a.section, len(order)), a.title),
        )
        context["sections"] = [
            (ArticleSection(section).label if section in order else section, list(group))
            for section, group in groupby(articles, key=lambda a: a.section)
        ]
    return render(request, "support/help_index.html", context)


def help_article(request, pk):
    # Articles are the operator's public help texts, the same for everybody.
    article = get_object_or_404(Article, pk=pk, is_published=True)
    return render(request, "support/help_article.html", {"article": article})

"""The public help (issue 14): /help/ without sign-in, articles by section, the search in
Russian word forms, ranked suggestions on the ticket form, and every link of every article."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import Resolver404, resolve, reverse

from support import demo
from support.models import Article, ArticleSection, ArticleTerm
from tests.support.factories import ArticleFactory

from . import help_checks

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    demo.seed(log=lambda *args: None)
    return {article.title: article for article in Article.objects.all()}


def test_the_search_behaves_as_written_on_postgresql(articles):
    # The same checks run on SQLite in tests/onebuh/test_embedded_default.py.
    assert help_checks.run() == []


def test_it_lists_the_articles_by_section_without_sign_in(client, articles):
    page = client.get("/help/")
    assert page.status_code == 200
    html = page.content.decode()
    for section in ArticleSection:
        assert f"<h2>{section.label}</h2>" in html
    for title in articles:
        assert unescape(title) in unescape(html)
    # Sections in their order: getting started before the support desk.
    assert html.index(str(ArticleSection.GETTING_STARTED.label)) < html.index(
        str(ArticleSection.SUPPORT.label)
    )


def test_it_shows_an_article_without_sign_in_and_hides_drafts(client, articles):
    article = articles[help_checks.THIN_CLIENT]
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert '<a href="/apps/">«Приложения 1С»</a>' in page.content.decode()
    draft = ArticleFactory(title="Черновик", is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_search_page_ranks_and_falls_back_to_close_matches(client, articles):
    html = client.get("/help/", {"q": "тонкий клиент"}).content.decode()
    assert "1 статья по запросу «тонкий клиент»" in html
    # No article has every word: the closest ones are offered instead of nothing.
    html = client.get("/help/", {"q": "тонкий клиент бухгалтерия налоги"}).content.decode()
    assert "Похожие статьи" in html
    assert help_checks.THIN_CLIENT in html
    assert "Ничего не найдено" in client.get("/help/", {"q": "налоги"}).content.decode()


def test_odd_queries_answer_200(client, articles):
    for query in ("", " ", "%", "'; drop table", "ё" * 500, "а и в", "<script>"):
        assert client.get("/help/", {"q": query}).status_code == 200


def test_the_index_follows_edits_in_the_admin(staff_client, operator_engineer, articles):
    article = articles[help_checks.THIN_CLIENT]
    response = staff_client(operator_engineer).post(
        reverse("admin:support_article_change", args=[article.pk]),
        {
            "title": "Ошибка при запуске конфигуратора",
            "section": ArticleSection.APPLICATIONS,
            "body": "Текст про конфигуратор.",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    assert ArticleTerm.objects.filter(article=article, stem="конфигуратор").exists()
    assert not ArticleTerm.objects.filter(article=article, stem="тонк").exists()


def test_ticket_form_suggestions_best_match_first(client, owner, articles):
    # Issue 14: the right article was the last of the suggestions.
    client.force_login(owner)
    response = client.get(
        reverse("support:article_suggest"), {"q": "база не открывается в тонком клиенте"}
    )
    titles = [a["title"] for a in response.json()["articles"]]
    assert titles[0] == help_checks.THIN_CLIENT
    assert response.json()["articles"][0]["url"] == f"/help/{articles[titles[0]].pk}/"


def test_old_knowledge_base_links_lead_to_the_public_help(client, articles):
    article = articles[help_checks.THIN_CLIENT]
    assert client.get("/support/kb/").url == "/help/"
    assert (
        client.get("/support/kb/", {"q": "копии"}).url == "/help/?q=%D0%BA%D0%BE%D0%BF%D0%B8%D0%B8"
    )
    assert client.get(f"/support/kb/{article.pk}/").url == f"/help/{article.pk}/"


HREF = re.compile(r'<a href="([^"]*)"')


def _article_links(client, article) -> list[str]:
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('<div class="prose help-article">', 1)[1].split("</div>", 1)[0]
    return [unescape(href) for href in HREF.findall(body)]


def _broken_links(client) -> tuple[int, list[str]]:
    """Links must lead to the portal's own pages that answer, or to static files that exist:
    the help sends nobody to another site or to a download that is not there."""
    checked, broken = 0, []
    for article in Article.objects.filter(is_published=True):
        for href in _article_links(client, article):
            checked += 1
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                broken.append(f"{article.title}: {href} (another site)")
                continue
            if parts.path.startswith(settings.STATIC_URL):
                if not finders.find(parts.path.removeprefix(settings.STATIC_URL)):
                    broken.append(f"{article.title}: {href} (no such file)")
                continue
            try:
                resolve(parts.path)
            except Resolver404:
                broken.append(f"{article.title}: {href} (no such page)")
                continue
            status = client.get(href).status_code
            if status not in (200, 302):
                broken.append(f"{article.title}: {href} ({status})")
    return checked, broken


def test_every_link_in_every_article_resolves(client, owner, articles):
    client.force_login(owner)
    checked, broken = _broken_links(client)
    assert broken == []
    assert checked >= 20  # the articles do link to the panel


def test_the_link_check_catches_missing_downloads_and_pages(client, owner, articles):
    client.force_login(owner)
    ArticleFactory(title="Битая", body="[Клиент](/static/downloads/thin-client.exe), [x](/nope/)")
    ArticleFactory(title="Чужая", body="[Дистрибутив](https://example.com/setup.exe)")
    _checked, broken = _broken_links(client)
    assert sorted(broken) == [
        "Битая: /nope/ (no such page)",
        "Битая: /static/downloads/thin-client.exe (no such file)",
        "Чужая: https://example.com/setup.exe (another site)",
    ]

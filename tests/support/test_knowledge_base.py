"""4.3: help articles searched in Russian word forms (Snowball stems, the same on every
database); the ticket form suggests them while the subject is typed. See also test_help.py."""

import pytest
from django.urls import reverse

from support.selectors import articles_search
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return {
        "password": ArticleFactory(
            title="Забыли пароль от панели управления",
            body="Нажмите «Забыли пароль?» на странице входа.",
        ),
        "backup": ArticleFactory(
            title="Резервные копии", body="Как скачать резервную копию информационной базы."
        ),
        "hidden": ArticleFactory(title="Черновик про пароли", body="пароль", is_published=False),
    }


def test_search_finds_other_word_forms_in_russian(articles):
    # «паролями» and «копий» are not in the texts; the Russian stemmer finds «пароль», «копию».
    assert articles_search(query="паролями") == [articles["password"]]
    assert articles_search(query="резервных копий") == [articles["backup"]]


def test_search_skips_unpublished_and_unrelated(articles):
    assert articles["hidden"] not in articles_search(query="пароль")
    assert articles_search(query="бухгалтерия налоги") == []


def test_title_matches_rank_first(articles):
    body_only = ArticleFactory(title="Вход в систему", body="Если забыли пароль, смените его.")
    assert articles_search(query="пароль")[:2] == [articles["password"], body_only]


def test_ticket_form_suggests_articles_for_the_subject(client, owner, articles):
    client.force_login(owner)
    response = client.get(reverse("support:article_suggest"), {"q": "не помню пароль"})
    assert [a["title"] for a in response.json()["articles"]] == [articles["password"].title]

"""The help search's behaviour, written once and run on both databases: on PostgreSQL inside
pytest (tests/support/test_help.py) and on the embedded SQLite in a subprocess with the local
settings (tests/onebuh/test_embedded_default.py), so `make run`'s database is really exercised.

Needs the demo articles (support.demo.seed) in the database. Returns what failed, empty if all
held; raises nothing, so the subprocess can print the failures."""

from django.test import Client

from support.demo import ARTICLES
from support.models import Article
from support.selectors import articles_search
from support.services import article_index

THIN_CLIENT = "Не открывается база в тонком клиенте"


def _titles(articles) -> list[str]:
    return [article.title for article in articles]


def run() -> list[str]:
    failures = []

    def check(what: str, ok: bool, seen) -> None:
        if not ok:
            failures.append(f"{what}: {seen!r}")

    seeded = set(_titles(Article.objects.filter(title__in=[title for title, *_ in ARTICLES])))
    check("the demo articles are seeded", len(seeded) == len(ARTICLES), sorted(seeded))

    # Issue 14: another form of both words («тонкий клиент» → «…в тонком клиенте»).
    found = _titles(articles_search(query="тонкий клиент"))
    check("«тонкий клиент» finds the thin client article first", found[:1] == [THIN_CLIENT], found)
    found = _titles(articles_search(query="ТОНКОГО клиента"))
    check("case and other forms", found[:1] == [THIN_CLIENT], found)
    found = _titles(articles_search(query="резервных копий"))
    check(
        "«резервных копий» finds the backup article",
        "Как получить резервную копию информационной базы" in found,
        found,
    )
    found = _titles(articles_search(query="налоговая отчётность"))
    check("unrelated words find nothing", found == [], found)
    found = _titles(articles_search(query="и в на"))
    check("stop words alone find nothing", found == [], found)

    # A title hit outranks a text hit; all words before some of them.
    in_body = Article.objects.create(title="Ежемесячные документы", body="Сверка лицевого счёта.")
    in_title = Article.objects.create(title="Сверка с контрагентами", body="Акт сверки.")
    hidden = Article.objects.create(title="Сверка (черновик)", body="сверка", is_published=False)
    for article in (in_body, in_title, hidden):
        article_index(article=article)
    found = _titles(articles_search(query="сверки"))
    check("title first", found == [in_title.title, in_body.title], found)
    found = _titles(articles_search(query="не помню пароль от панели", any_word=True))
    check(
        "suggestions: the article with most words of the subject first",
        found[:1] == ["Забыли пароль от панели управления"],
        found,
    )

    # The public pages, anonymous, on this database.
    client = Client()
    page = client.get("/help/", {"q": "тонкий клиент"}, HTTP_HOST="localhost")
    check("/help/?q= answers", page.status_code == 200, page.status_code)
    check("/help/?q= lists the article", THIN_CLIENT in page.content.decode(), "missing")
    suggest = client.get("/help/", HTTP_HOST="localhost")
    check("/help/ answers", suggest.status_code == 200, suggest.status_code)
    for article in (in_body, in_title, hidden):
        article.delete()
    return failures


def main() -> None:
    """For `manage.py shell -c`: one line per failure, then a marker."""
    for failure in run():
        print("FAILED", failure)
    print("HELP-CHECKS-DONE")

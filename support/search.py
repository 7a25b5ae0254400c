"""Russian word forms for the help search (issue 14): one stemmer for every database.

Articles are indexed as Snowball stems (`ArticleTerm` rows, written by
`services.knowledge.article_index`), and a query is stemmed the same way, so «тонкий клиент»
finds «…в тонком клиенте» on PostgreSQL and on the embedded SQLite alike, with one ranking
(`selectors.articles_search`). Pure functions: the data migration that indexes existing
articles calls them too.
"""

import re
from collections import Counter
from functools import lru_cache

import snowballstemmer

# Words that carry no meaning for a search; matching them would rank every article.
STOP_WORDS = frozenset(
    [
        "а",
        "без",
        "более",
        "бы",
        "был",
        "была",
        "были",
        "было",
        "быть",
        "в",
        "вам",
        "вас",
        "весь",
        "во",
        "вот",
        "все",
        "всего",
        "всех",
        "вы",
        "где",
        "да",
        "даже",
        "для",
        "до",
        "его",
        "ее",
        "её",
        "ей",
        "если",
        "есть",
        "еще",
        "ещё",
        "же",
        "за",
        "и",
        "из",
        "или",
        "им",
        "их",
        "к",
        "как",
        "какой",
        "когда",
        "кто",
        "ли",
        "либо",
        "мне",
        "мной",
        "может",
        "мы",
        "на",
        "над",
        "надо",
        "не",
        "нет",
        "ни",
        "но",
        "ну",
        "о",
        "об",
        "однако",
        "он",
        "она",
        "они",
        "оно",
        "от",
        "очень",
        "по",
        "под",
        "при",
        "с",
        "со",
        "так",
        "также",
        "такой",
        "там",
        "те",
        "тем",
        "то",
        "того",
        "тоже",
        "той",
        "только",
        "том",
        "ты",
        "у",
        "уже",
        "хотя",
        "чего",
        "чей",
        "чем",
        "что",
        "чтобы",
        "чье",
        "чья",
        "эта",
        "эти",
        "это",
        "этот",
        "я",
        "почему",
        "зачем",
        "можно",
        "нужно",
        "нельзя",
    ]
)
WORD = re.compile(r"[0-9a-zа-яё]+", re.IGNORECASE)
# A query of more words than this is cut (the rest adds nothing but cost).
MAX_QUERY_STEMS = 12


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("russian")


def words(text: str) -> list[str]:
    """Lower-case words of the text, «ё» read as «е», stop words left out."""
    found = (word.lower().replace("ё", "е") for word in WORD.findall(text or ""))
    return [word for word in found if word not in STOP_WORDS]


def stems(text: str) -> list[str]:
    """The Snowball (Russian) stem of every word, in order, repeats kept. Latin words and
    numbers pass through the Russian stemmer unchanged except for case."""
    return _stemmer().stemWords(words(text))


def stem_counts(text: str) -> Counter:
    return Counter(stem[:64] for stem in stems(text))


def query_stems(query: str) -> list[str]:
    """The distinct stems of a query, in the order typed."""
    return list(dict.fromkeys(stems(query)))[:MAX_QUERY_STEMS]

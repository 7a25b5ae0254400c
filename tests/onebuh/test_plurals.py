"""Issue 14: counts next to nouns take the Russian plural forms (ngettext), not one fixed form
(«позволяет 3 баз», «2 дн.», «Доступнен 2 из 10»)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

from support.attachments import validate_attachments
from support.sla import reaction_time_text

PLURALS = [
    # (singular msgid, plural msgid, n, params, expected Russian)
    (
        "%(hours)d hour, %(period)s",
        "%(hours)d hours, %(period)s",
        1,
        {"hours": 1, "period": "круглосуточно"},
        "1 час, круглосуточно",
    ),
    (
        "You have %(count)d active token; revoke one you no longer use.",
        "You have %(count)d active tokens; revoke one you no longer use.",
        22,
        {"count": 22},
        "У вас 22 действующих токена; отзовите тот, которым больше не пользуетесь.",
    ),
    (
        "At most %(count)d file can be attached.",
        "At most %(count)d files can be attached.",
        1,
        {"count": 1},
        "Можно приложить не более 1 файла.",
    ),
    (
        "The password must be %(min)s to %(max)s character long.",
        "The password must be %(min)s to %(max)s characters long.",
        128,
        {"min": 8, "max": 128},
        "Пароль должен быть длиной от 8 до 128 символов.",
    ),
    (
        "This part must be %(expected)s byte, not %(length)s.",
        "This part must be %(expected)s bytes, not %(length)s.",
        1024,
        {"expected": 1024, "length": 1000},
        "Эта часть должна занимать 1024 байта, а не 1000.",
    ),
    (
        "There is %(unused_count)s out of %(total_count)s recovery codes available.",
        "There are %(unused_count)s out of %(total_count)s recovery codes available.",
        3,
        {"unused_count": 3, "total_count": 10},
        "Доступны 3 из 10 кодов восстановления.",
    ),
]


@pytest.mark.parametrize(("singular", "plural", "n", "params", "expected"), PLURALS)
def test_the_catalogue_has_the_russian_forms(singular, plural, n, params, expected):
    with translation.override("ru"):
        assert ngettext(singular, plural, n) % params == expected


def test_reaction_times_in_words():
    with translation.override("ru"):
        assert reaction_time_text("incident_1") == "4 часа, круглосуточно"
        assert reaction_time_text("technical") == "8 часов, круглосуточно"


def test_too_many_attachments_in_russian():
    files = [ContentFile(b"x", name=f"{n}.txt") for n in range(6)]
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        validate_attachments(files)
    assert error.value.messages == ["Можно приложить не более 5 файлов."]


@pytest.mark.parametrize(
    ("days", "words"), [(1, "за 1 день"), (3, "за 3 дня"), (90, "за 90 дней"), (21, "за 21 день")]
)
def test_status_page_days(days, words):
    template = Template(
        "{% load i18n %}{% blocktranslate count days=days with uptime=uptime %}"
        "{{ uptime }}% uptime over {{ days }} day{% plural %}"
        "{{ uptime }}% uptime over {{ days }} days{% endblocktranslate %}"
    )
    with translation.override("ru"):
        text = template.render(Context({"days": days, "uptime": "99.9"}))
    assert text == f"доступность 99.9% {words}"


@pytest.mark.django_db
def test_the_status_page_counts_its_days_in_russian(client):
    html = client.get("/status/").content.decode()
    assert "Доступность за последние 90 дней" in html
    assert "дн." not in html

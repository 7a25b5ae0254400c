"""List pages without per-row overhead: the work a template would repeat for each of 30 rows
(`reverse()` behind `get_absolute_url`, `get_FOO_display`'s lazy translation, the `date` filter's
formatter) done once per page, or by plain string formatting (bench/bench_http.py measured these
as the bulk of a list page's time)."""

import datetime
import functools
from collections.abc import Mapping
from types import MappingProxyType

from django.conf import settings
from django.core.paginator import Paginator
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language

_KEY = 987654321  # a key no real row has: it marks where the key goes in the reversed URL


@functools.lru_cache(maxsize=256)
def _url_pattern(viewname: str, prefix: str, urlconf: str) -> tuple[str, str]:
    url = reverse(viewname, args=[_KEY], urlconf=urlconf)
    head, marker, tail = url.partition(str(_KEY))
    if not marker:
        raise ValueError(f"{viewname} does not put its key in the path")
    return head, tail


class UrlPattern:
    """`reverse(viewname, args=[pk])` for many keys: reversed once per process (keyed like
    fixed_url), the key formatted in."""

    def __init__(self, viewname: str):
        self.head, self.tail = _url_pattern(
            viewname, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
        )

    def __call__(self, pk) -> str:
        return f"{self.head}{int(pk)}{self.tail}"


@functools.lru_cache(maxsize=256)
def _fixed_url(name: str, prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


def fixed_url(name: str) -> str:
    """`reverse(name)` for a URL without arguments, reversed once per process (the layout's
    twenty links on every page, the dashboard's checklist). Keyed by the script prefix and the
    URL conf, the two things besides the name a reversal depends on here (no per-language URLs)."""
    return _fixed_url(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=256)
def _choice_labels(choices, language: str | None) -> MappingProxyType:
    return MappingProxyType({value: str(label) for value, label in choices.choices})


def choice_labels(choices) -> Mapping[str, str]:
    """value → label of a TextChoices in the active language, read-only (translated once per
    process and language: the labels change only with the code and its catalogues)."""
    return _choice_labels(choices, get_language())


def local_datetime(value: datetime.datetime | None) -> str:
    """ "24.11.2026 10:05" in the portal's time zone, as `|date:"d.m.Y H:i"` shows it."""
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def local_datetimes():
    """local_datetime for the many cells of one page: the time zone looked up once."""
    zone = timezone.get_current_timezone()

    def formatted(value: datetime.datetime | None) -> str:
        return value.astimezone(zone).strftime("%d.%m.%Y %H:%M") if value else ""

    return formatted


def local_date(value: datetime.date | datetime.datetime | None) -> str:
    """ "24.11.2026", as `|date:"d.m.Y"` shows it (a moment in the portal's time zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d.%m.%Y")


NBSP = "\u00a0"


def amount(value) -> str:
    """ "12 345,67" (no-break spaces, a minus sign), as the billing pages write money."""
    if value is None:
        return ""
    text = f"{abs(value):,.2f}".replace(",", NBSP).replace(".", ",")
    return f"−{text}" if value < 0 else text


class WindowPage:
    """A page of a newest-first list without counting the list: one more row is read to know
    whether an older page exists ("Newer" / "Older" links, no "page N of M"). The same attributes
    as Django's Page for those links."""

    def __init__(self, rows, number, per_page: int):
        try:
            self.number = max(int(number), 1)
        except (TypeError, ValueError):
            self.number = 1
        offset = (self.number - 1) * per_page
        found = list(rows[offset : offset + per_page + 1])
        if not found and self.number > 1:  # past the end (an old link): the last page instead
            last = Paginator(rows, per_page).get_page(self.number)
            self.number, found = last.number, list(last.object_list)
        self.object_list = found[:per_page]
        self._more = len(found) > per_page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self._more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

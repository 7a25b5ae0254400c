"""The panel's works banner (6.2), cached: every panel page shows it, works change rarely.

Each subscriber's list is kept for BANNER_TTL seconds under a generation number; any save or
delete of a work (services, admin) bumps the generation, so a change shows on the next page.
The TTL bounds the staleness that time alone causes (a work entering the week ahead or ending).

On top of that each process keeps the lists it read for LOCAL_TTL seconds (onebuh.cache.
ProcessCache), so a panel page costs no Redis round trip for the banner (issue 16.4): a change
clears that process's copies at once, the other processes show it within LOCAL_TTL. Ten seconds:
works are announced at least 48 h ahead (6.2), so a banner ten seconds late misleads nobody,
while a page a second per process reads Redis only once in ten.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from onebuh.cache import ProcessCache

from .models import TechnicalWork

# 6.2: the panel shows works from their announcement (at least 48 h ahead) until they end.
BANNER_AHEAD = timedelta(days=7)
BANNER_TTL = 30
GENERATION_KEY = "operations:works-banner:generation"
LOCAL_TTL = 10
_local = ProcessCache(ttl=LOCAL_TTL)


def _works_query(*, subscriber_id: int, now) -> list[TechnicalWork]:
    works = (
        TechnicalWork.objects.filter(cancelled_at__isnull=True, starts_at__lt=now + BANNER_AHEAD)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .filter(
            Q(affects_all=True)
            | Q(subscribers=subscriber_id)
            | Q(
                solutions__infobases__subscriber=subscriber_id,
                solutions__infobases__deleted_at__isnull=True,
            )
        )
        .distinct()
        .order_by("starts_at")[:3]
    )
    return list(works)


def works_for_banner(*, subscriber_id: int, now=None) -> list[TechnicalWork]:
    """Works affecting the subscriber that are under way or coming within a week (at most 3)."""
    now = now or timezone.now()
    works = _local.get(subscriber_id)
    if works is None:
        works = _works_cached(subscriber_id=subscriber_id, now=now)
        _local.set(subscriber_id, works)
    # Ended works drop out at once even while an entry lives.
    return [w for w in works if w.ends_at is None or w.ends_at > now]


def _works_cached(*, subscriber_id: int, now) -> list[TechnicalWork]:
    key = f"operations:works-banner:{subscriber_id}"
    # One round trip: the generation and this subscriber's entry together.
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY, 0)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    works = _works_query(subscriber_id=subscriber_id, now=now)
    cache.set(key, (generation, works), BANNER_TTL)
    return works


def works_banner_forget(**_kwargs) -> None:
    """A work changed: every cached banner is out of date (signal receiver, see apps.py)."""
    _local.clear()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or evicted): start one that differs from 0
        cache.set(GENERATION_KEY, 1, None)

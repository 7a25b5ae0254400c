"""Limits on what one account, token or address may do in a window (issue 18, ASVS V11).

Counters live in the default cache (Redis in every real deployment, so all web processes share
them) as fixed windows: one key per (limit, who, window), incremented atomically, expiring with
the window. A limit is a setting `ONEBUH_LIMITS[name] = "count/period"` (period: s, m, h, d),
read at call time. When the cache is down, the limit fails open: the error is logged and the
action allowed — a Redis outage must not stop people from working.

Over the limit, `RateLimited` is raised; `LimitMiddleware` answers it in the panel (429, the
Russian message and Retry-After) and the API's exception handler turns it into DRF's Throttled.
"""

import contextlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from redis.exceptions import RedisError
from rest_framework.exceptions import Throttled

from .remote import client_ip

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, value: str) -> "Rate":
        count, _slash, period = value.partition("/")
        number = period[:-1] or "1"
        return cls(count=int(count), seconds=int(number) * PERIODS[period[-1]])


class RateLimited(Exception):
    def __init__(self, *, name: str, retry_after: int):
        self.name = name
        self.retry_after = max(1, retry_after)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        if self.retry_after < 60:
            wait = ngettext("%(count)d second", "%(count)d seconds", self.retry_after) % {
                "count": self.retry_after
            }
        else:
            wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        return _("Too many requests of this kind. Try again in %(wait)s.") % {"wait": wait}


def _cache_errors() -> tuple[type[BaseException], ...]:
    return (ConnectionError, OSError, TimeoutError, RedisError)


def limit_hit(name: str, ident, *, cost: int = 1) -> None:
    """Count one event of `name` for `ident` (a subscriber id, an address, a token id…);
    raise RateLimited when it goes over the limit. An unknown or empty limit counts nothing."""
    value = settings.ONEBUH_LIMITS.get(name)
    if not value:
        return
    rate = Rate.parse(value)
    now = time.time()
    window = int(now // rate.seconds)
    key = f"limit:{name}:{ident}:{window}"
    try:
        cache.add(key, 0, timeout=rate.seconds + 1)
        count = cache.incr(key, cost)
    except ValueError:
        # The key expired between add and incr (the window turned): a new window, one event.
        count = cost
    except _cache_errors() as error:
        logger.warning("limit %s not checked, the cache is unavailable: %s", name, error)
        return
    if count > rate.count:
        retry_after = math.ceil((window + 1) * rate.seconds - now)
        raise RateLimited(name=name, retry_after=retry_after)


def limit_exceeded(name: str, ident) -> int:
    """Seconds to wait if `name` is already over its limit for `ident` (0: go on). Reads only:
    for counting failures after the fact (wrong tokens), checked before the attempt."""
    value = settings.ONEBUH_LIMITS.get(name)
    if not value:
        return 0
    rate = Rate.parse(value)
    now = time.time()
    window = int(now // rate.seconds)
    try:
        count = cache.get(f"limit:{name}:{ident}:{window}", 0)
    except _cache_errors() as error:
        logger.warning("limit %s not checked, the cache is unavailable: %s", name, error)
        return 0
    if count >= rate.count:
        return max(1, math.ceil((window + 1) * rate.seconds - now))
    return 0


def too_many_response(request, error: RateLimited):
    response = render(
        request,
        "429.html",
        {"title": _("Too many requests"), "message": error.message, "back": _("Back")},
        status=429,
    )
    response["Retry-After"] = str(error.retry_after)
    return response


class LimitMiddleware:
    """Answers RateLimited from any panel view with 429, the message and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Sign-ups per address (issue 18): counted before allauth's view runs.
        match = request.resolver_match
        if request.method == "POST" and match and match.url_name == "account_signup":
            try:
                limit_hit("signup_ip", client_ip(request))
            except RateLimited as error:
                return too_many_response(request, error)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return too_many_response(request, exception)
        return None


def throttled(error: RateLimited):
    """The DRF answer of a limit: 429, Retry-After and the Russian message."""
    return Throttled(wait=error.retry_after, detail=error.message)


def token_failures_check(request) -> None:
    """Before a token is checked: an address with too many wrong tokens waits (issue 18)."""
    wait = limit_exceeded("token_failure_ip", client_ip(request))
    if wait:
        raise throttled(RateLimited(name="token_failure_ip", retry_after=wait))


def token_failure_record(request) -> None:
    """Count a wrong or revoked token against the caller's address."""
    # Counted only; the next attempt is refused by token_failures_check.
    with contextlib.suppress(RateLimited):
        limit_hit("token_failure_ip", client_ip(request))

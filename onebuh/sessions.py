"""Sessions: Django's cached_db (the database row, a copy in the cache) with the copy kept at
most five minutes.

A sign-out deletes the row and the copy. While Redis is unreachable the copy cannot be deleted
(`onebuh.cache.FailOpenRedisCache` takes the miss and carries on), and if that Redis comes back
still holding it, the signed-out cookie would open the session again for as long as the copy
lives — Django keeps it as long as the session itself (two weeks). Capped at CACHED_SECONDS such
a copy is gone five minutes later; the price is one database read per session every five
minutes, against a read on every request without the cache (issue 16.4).
"""

from django.contrib.sessions.backends import cached_db
from django.core.cache.backends.base import DEFAULT_TIMEOUT

CACHED_SECONDS = 300


def _capped(timeout) -> int:
    if timeout is None or timeout is DEFAULT_TIMEOUT or timeout > CACHED_SECONDS:
        return CACHED_SECONDS
    return timeout


class _CappedCache:
    """The session cache with every write's lifetime cut to CACHED_SECONDS; the rest as is."""

    def __init__(self, cache):
        self._cache = cache

    def __getattr__(self, name):
        return getattr(self._cache, name)

    def __contains__(self, key):
        return key in self._cache

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._cache.set(key, value, _capped(timeout), version=version)

    async def aset(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return await self._cache.aset(key, value, _capped(timeout), version=version)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _CappedCache(self._cache)

"""A Redis cache that fails open: with Redis unreachable every read is a miss and every write
is dropped (one WARNING a minute per process), so pages and API calls that only use the cache
to go faster keep answering. What degrades while Redis is down (README, "Operations"): the
login lockout and the API throttles count nothing, the works banner and the terms banner are
read from the database on every page, calendars reload on every use."""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("Redis cache unreachable, answering without it: %s", error)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis for every cache call, and each one fills its
    table of ~170 response callbacks: more Python than the round trip itself on a page's three
    cache reads (bench/profile_page.py, issue 16.4). One redis.Redis per connection pool instead
    (thread-safe: connections come from the pool per command)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            _warn(error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            _warn(error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            _warn(error)
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            _warn(error)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            _warn(error)
            return True  # as if added: callers then do their work, uncached

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            _warn(error)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            _warn(error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            _warn(error)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNREACHABLE as error:
            _warn(error)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            _warn(error)
            return delta

    def get_or_set(self, key, default, timeout=None, version=None):
        value = self.get(key, None, version)
        if value is None:
            value = default() if callable(default) else default
            if value is not None:
                self.add(key, value, timeout, version)
        return value

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as error:
            _warn(error)
            return False


class ProcessCache:
    """A few values kept in this process's memory for `ttl` seconds: for reads every panel page
    makes whose source changes rarely (the current terms, the works banner), so a page costs no
    Redis round trip for them. The code that changes the source clears it here at once (and its
    Redis entry, which the other processes read when their copy expires): elsewhere a change
    shows within `ttl`. At most `size` entries (all dropped when full: the panel's reads are
    cheap to refill). The tests clear every one before each test (tests/conftest.py)."""

    instances: list["ProcessCache"] = []

    def __init__(self, ttl: float, size: int = 2048):
        self.ttl, self.size = ttl, size
        self._entries: dict = {}
        ProcessCache.instances.append(self)

    def get(self, key, default=None):
        entry = self._entries.get(key)
        if entry is None or entry[0] <= time.monotonic():
            return default
        return entry[1]

    def set(self, key, value) -> None:
        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + self.ttl, value)

    def clear(self) -> None:
        self._entries.clear()

    @classmethod
    def clear_all(cls) -> None:
        for instance in cls.instances:
            instance.clear()

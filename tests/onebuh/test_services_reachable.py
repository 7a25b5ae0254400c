"""The suite runs on the real services: PostgreSQL for the ORM, Redis for the cache and broker."""

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from onebuh.celery import app


def test_database_is_postgresql(db):
    assert connection.vendor == "postgresql"


def test_cache_is_redis():
    cache.set("probe", {"ok": 1}, 10)
    assert cache.get("probe") == {"ok": 1}
    # Redis, failing open (onebuh/cache.py) when it is unreachable.
    assert type(caches["default"]).__name__ == "FailOpenRedisCache"
    assert isinstance(caches["default"], RedisCache)


def test_celery_broker_is_redis_and_reachable():
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.transport.driver_type == "redis"

"""Operations endpoints of the portal itself."""

import json
import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from onebuh.celery import app

logger = logging.getLogger(__name__)
PROBE_TIMEOUT = 1.0  # seconds: a probe must answer well within the balancer's own timeout


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and monitoring: the process answers; no database is touched."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis() -> None:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return  # the embedded default has no Redis
    client = redis.Redis.from_url(
        url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT
    )
    try:
        client.ping()
    finally:
        client.close()


def _check_broker() -> None:
    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=0, timeout=PROBE_TIMEOUT)


CHECKS = {"database": _check_database, "redis": _check_redis, "broker": _check_broker}


@never_cache
@require_GET
def readyz(request):
    """Readiness: PostgreSQL, Redis (cache) and the Celery broker answer. 503 names what is down;
    the portal still answers pages while Redis is down (the cache fails open), but it should
    not receive new traffic it could route elsewhere."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # whatever the driver raises, the probe answers
            results[name] = f"down: {error.__class__.__name__}"
            logger.error("readyz: %s is down: %s", name, error)
    status = 200 if all(value == "ok" for value in results.values()) else 503
    return HttpResponse(
        json.dumps(results), status=status, content_type="application/json; charset=utf-8"
    )

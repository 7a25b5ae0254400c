"""Redis down: the cache fails open, so pages, API lists and ticket posts still answer; /readyz
answers 503 naming what is down; /healthz stays ok (a private redis-server started and stopped)."""

import json

import pytest
from django.urls import reverse

from tests.faults.harness import private_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_then_down(settings):
    with private_redis() as redis:
        settings.CACHES = {
            "default": {
                "BACKEND": "onebuh.cache.FailOpenRedisCache",
                "LOCATION": redis.url,
                "KEY_PREFIX": "onebuh-down",
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            }
        }
        settings.REDIS_URL = redis.url
        settings.CELERY_BROKER_URL = redis.url
        yield redis


def test_pages_answer_while_redis_is_down_and_readyz_says_so(client, owner, redis_then_down):
    client.force_login(owner)
    pages = [
        reverse("subscribers:dashboard"),
        reverse("support:index"),
        "/api/v1/infobases/",
    ]
    assert [client.get(url).status_code for url in pages] == [200, 200, 200]
    assert client.get(reverse("readyz")).status_code == 200
    redis_then_down.stop()
    assert [client.get(url).status_code for url in pages] == [200, 200, 200]
    ready = client.get(reverse("readyz"))
    assert ready.status_code == 503
    answer = json.loads(ready.content)
    assert answer["database"] == "ok"
    assert answer["redis"].startswith("down") and answer["broker"].startswith("down")
    assert client.get(reverse("healthz")).status_code == 200
    # Signing in still works (the lockout counts nothing while Redis is down).
    client.logout()
    assert client.get(reverse("account_login")).status_code == 200
    signed_in = client.post(
        reverse("account_login"), {"login": owner.email, "password": "correct-horse-battery"}
    )
    assert signed_in.status_code == 302

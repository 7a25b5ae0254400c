"""The test suite: the real PostgreSQL and Redis on 127.0.0.1, never SQLite."""

import os

import dj_database_url

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/onebuh")
    )
}
if DATABASE_REPLICA_URL:  # noqa: F405  (tests/onebuh/test_replica.py's own process)
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL)  # noqa: F405
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1")
CACHES = {
    "default": {
        "BACKEND": "onebuh.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "onebuh-test",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
# Tasks run in the test's own process and transaction; their code is the production code.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Like the eager Celery above: an email written to the outbox is delivered at once in the
# test's process, so tests read mail.outbox as before. Tests of the outbox itself turn it off.
ONEBUH_OUTBOX_EAGER_EMAIL = True
# The customer's bucket in tests is the local moto server on 127.0.0.1 (tests/s3.py).
ONEBUH_BACKUP_TARGET_ALLOW_PRIVATE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The file system by default; tests of object storage switch to S3 against a local moto server
# (tests/s3.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "infobases": {"BACKEND": "infobases.storage.InfobasesFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False

# Static files straight from the app and static/ folders; collectstatic is for production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

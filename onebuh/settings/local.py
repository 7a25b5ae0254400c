"""Developer machine and `make run`: debug on, emails to the console, embedded defaults."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "local-insecure-key-only-for-make-run"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Static files straight from the app and static/ folders; collectstatic is for production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A MinIO next to `make run` may serve as a customer's bucket.
ONEBUH_BACKUP_TARGET_ALLOW_PRIVATE = True
# Online payment through the local sandbox page (marked «Песочница»): no money moves.
ONEBUH_PAYMENT_PROVIDER = os.environ.get("ONEBUH_PAYMENT_PROVIDER", "sandbox")

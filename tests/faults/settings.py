"""Settings of the worker, dispatcher and beat subprocesses the fault tests start: the test
settings, but Celery for real (a private Redis as broker), emails written as files (the remote
SMTP peer is what cannot run here) and short leases so a dead worker's work comes back soon."""

import os

from onebuh.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
ONEBUH_OUTBOX_EAGER_EMAIL = False
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ["ONEBUH_FAULTS_MAIL_DIR"]
CELERY_BROKER_URL = os.environ["REDIS_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
ONEBUH_LEASE_SECONDS = int(os.environ.get("ONEBUH_LEASE_SECONDS", "6"))
ONEBUH_OPERATIONS_DISPATCH_LEASE_SECONDS = int(
    os.environ.get("ONEBUH_OPERATIONS_DISPATCH_LEASE_SECONDS", "30")
)

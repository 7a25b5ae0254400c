"""Settings shared by every environment; each value that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
import sentry_sdk
from celery.schedules import crontab
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Everything the portal writes at run time (SQLite file, file-system broker, uploads, infobase
# folders of the local 1C driver) lives under one folder, outside the web root.
DATA_DIR = Path(os.environ.get("ONEBUH_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("ONEBUH_SITE_URL", "http://localhost:8000").rstrip("/")
# The service's name in every email (allauth's too, which would otherwise use the request's host).
ONEBUH_SITE_NAME = os.environ.get("ONEBUH_SITE_NAME", "ONEbuh")

INSTALLED_APPS = [
    "onebuh.apps.OnebuhConfig",
    "subscribers",
    "billing",
    "infobases",
    "support",
    "operations",
    "api",
    "outbox",
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "onebuh.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "subscribers.middleware.MembershipMiddleware",
    "subscribers.middleware.TermsMiddleware",
    "subscribers.middleware.StaffMfaMiddleware",
    "onebuh.limits.LimitMiddleware",
]

ROOT_URLCONF = "onebuh.urls"
WSGI_APPLICATION = "onebuh.wsgi.application"
ASGI_APPLICATION = "onebuh.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "subscribers.context_processors.panel",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A connection that died (PostgreSQL restarted) is replaced before the request uses it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default runs the web server, a worker and beat on one file: wait for the
    # write lock instead of failing, and take it at the start of each transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone has no var/ yet
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
# A streaming replica for reports (onebuh/replica.py): reads inside reports_replica() go there.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# The panel's fixed-shape queries are prepared once per database session (onebuh/compiled.py);
# false behind a pooler in transaction mode, which does not keep a session's statements.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)
DATABASE_ROUTERS = ["onebuh.replica.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions read from the cache (Redis in production), written through to the database: every
# signed-in page reads its session, and a cache get costs less than the ORM query it replaces
# (issue 16.4). A miss (evicted, Redis down: the cache fails open) reads the database row. The
# cached copy lives at most five minutes (onebuh/sessions.py: a sign-out during a Redis outage).
SESSION_ENGINE = "onebuh.sessions"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Fails open (onebuh/cache.py): with Redis down a read is a miss, not a 500; short
    # timeouts so an unreachable Redis costs a request half a second at most.
    CACHES = {
        "default": {
            "BACKEND": "onebuh.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "onebuh",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "subscribers.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "subscribers:dashboard"

# django-allauth: email is the login; the address must be verified before the panel opens.
ACCOUNT_ADAPTER = "subscribers.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up shows the current service terms and records their explicit acceptance (issue 14).
ACCOUNT_FORMS = {"signup": "subscribers.signup.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "ONEbuh: "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# What one subscriber, member, token or address may do in a window (issue 18; onebuh/limits.py):
# "count/period", period s, m, h or d (e.g. "5/10m"). Redis-backed, failing open; over the limit
# the answer is 429 with Retry-After. Sign-ups are counted here, not by allauth, to fail open too.
ONEBUH_LIMITS = {
    "invitation": os.environ.get("ONEBUH_LIMIT_INVITATIONS", "20/h"),  # per subscriber
    "status_subscribe_ip": os.environ.get("ONEBUH_LIMIT_STATUS_SUBSCRIBE_IP", "5/h"),
    "status_subscribe_email": os.environ.get("ONEBUH_LIMIT_STATUS_SUBSCRIBE_EMAIL", "10/d"),
    "ticket_member": os.environ.get("ONEBUH_LIMIT_TICKETS_MEMBER", "5/m"),  # panel and API
    "ticket_1c_token": os.environ.get("ONEBUH_LIMIT_TICKETS_1C_TOKEN", "5/m"),  # 1C form
    "token_failure_ip": os.environ.get("ONEBUH_LIMIT_TOKEN_FAILURES_IP", "10/m"),
    "signup_ip": os.environ.get("ONEBUH_LIMIT_SIGNUPS_IP", "10/h"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ONEbuh"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "templates" / "locale"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# One storage layer for every stored file (onebuh/files.py): "default" holds attachments and
# reports, "infobases" backups and uploaded .dt files. The file system on the embedded default;
# S3-compatible object storage (django-storages, boto3) when ONEBUH_S3_BUCKET is set, so every
# web node and worker sees the same files and big bodies go browser <-> storage directly.
ONEBUH_S3_BUCKET = os.environ.get("ONEBUH_S3_BUCKET", "")
ONEBUH_S3_OPTIONS = {
    "bucket_name": ONEBUH_S3_BUCKET,
    "endpoint_url": os.environ.get("ONEBUH_S3_ENDPOINT_URL") or None,
    "region_name": os.environ.get("ONEBUH_S3_REGION") or None,
    "access_key": os.environ.get("ONEBUH_S3_ACCESS_KEY_ID") or None,
    "secret_key": os.environ.get("ONEBUH_S3_SECRET_ACCESS_KEY") or None,
    "addressing_style": os.environ.get("ONEBUH_S3_ADDRESSING_STYLE", "path"),
    "signature_version": "s3v4",
    "default_acl": None,
    "file_overwrite": False,
    "querystring_auth": True,
    # Presigned download links live this long (seconds): minted after the permission check.
    "querystring_expire": int(os.environ.get("ONEBUH_S3_URL_SECONDS", "300")),
}
if ONEBUH_S3_BUCKET:
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**ONEBUH_S3_OPTIONS, "location": "media"},
        },
        "infobases": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**ONEBUH_S3_OPTIONS, "location": "infobases"},
        },
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "infobases": {"BACKEND": "infobases.storage.InfobasesFileSystemStorage"},
    }
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}
# On the file system, a download can be handed to the front web server after the permission
# check (nginx `internal` location mapping this prefix to ONEBUH_DATA_DIR): X-Accel-Redirect.
# Unset, the portal streams the file itself (the embedded default).
ONEBUH_X_ACCEL_REDIRECT_PREFIX = os.environ.get("ONEBUH_X_ACCEL_REDIRECT_PREFIX", "")
# Resumable .dt uploads come in parts of this size (S3 needs at least 5 MiB but the last one).
ONEBUH_UPLOAD_PART_BYTES = int(os.environ.get("ONEBUH_UPLOAD_PART_BYTES", str(16 * 2**20)))
# Resumable uploads started and never finished are removed after this many hours (their parts on
# disk, or the S3 multipart upload aborted): infobases_uploads_cleanup, hourly.
ONEBUH_UPLOAD_ABANDONED_HOURS = int(os.environ.get("ONEBUH_UPLOAD_ABANDONED_HOURS", "48"))
# Sealed secrets (a customer's object-storage keys, onebuh/sealed.py): a Fernet key or any long
# secret; unset, a key derived from SECRET_KEY.
ONEBUH_FIELD_KEY = os.environ.get("ONEBUH_FIELD_KEY", "")
# Copies to a customer's own bucket: its endpoint must be https on a public address unless this
# is on (a private MinIO next to the portal, the tests' local S3 server).
ONEBUH_BACKUP_TARGET_ALLOW_PRIVATE = env_bool("ONEBUH_BACKUP_TARGET_ALLOW_PRIVATE")
# Uploads and generated files are private: they are served only through permission-checked views.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = None
FILE_UPLOAD_PERMISSIONS = 0o640
# Upload limits (onebuh/uploads.py): a body over the view's limit is refused on its declared length
# before it is read; a file over it is stopped while it streams in, before it is stored. Views
# with other needs (the .dt upload) declare their own with @upload_limits.
FILE_UPLOAD_HANDLERS = [
    "onebuh.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields (not files) held in memory: Django's 2.5 MB
ONEBUH_UPLOAD_FILE_MAX_BYTES = int(os.environ.get("ONEBUH_UPLOAD_FILE_MAX_BYTES", str(10 * 2**20)))
ONEBUH_UPLOAD_REQUEST_MAX_BYTES = int(
    os.environ.get("ONEBUH_UPLOAD_REQUEST_MAX_BYTES", str(51 * 2**20))
)

# Content-Security-Policy (django-csp): scripts only from our own static files — no inline
# scripts or event handlers (static/js/portal.js gives pages their behaviours through data
# attributes). Inline style attributes stay allowed: the Django admin uses them. The nonce is
# added only to a page that asks for request.csp_nonce: the API documentation's start-up script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],  # data: the TOTP set-up QR code
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Redoc (the API reference) runs its search in a worker it builds from a blob.
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ONEbuh <noreply@1b.kz>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SUPPORT_EMAIL = os.environ.get("ONEBUH_SUPPORT_EMAIL", "support@1b.kz")
# Support desk (support app): where SLA warnings (the operator's queue) and escalations (the duty
# manager) go, the webhook secrets of 1C-Connect and the mail provider, the IMAP mailbox polled.
ONEBUH_SUPPORT_QUEUE_EMAIL = os.environ.get("ONEBUH_SUPPORT_QUEUE_EMAIL", "support-queue@1b.kz")
ONEBUH_SUPPORT_DUTY_EMAIL = os.environ.get("ONEBUH_SUPPORT_DUTY_EMAIL", "duty@1b.kz")
ONEBUH_CONNECT_WEBHOOK_SECRET = os.environ.get("ONEBUH_CONNECT_WEBHOOK_SECRET", "")
ONEBUH_MAIL_WEBHOOK_SECRET = os.environ.get("ONEBUH_MAIL_WEBHOOK_SECRET", "")
ONEBUH_SUPPORT_IMAP_HOST = os.environ.get("ONEBUH_SUPPORT_IMAP_HOST", "")
ONEBUH_SUPPORT_IMAP_PORT = int(os.environ.get("ONEBUH_SUPPORT_IMAP_PORT", "993"))
ONEBUH_SUPPORT_IMAP_USER = os.environ.get("ONEBUH_SUPPORT_IMAP_USER", "")
ONEBUH_SUPPORT_IMAP_PASSWORD = os.environ.get("ONEBUH_SUPPORT_IMAP_PASSWORD", "")
ONEBUH_SUPPORT_IMAP_FOLDER = os.environ.get("ONEBUH_SUPPORT_IMAP_FOLDER", "INBOX")
# IMAP over TLS is verified against the system CAs, or only against this CA file when set. Turning
# verification off is an explicit choice that logs a warning at every poll.
ONEBUH_SUPPORT_IMAP_CA_FILE = os.environ.get("ONEBUH_SUPPORT_IMAP_CA_FILE", "")
ONEBUH_SUPPORT_IMAP_VERIFY_TLS = env_bool("ONEBUH_SUPPORT_IMAP_VERIFY_TLS", True)
# Sender authenticity of inbound mail: the authserv-id of the operator's own receiving server, whose
# Authentication-Results header is trusted (any other such header is the sender's word). Without
# one, a message's DKIM signature is verified (DNS lookups bounded by the timeout).
ONEBUH_SUPPORT_MAIL_AUTHSERV_ID = os.environ.get("ONEBUH_SUPPORT_MAIL_AUTHSERV_ID", "")
ONEBUH_SUPPORT_MAIL_DKIM_TIMEOUT = int(os.environ.get("ONEBUH_SUPPORT_MAIL_DKIM_TIMEOUT", "5"))

# 1C applications (infobases app). The driver runs the operator's 1C cluster: "local" keeps each
# infobase as a folder under ONEBUH_INFOBASES_DIR (make run, tests); "cluster" calls rac, ibcmd
# and webinst. Backups and uploaded .dt files are stored under ONEBUH_INFOBASES_DIR either way.
ONEBUH_INFOBASES_DRIVER = os.environ.get("ONEBUH_INFOBASES_DRIVER", "local")
ONEBUH_INFOBASES_DIR = Path(os.environ.get("ONEBUH_INFOBASES_DIR", DATA_DIR / "infobases"))
ONEBUH_INFOBASES_UPLOAD_MAX_BYTES = int(
    os.environ.get("ONEBUH_INFOBASES_UPLOAD_MAX_BYTES", str(20 * 1024**3))
)
# Caps of a .dt archive's expansion (issue 18): the marker, each entry, the total (also at most
# ONEBUH_DT_MAX_RATIO times the archive's size, but never below the floor) and the entry count.
ONEBUH_DT_MARKER_MAX_BYTES = int(os.environ.get("ONEBUH_DT_MARKER_MAX_BYTES", str(64 * 1024)))
ONEBUH_DT_ENTRY_MAX_BYTES = int(os.environ.get("ONEBUH_DT_ENTRY_MAX_BYTES", str(8 * 1024**3)))
ONEBUH_DT_TOTAL_MAX_BYTES = int(os.environ.get("ONEBUH_DT_TOTAL_MAX_BYTES", str(100 * 1024**3)))
ONEBUH_DT_MAX_RATIO = int(os.environ.get("ONEBUH_DT_MAX_RATIO", "100"))
ONEBUH_DT_RATIO_FLOOR_BYTES = int(os.environ.get("ONEBUH_DT_RATIO_FLOOR_BYTES", str(256 * 1024**2)))
ONEBUH_DT_MAX_ENTRIES = int(os.environ.get("ONEBUH_DT_MAX_ENTRIES", "10000"))
ONEBUH_INFOBASES_DOWNLOAD_LINK_SECONDS = int(
    os.environ.get("ONEBUH_INFOBASES_DOWNLOAD_LINK_SECONDS", "3600")
)
# Where the web publications answer (web client and thin client over HTTP).
ONEBUH_INFOBASES_WEB_URL = os.environ.get("ONEBUH_INFOBASES_WEB_URL", "https://1b.kz").rstrip("/")
# How long a generated 1C password waits for its one-time reveal in the panel (issue 14).
ONEBUH_1C_PASSWORD_REVEAL_HOURS = int(os.environ.get("ONEBUH_1C_PASSWORD_REVEAL_HOURS", "72"))
ONEBUH_1C_CLUSTER = {
    "rac": os.environ.get("ONEBUH_1C_RAC", "/opt/1cv8/x86_64/current/rac"),
    "ibcmd": os.environ.get("ONEBUH_1C_IBCMD", "/opt/1cv8/x86_64/current/ibcmd"),
    "webinst": os.environ.get("ONEBUH_1C_WEBINST", "/opt/1cv8/x86_64/current/webinst"),
    "ras": os.environ.get("ONEBUH_1C_RAS", "localhost:1545"),
    "server": os.environ.get("ONEBUH_1C_SERVER", "localhost"),
    "cluster": os.environ.get("ONEBUH_1C_CLUSTER_ID", ""),
    "cluster_user": os.environ.get("ONEBUH_1C_CLUSTER_USER", ""),
    "cluster_password": os.environ.get("ONEBUH_1C_CLUSTER_PASSWORD", ""),
    "infobase_user": os.environ.get("ONEBUH_1C_INFOBASE_USER", ""),
    "infobase_password": os.environ.get("ONEBUH_1C_INFOBASE_PASSWORD", ""),
    "db_server": os.environ.get("ONEBUH_1C_DB_SERVER", "localhost"),
    "db_user": os.environ.get("ONEBUH_1C_DB_USER", "postgres"),
    "db_password": os.environ.get("ONEBUH_1C_DB_PASSWORD", ""),
    "web_dir": os.environ.get("ONEBUH_1C_WEB_DIR", "/var/www/1c"),
    "apache_conf": os.environ.get("ONEBUH_1C_APACHE_CONF", "/etc/apache2/conf-enabled/1c.conf"),
    # Run after each webinst so Apache reads the publication (README, "1C side": sudo rule).
    "reload": os.environ.get("ONEBUH_1C_RELOAD", "sudo -n /usr/sbin/apachectl graceful"),
    "v8client": os.environ.get("ONEBUH_1C_CLIENT", "/opt/1cv8/x86_64/current/1cv8"),
    # The external data processor the operator builds from onec/ONEbuhAgent (its README).
    "agent_epf": os.environ.get("ONEBUH_1C_AGENT_EPF", "/opt/onebuh/ONEbuhAgent.epf"),
    # Output encoding of the tools: utf-8 on Linux, cp866 for rac on Windows.
    "encoding": os.environ.get("ONEBUH_1C_ENCODING", "utf-8"),
    # Seconds per kind of call (infobases/provisioning/tools.py has the defaults).
    "timeouts": {
        kind: int(os.environ[f"ONEBUH_1C_TIMEOUT_{kind.upper()}"])
        for kind in ("rac", "webinst", "reload", "client", "ibcmd")
        if os.environ.get(f"ONEBUH_1C_TIMEOUT_{kind.upper()}")
    },
    # Where request files for the agent are written (0700; files 0600, deleted after use).
    "work_dir": os.environ.get("ONEBUH_1C_WORK_DIR", str(DATA_DIR / "1c-work")),
    # Derives the portal's own permission code per infobase; SECRET_KEY when empty.
    "service_secret": os.environ.get("ONEBUH_1C_SERVICE_SECRET", ""),
}

# Celery: Redis when REDIS_URL is set, otherwise the file-system transport under DATA_DIR.
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A task whose worker process was killed goes back to the queue at once, not after the
# visibility timeout. Tasks are safe to run twice (the outbox and the leases make them so).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Every task has a time limit; the long ones (operations, reports) set their own.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("ONEBUH_TASK_SOFT_TIME_LIMIT", "600"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("ONEBUH_TASK_TIME_LIMIT", "660"))
# A claimed row (outbox message, operation, report build) belongs to its worker this long; a
# live worker renews it every third of it, a dead one loses it and the reaper takes it back.
ONEBUH_LEASE_SECONDS = int(os.environ.get("ONEBUH_LEASE_SECONDS", "120"))
# Outbox rows per delivery task, and at most this many claimed at once (the database is the
# queue; the broker holds only what the workers are about to do).
ONEBUH_OUTBOX_CHUNK = int(os.environ.get("ONEBUH_OUTBOX_CHUNK", "50"))
ONEBUH_OUTBOX_IN_FLIGHT = int(os.environ.get("ONEBUH_OUTBOX_IN_FLIGHT", "1000"))
# Start the dispatcher right after each commit that owes something (off: wait for the beat).
ONEBUH_OUTBOX_KICK = env_bool("ONEBUH_OUTBOX_KICK", True)
# Cluster operations: per chunk (one task runs them in order), at most this many sent or running,
# a chunk gives back what it has not started after this many seconds, and a chunk that has not
# started within the dispatch lease is sent again (infobases/services/dispatch.py).
ONEBUH_OPERATIONS_CHUNK = int(os.environ.get("ONEBUH_OPERATIONS_CHUNK", "20"))
ONEBUH_OPERATIONS_IN_FLIGHT = int(os.environ.get("ONEBUH_OPERATIONS_IN_FLIGHT", "200"))
ONEBUH_OPERATIONS_CHUNK_SECONDS = int(os.environ.get("ONEBUH_OPERATIONS_CHUNK_SECONDS", "600"))
ONEBUH_OPERATIONS_DISPATCH_LEASE_SECONDS = int(
    os.environ.get("ONEBUH_OPERATIONS_DISPATCH_LEASE_SECONDS", "900")
)
# Time limits per kind of task: a chunk of operations may run one 1C call (ONEBUH_1C_TIMEOUT)
# past its budget; the monthly proposal gets half an hour.
_ONE_C_TIMEOUT = int(os.environ.get("ONEBUH_1C_TIMEOUT", "3600"))
CELERY_TASK_ANNOTATIONS = {
    "infobases.run_operations": {
        "soft_time_limit": _ONE_C_TIMEOUT + ONEBUH_OPERATIONS_CHUNK_SECONDS + 300,
        "time_limit": _ONE_C_TIMEOUT + ONEBUH_OPERATIONS_CHUNK_SECONDS + 360,
    },
    "operations.tasks.proposal_build_task": {"soft_time_limit": 1800, "time_limit": 1860},
}
# Workers per queue (README, "Scaling out"): with ONEBUH_OPERATIONS_QUEUE set, the chunks of 1C
# operations (tool calls of up to an hour) go to that queue, for a worker group of their own
# (`celery -A onebuh worker -Q onec`), so they never hold up the outbox's deliveries (mail,
# copies to customers' buckets, report builds), the SLA scan and the mail poll on the default
# queue "celery". Unset, one worker group takes everything (make run, the tests).
ONEBUH_OPERATIONS_QUEUE = os.environ.get("ONEBUH_OPERATIONS_QUEUE", "")
CELERY_TASK_ROUTES = (
    {"infobases.run_operations": {"queue": ONEBUH_OPERATIONS_QUEUE}}
    if ONEBUH_OPERATIONS_QUEUE
    else {}
)
# django-celery-beat's database scheduler behind a PostgreSQL advisory lock: one beat sends.
CELERY_BEAT_SCHEDULER = "onebuh.beat:SingleBeatScheduler"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Longer than the longest task's hard time limit (an operation chunk: the 1C tools' timeout
    # plus a margin), so Redis never hands a running task to a second worker. Killed tasks
    # come back sooner: task_reject_on_worker_lost, and the leases of the rows they held.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _ONE_C_TIMEOUT + ONEBUH_OPERATIONS_CHUNK_SECONDS + 1200
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(DATA_DIR / "broker" / "out"),
        "data_folder_out": str(DATA_DIR / "broker" / "out"),
        "control_folder": str(DATA_DIR / "broker" / "control"),
    }
    for folder in ("out", "control"):
        (DATA_DIR / "broker" / folder).mkdir(parents=True, exist_ok=True)
# Periodic work. Each entry's task is also a management command (see README, "Operations").
# Times are Asia/Almaty (CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE: dict = {}
# The outbox (ARCHITECTURE.md): owed side effects, queued operations, the reaper.
CELERY_BEAT_SCHEDULE |= {
    "outbox-dispatch": {"task": "outbox.dispatch", "schedule": crontab(minute="*")},
}
# Billing (3.5, 3.6): charge on the 1st (and any late start), suspend the day after the due date,
# purge in the quiet hours (6.2), remind in the morning; payments resume at once by themselves.
CELERY_BEAT_SCHEDULE |= {
    "billing-run": {"task": "billing.tasks.billing_run_monthly", "schedule": crontab(minute=10)},
    "billing-suspend": {
        "task": "billing.tasks.billing_suspend_overdue",
        "schedule": crontab(minute=20),
    },
    "billing-resume": {
        "task": "billing.tasks.billing_resume_paid",
        "schedule": crontab(minute="*/15"),
    },
    "billing-purge": {
        "task": "billing.tasks.billing_purge_expired",
        "schedule": crontab(hour=2, minute=30),
    },
    "billing-remind": {
        "task": "billing.tasks.billing_send_reminders",
        "schedule": crontab(hour=10, minute=0),
    },
}
# Infobases (1.2, 2.2, 2.4, 7): nightly backups at the start of the 01:00–06:00 window (6.2),
# retention after them, release updates checked every 15 minutes (they start only inside the
# window), licence renewals on the 1st.
CELERY_BEAT_SCHEDULE |= {
    "infobases-backup-daily": {
        "task": "infobases.tasks.backups_daily",
        "schedule": crontab(hour=1, minute=0),
    },
    "infobases-backup-retention": {
        "task": "infobases.tasks.backups_retention",
        "schedule": crontab(hour=5, minute=30),
    },
    "infobases-uploads-cleanup": {
        "task": "infobases.tasks.uploads_cleanup",
        "schedule": crontab(minute=40),
    },
    "infobases-updates-due": {
        "task": "infobases.tasks.updates_due",
        "schedule": crontab(minute="*/15"),
    },
    "infobases-licence-renewals": {
        "task": "infobases.tasks.licences_renewals",
        "schedule": crontab(day_of_month=1, hour=0, minute=15),
    },
}
# Support (6.1, 6.3, 6.4): SLA timers and the support@ mailbox, every minute.
CELERY_BEAT_SCHEDULE |= {
    "support-sla-scan": {"task": "support.sla_scan", "schedule": crontab(minute="*")},
    "support-mail-poll": {"task": "support.mail_poll", "schedule": crontab(minute="*")},
}
# Operations (6.2, 9.2): work reminders the day before; on the 1st, the proposal for the month
# just ended (crediting it stays a staff decision).
CELERY_BEAT_SCHEDULE |= {
    "operations-work-reminders": {
        "task": "operations.tasks.works_send_reminders_task",
        "schedule": crontab(minute="*/15"),
    },
    "operations-propose-compensation": {
        "task": "operations.tasks.proposal_build_task",
        "schedule": crontab(day_of_month=1, hour=7, minute=0),
    },
}

REST_FRAMEWORK = {
    # Every DRF view (the API, the 1C form): the Russian schema with its shared error answers,
    # and the one JSON error shape of api/exceptions.py.
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # /api/v1/ (api app): per personal token (or signed-in person) and per client address.
    "DEFAULT_THROTTLE_RATES": {
        "api_token": os.environ.get("ONEBUH_API_RATE_TOKEN", "120/min"),
        "api_ip": os.environ.get("ONEBUH_API_RATE_IP", "300/min"),
    },
    # Proxies in front of the portal: the client's address is taken from X-Forwarded-For
    # behind that many of them; 0 trusts only the connection's address (no spoofing).
    "NUM_PROXIES": int(os.environ.get("ONEBUH_API_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    # The title, description and tags are set in Russian by api.schema.postprocess_schema.
    "TITLE": "ONEbuh API",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.postprocess_schema",
    ],
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation pages load Swagger UI and Redoc from our own static files, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per set of choices (several models have a "status" or a "role").
    "ENUM_NAME_OVERRIDES": {
        "MemberRoleEnum": "subscribers.models.MemberRole",
        "InvitableRoleEnum": "api.views.subscribers.INVITABLE_ROLES",
        "AccessRoleEnum": "infobases.models.AccessRole",
        "InfobaseStatusEnum": "infobases.models.InfobaseStatus",
        "BackupStatusEnum": "infobases.models.BackupStatus",
        "TicketStatusEnum": "support.models.TicketStatus",
        "InvoiceStatusEnum": "billing.models.InvoiceStatus",
        "ClaimStatusEnum": "operations.models.ClaimStatus",
    },
}

# The operator's accountants: payments to refund (one on an account whose data were purged).
ONEBUH_ACCOUNTING_EMAIL = os.environ.get("ONEBUH_ACCOUNTING_EMAIL", "buh@1b.kz")

# Staff must have a second factor before they reach the admin (see subscribers.middleware).
ONEBUH_STAFF_MFA_REQUIRED = env_bool("ONEBUH_STAFF_MFA_REQUIRED", True)

# The payment provider signs its callbacks with this shared secret (onebuh/webhooks.py).
ONEBUH_PAYMENT_WEBHOOK_SECRET = os.environ.get("ONEBUH_PAYMENT_WEBHOOK_SECRET", "")
# Signed webhooks carry their sending time; older or newer than this is refused (replays).
ONEBUH_WEBHOOK_TOLERANCE_SECONDS = int(os.environ.get("ONEBUH_WEBHOOK_TOLERANCE_SECONDS", "300"))

# The operator's requisites, printed on invoices, statements and reports.
ONEBUH_OPERATOR = {
    "name": "ТОО «Интернет-компания PS»",
    "bin": os.environ.get("ONEBUH_OPERATOR_BIN", "000740001307"),
    "address": os.environ.get("ONEBUH_OPERATOR_ADDRESS", "Республика Казахстан, г. Алматы"),
    # ИИК (IBAN) of the operator; the default is a well-formed demo account of the same bank.
    "iban": os.environ.get("ONEBUH_OPERATOR_IBAN", "KZ566010002000012345"),
    "bank": os.environ.get("ONEBUH_OPERATOR_BANK", "АО «Народный Банк Казахстана»"),
    "bik": os.environ.get("ONEBUH_OPERATOR_BIK", "HSBKKZKX"),
    # Код бенефициара (17: a resident non-state commercial organisation) and the payment purpose
    # code for services (КНП 859), printed on invoices for the payer's payment order.
    "kbe": os.environ.get("ONEBUH_OPERATOR_KBE", "17"),
    "knp": os.environ.get("ONEBUH_OPERATOR_KNP", "859"),
    # VAT: a rate in percent ("12") included in the prices, or empty for "без НДС".
    "vat_rate": os.environ.get("ONEBUH_OPERATOR_VAT_RATE", ""),
    "director": os.environ.get("ONEBUH_OPERATOR_DIRECTOR", "Директор"),
    "phone": "+7 (727) 388-82-31",
    "email": "support@1b.kz",
    "site": "https://1b.kz",
}

# The operator's own accounts (ИИК/IBAN, comma-separated): credits to them in an imported bank
# statement are payments; other accounts and debits are ignored. Default: the invoice's ИИК.
ONEBUH_OPERATOR_ACCOUNTS = [
    account.strip().upper()
    for account in os.environ.get("ONEBUH_OPERATOR_ACCOUNTS", ONEBUH_OPERATOR["iban"]).split(",")
    if account.strip()
]

# Online payment (billing/providers/): "cloudpayments" (the acquirer), "sandbox" (a local page
# marked as a sandbox that completes the flow, for make run and tests) or "" (no online payment).
ONEBUH_PAYMENT_PROVIDER = os.environ.get("ONEBUH_PAYMENT_PROVIDER", "")
ONEBUH_CLOUDPAYMENTS = {
    "public_id": os.environ.get("ONEBUH_CLOUDPAYMENTS_PUBLIC_ID", ""),
    # The API secret signs the notifications (Content-HMAC) and authenticates our API calls.
    "api_secret": os.environ.get("ONEBUH_CLOUDPAYMENTS_API_SECRET", ""),
    "api_url": os.environ.get("ONEBUH_CLOUDPAYMENTS_API_URL", "https://api.cloudpayments.ru"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # One JSON object a line (python-json-logger) for log collectors: ONEBUH_LOG_JSON=true.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if env_bool("ONEBUH_LOG_JSON", False) else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The MT940 reader logs every failed pattern; the importer reports the line instead.
        "mt940": {"level": "CRITICAL"},
    },
}

# Prometheus: GET /metrics with "Authorization: Bearer <token>" (onebuh/metrics.py); unset, the
# endpoint answers 404.
ONEBUH_METRICS_TOKEN = os.environ.get("ONEBUH_METRICS_TOKEN", "")
# Error reports to Sentry (or a compatible service) when set.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )

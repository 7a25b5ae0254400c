import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "onebuh.settings.production",
    "DJANGO_SECRET_KEY": "p8Gv2#kQz@1mW7rT!yL4sN9bX0cE6hJ3uA5fD-oR+iK8wZ_tM2qB",
    "DJANGO_ALLOWED_HOSTS": "1b.kz",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/onebuh",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "ONEBUH_S3_BUCKET": "onebuh",
    "ONEBUH_S3_ENDPOINT_URL": "http://127.0.0.1:9",
}


def _manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_check_deploy_reports_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_on_a_disk_without_x_accel_redirect_is_warned_about():
    """Backups would stream through gunicorn (issue 16.1): --deploy says so."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if not k.startswith("ONEBUH_S3_")}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0 and "onebuh.W001" in result.stderr + result.stdout
    env["ONEBUH_X_ACCEL_REDIRECT_PREFIX"] = "/protected/"
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


_LOG_AND_SENTRY = (
    "import logging, sentry_sdk; "
    "logging.getLogger('onebuh.probe').warning('проба журнала'); "
    "print('sentry', sentry_sdk.get_client().is_active())"
)


def test_production_logs_json_lines_and_sentry_starts_only_with_a_dsn():
    result = _manage("shell", "-c", _LOG_AND_SENTRY, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "проба журнала" and line["levelname"] == "WARNING"
    assert line["name"] == "onebuh.probe" and "asctime" in line
    assert "sentry False" in result.stdout

    env = {**PRODUCTION_ENV, "SENTRY_DSN": "https://public@127.0.0.1:9/1"}
    result = _manage("shell", "-c", _LOG_AND_SENTRY, env=env)
    assert result.returncode == 0, result.stderr
    assert "sentry True" in result.stdout

    result = _manage("shell", "-c", _LOG_AND_SENTRY, env={**PRODUCTION_ENV, "ONEBUH_LOG_JSON": "0"})
    assert result.stderr.strip().splitlines()[-1] == "проба журнала"


_ROUTES = (
    "from onebuh.celery import app; "
    "print(*[app.amqp.router.route({}, name)['queue'].name "
    "for name in ('infobases.run_operations', 'outbox.deliver', 'support.sla_scan')])"
)


def test_1c_operations_go_to_their_own_queue_when_one_is_named():
    """Workers per queue (README, Scaling out); unset, everything is on the default queue."""
    result = _manage("shell", "-c", _ROUTES, env=PRODUCTION_ENV)
    assert result.stdout.split()[-3:] == ["celery", "celery", "celery"], result.stderr
    env = {**PRODUCTION_ENV, "ONEBUH_OPERATIONS_QUEUE": "onec"}
    result = _manage("shell", "-c", _ROUTES, env=env)
    assert result.stdout.split()[-3:] == ["onec", "celery", "celery"], result.stderr


def test_production_refuses_to_start_without_a_real_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "short"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    env = {**PRODUCTION_ENV, "DJANGO_DEBUG": "true"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


def test_time_zone_and_language():
    from django.conf import settings

    assert settings.TIME_ZONE == "Asia/Almaty"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "ru"

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

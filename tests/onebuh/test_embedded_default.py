"""`make run` needs no server: with no DATABASE_URL/REDIS_URL the portal runs on SQLite and the
file-system Celery broker. Start it for real, fetch the login page, stop it."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process, deadline: float) -> bytes:
    last_error = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError as error:
            last_error = error
            process.wait(timeout=0.2) if process.poll() is not None else time.sleep(0.2)
    raise AssertionError(f"{url} did not answer: {last_error}")


def test_embedded_default_serves_the_login_page(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(ONEBUH_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="onebuh.settings.local")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=300)
    assert (tmp_path / "db.sqlite3").exists()
    # The Celery app resolves the file-system transport with no broker server at all.
    probe = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from onebuh.celery import app; print(app.connection().transport_cls)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "filesystem" in probe.stdout
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = _wait_for(f"http://127.0.0.1:{port}/accounts/login/", server, time.monotonic() + 60)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "Войти".encode() in page


PANEL_PAGES_SCRIPT = """
from django.test import Client
from subscribers.models import User
client = Client()
for email in ("owner@demo-astana.kz", "ip@demo-shymkent.kz"):
    client.force_login(User.objects.get(email=email))
    for path in ("/", "/apps/", "/apps/backups/", "/members/", "/billing/", "/support/",
                 "/compensation/", "/status/", "/profile/"):
        print(email, path, client.get(path, HTTP_HOST="localhost").status_code)
"""


def _sqlite_env(data_dir) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(ONEBUH_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="onebuh.settings.local")
    return env


@pytest.fixture(scope="module")
def seeded_sqlite(tmp_path_factory):
    """A SQLite database of the embedded default, migrated and with the demo data (once for
    the tests of this module that read it)."""
    env = _sqlite_env(tmp_path_factory.mktemp("embedded"))
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, timeout=300, capture_output=True)
    return env, manage


def test_embedded_default_demo_panel_pages_render(seeded_sqlite):
    """The demo data loads on SQLite and every main panel page renders there: code that only
    PostgreSQL runs would otherwise break `make run` unnoticed."""
    env, manage = seeded_sqlite
    result = subprocess.run(
        [*manage, "shell", "-c", PANEL_PAGES_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in result.stdout.splitlines() if line.count(" ") == 2]
    assert len(lines) == 18, result.stdout + result.stderr
    failing = [line for line in lines if not line.endswith(" 200")]
    assert failing == [], result.stderr[-3000:]


def test_embedded_default_help_search_finds_russian_word_forms(seeded_sqlite):
    """Issue 14: on SQLite «тонкий клиент» found nothing for «…в тонком клиенте». The same
    checks as on PostgreSQL (tests/support/help_checks.py), on the embedded default's database."""
    env, manage = seeded_sqlite
    result = subprocess.run(
        [*manage, "shell", "-c", "from tests.support.help_checks import main; main()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "HELP-CHECKS-DONE" in result.stdout, result.stdout + result.stderr[-3000:]
    assert "FAILED" not in result.stdout, result.stdout


def test_embedded_default_worker_starts_on_the_file_system_broker(tmp_path):
    """The worker of `make run` connects to the file-system broker and gets ready."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(ONEBUH_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="onebuh.settings.local")
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "onebuh",
            "worker",
            "--pool=solo",
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line:
                break
            lines.append(line)
            if " ready." in line:
                break
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    output = "".join(lines)
    assert "filesystem://" in output
    assert " ready." in output, output

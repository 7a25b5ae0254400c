"""Real processes for the fault tests: a private redis-server, Celery workers, the dispatcher
and beat, on the test database (the tests commit: transactional_db). Waits poll the processes'
effects with bounded deadlines; nothing sleeps blindly."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PORTS = iter(range(16010, 16090))


def wait_for(predicate: Callable[[], object], *, timeout: float, what: str, every: float = 0.2):
    """Poll until `predicate()` is truthy; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 16010-16089")


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=20, what=f"redis-server on {self.port}")
        return self

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)
        wait_for(lambda: not self.answers(), timeout=10, what="redis-server to stop")

    def queued(self, queue: str = "celery") -> list[str]:
        """Task names waiting in the broker's queue."""
        import json

        import redis

        client = redis.Redis(port=self.port)
        return [json.loads(raw)["headers"]["task"] for raw in client.lrange(queue, 0, -1)]


@contextmanager
def private_redis():
    server = RedisServer(free_port()).start()
    try:
        yield server
    finally:
        server.stop()


def subprocess_env(*, redis_url: str, mail_dir: Path, data_dir: Path, **extra) -> dict:
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}"
        + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        + f"@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.faults.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        ONEBUH_FAULTS_MAIL_DIR=str(mail_dir),
        ONEBUH_INFOBASES_DIR=str(data_dir),
        ONEBUH_DATA_DIR=str(data_dir.parent),
        PYTHONPATH=str(ROOT),
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


class Worker:
    """`celery worker` in its own process group, so SIGKILL takes its pool children too."""

    def __init__(self, env: dict, *, log: Path, concurrency: int = 2):
        self.log = log
        self.process = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "onebuh",
                "worker",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(
            lambda: " ready." in log.read_text() or self.process.poll() is not None,
            timeout=120,
            what="the worker to get ready",
        )
        assert self.process.poll() is None, log.read_text()[-3000:]

    def kill(self):
        """SIGKILL the main process and its pool: nothing gets to clean up or acknowledge."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def manage(env: dict, *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


def send_task(env: dict, name: str, *args) -> None:
    """Publish one task to the private broker, as beat would."""
    import json

    manage(
        env,
        "shell",
        "-c",
        f"from onebuh.celery import app; app.send_task({name!r}, args={json.dumps(list(args))})",
    )


def sent_mail(mail_dir: Path) -> list[str]:
    """Message-IDs of every email the workers sent (the file backend writes one per message)."""
    ids = []
    for path in sorted(mail_dir.glob("*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                ids.append(line.split(":", 1)[1].strip())
    return ids

import json
from pathlib import Path

import pytest

from .harness import Worker, private_redis, subprocess_env

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "faults"


class Rig:
    """A private Redis, worker processes and the figures a fault test reports."""

    def __init__(self, tmp_path: Path, redis):
        self.redis = redis
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.data_dir = tmp_path / "data" / "infobases"
        self.data_dir.mkdir(parents=True)
        self.logs = tmp_path
        self.workers: list[Worker] = []
        self.figures: dict = {}

    def env(self, **extra) -> dict:
        return subprocess_env(
            redis_url=self.redis.url, mail_dir=self.mail_dir, data_dir=self.data_dir, **extra
        )

    def worker(self, **extra) -> Worker:
        worker = Worker(self.env(**extra), log=self.logs / f"worker{len(self.workers) + 1}.log")
        self.workers.append(worker)
        return worker

    def record(self, name: str, **figures):
        self.figures[name] = figures

    def close(self, test_name: str):
        for worker in self.workers:
            worker.stop()
        if self.figures:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            text = json.dumps(self.figures, ensure_ascii=False, indent=1, default=str)
            (ARTIFACTS / f"{test_name}.json").write_text(text)
            print(f"\nFAULT FIGURES {test_name}: {text}")


@pytest.fixture
def rig(tmp_path, settings, transactional_db, request):
    with private_redis() as redis:
        rig = Rig(tmp_path, redis)
        settings.ONEBUH_INFOBASES_DIR = rig.data_dir
        settings.ONEBUH_INFOBASES_DRIVER = "local"
        # This process only prepares data: what it owes waits for the workers under test.
        settings.ONEBUH_OUTBOX_KICK = False
        settings.ONEBUH_OUTBOX_EAGER_EMAIL = False
        try:
            yield rig
        finally:
            rig.close(request.node.name)

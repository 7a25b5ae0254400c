import pytest

from infobases.provisioning.local import LocalDriver
from tests.infobases.factories import ReleaseFactory, SolutionFactory, give_tariff


@pytest.fixture(autouse=True)
def infobases_dir(settings, tmp_path):
    settings.ONEBUH_INFOBASES_DIR = tmp_path / "infobases"
    settings.ONEBUH_INFOBASES_DRIVER = "local"
    return settings.ONEBUH_INFOBASES_DIR


@pytest.fixture
def local_driver(infobases_dir):
    return LocalDriver()


@pytest.fixture
def solution(db):
    solution = SolutionFactory(demo_template="")
    ReleaseFactory(solution=solution, version="3.0.10.1")
    return solution


@pytest.fixture
def tariff(subscriber):
    return give_tariff(subscriber, max_infobases=2, max_users=2, backup_retention_days=7)


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    """Run what a service queued on commit (Celery is eager in tests): the operations execute."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def ready_infobase(owner, subscriber, tariff, solution, run_now):
    from infobases.services import infobase_create

    infobase = run_now(
        lambda: infobase_create(
            subscriber=subscriber,
            solution=solution,
            name="Основная",
            with_demo_data=False,
            actor=owner,
        )
    )
    infobase.refresh_from_db()
    assert infobase.status == "ready", infobase.status_message
    return infobase

"""API test fixtures: a client with a real personal token (created by the service), and the
infobase driver on a temporary folder as in tests/infobases."""

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create


@pytest.fixture(autouse=True)
def _data_dirs(settings, tmp_path):
    settings.ONEBUH_INFOBASES_DIR = tmp_path / "infobases"
    settings.ONEBUH_INFOBASES_DRIVER = "local"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def token_for():
    """token_for(user, subscriber=None, scope="write") -> the raw token of that member."""

    def make(user, subscriber=None, scope="write"):
        memberships = user.memberships.all()
        membership = (
            memberships.get(subscriber=subscriber) if subscriber else memberships.earliest("pk")
        )
        return api_token_create(membership=membership, name="Интеграция", scope=scope)[1]

    return make


@pytest.fixture
def api_as(token_for):
    """api_as(user, scope="write") -> an APIClient presenting that member's token."""

    def make(user, scope="write", subscriber=None):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user, subscriber, scope)}")
        return client

    return make


@pytest.fixture
def owner_api(api_as, owner):
    return api_as(owner)


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    """Run what a request queued on commit (Celery is eager in tests): operations execute."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def solution(db):
    from tests.infobases.factories import ReleaseFactory, SolutionFactory

    solution = SolutionFactory(code="bk", demo_template="")
    ReleaseFactory(solution=solution, version="3.0.10.1")
    return solution


@pytest.fixture
def tariff(subscriber):
    from tests.infobases.factories import give_tariff

    return give_tariff(subscriber, max_infobases=2, max_users=3, backup_retention_days=7)


@pytest.fixture
def ready_infobase(owner_api, tariff, solution, run_now):
    """An infobase added through the API; its create operation runs (local driver)."""
    from infobases.models import Infobase

    response = run_now(
        lambda: owner_api.post(
            "/api/v1/infobases/", {"solution": "bk", "name": "Основная"}, format="json"
        )
    )
    assert response.status_code == 201, response.json()
    infobase = Infobase.objects.get(pk=response.json()["id"])
    assert infobase.status == "ready", infobase.status_message
    return infobase


@pytest.fixture
def local_driver(settings):
    from infobases.provisioning.local import LocalDriver

    return LocalDriver()

"""The admin's health check and the lift of an interrupted job's deny, on the cluster driver
against the strict fakes."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from infobases.models import Infobase
from infobases.provisioning.cluster import ClusterDriver
from tests.infobases.fake_1c import install, load_state, save_state


@pytest.fixture
def cluster(settings, tmp_path):
    fakes = install(tmp_path)
    settings.ONEBUH_INFOBASES_DRIVER = "cluster"
    settings.ONEBUH_1C_CLUSTER = fakes["config"]
    template = tmp_path / "bk.cf"
    template.write_bytes(b"cf")
    fakes["template"] = str(template)
    return fakes


def _post(client, action, infobase):
    url = reverse("admin:infobases_infobase_changelist")
    assert client.get(url).status_code == 200
    return client.post(url, {"action": action, "_selected_action": [infobase.pk]}, follow=True)


@pytest.fixture
def admin_client(staff_client, operator_engineer):
    return staff_client(operator_engineer)


def test_the_health_check_reports_a_missing_service_account(ready_infobase, cluster, admin_client):
    driver = ClusterDriver()
    driver.create(ref=ready_infobase.ref, template=cluster["template"])
    page = _post(admin_client, "check_service_account", ready_infobase)
    assert "служебная учётная запись работает" in page.content.decode()
    state = load_state(cluster["state"])
    del state["infobases"][ready_infobase.ref]["users"]["ПортАдмин"]
    state["infobases"][ready_infobase.ref]["users"]["Иванов"] = {
        "password": "x",
        "admin": True,
        "active": True,
        "profiles": [],
    }
    save_state(cluster["state"], state)
    page = _post(admin_client, "check_service_account", ready_infobase)
    assert "Недостаточно прав пользователя на информационную базу" in page.content.decode()


def test_staff_lift_a_deny_left_by_an_interrupted_job(ready_infobase, cluster, admin_client):
    driver = ClusterDriver()
    driver.create(ref=ready_infobase.ref, template=cluster["template"])
    driver._write_layers(ready_infobase.ref, lambda layers: type(layers)(None, "Копирование", None))
    _post(admin_client, "lift_job_deny", ready_infobase)
    base = load_state(cluster["state"])["infobases"][ready_infobase.ref]
    assert base["sessions-deny"] == "off"
    assert Infobase.objects.filter(pk=ready_infobase.pk).exists() and site.is_registered(Infobase)


def test_staff_see_the_licences_the_sessions_hold(ready_infobase, cluster, admin_client):
    from tests.infobases.fake_1c import open_session

    ClusterDriver().create(ref=ready_infobase.ref, template=cluster["template"])
    open_session(cluster["state"], ready_infobase.ref, user="buh@example.kz")
    page = _post(admin_client, "show_licences", ready_infobase).content.decode()
    assert "buh@example.kz (Сервер, ORG8A 50)" in page

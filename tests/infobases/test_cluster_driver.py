"""The cluster driver against the strict fakes (tests/infobases/fake_1c.py): every assertion is
about what the fake 1C server ended up holding, never about the driver's own argv."""

import datetime
import io
import json
import logging
import subprocess
import zoneinfo

import pytest
from django.db import connection

from infobases.provisioning.base import ProvisioningError
from infobases.provisioning.cluster import ClusterDriver
from infobases.provisioning.deny import service_code
from infobases.provisioning.tools import parse_rac
from tests.infobases.fake_1c import DT_MAGIC, Refused, calls, load_state, open_session, save_state
from tests.infobases.fake_1c import install as install_fakes

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


@pytest.fixture
def fake(tmp_path):
    fakes = install_fakes(tmp_path)
    template = tmp_path / "bk-3.0.10.cf"
    template.write_bytes(b"cf")
    fakes["template"] = str(template)
    return fakes


@pytest.fixture
def driver(fake):
    return ClusterDriver(config=fake["config"])


@pytest.fixture
def base(driver, fake):
    driver.create(ref="s1_ab", template=fake["template"])
    return "s1_ab"


def state(fake):
    return load_state(fake["state"])


def info(fake, ref="s1_ab"):
    return state(fake)["infobases"][ref]


def test_parse_rac_reads_blocks_and_quoted_values():
    blocks = parse_rac(
        'infobase : 1\nname     : bk\ndescr    : "Бухгалтерия ""КЗ"""\n\ninfobase : 2\nname : zup\n'
    )
    assert blocks == [
        {"infobase": "1", "name": "bk", "descr": 'Бухгалтерия "КЗ"'},
        {"infobase": "2", "name": "zup"},
    ]


def test_create_loads_the_configuration_adds_the_service_account_and_runs_the_handlers(
    driver, fake
):
    driver.create(ref="s1_ab", template=fake["template"])
    base = info(fake)
    assert base["config"] == fake["template"] and base["db-name"] == "s1_ab"
    assert base["users"]["ПортАдмин"]["admin"] and base["users"]["ПортАдмин"]["active"]
    assert base["handlers_run"] == [fake["template"]]
    # The job ran with new sessions and scheduled jobs denied, and the deny is lifted after.
    jobs = [e for e in state(fake)["events"] if "ibcmd" in e]
    assert [j["ibcmd"] for j in jobs] == ["config load", "config apply"]
    assert all(j["deny"] == "on" and j["jobs"] == "on" for j in jobs)
    assert jobs[-1]["dynamic"] == "disable"
    assert base["sessions-deny"] == "off" and base["denied-message"] == ""
    # A retry after a failure part-way goes on: the registered infobase is not created twice.
    driver.create(ref="s1_ab", template=fake["template"])
    assert len(state(fake)["infobases"]) == 1


def test_no_password_of_the_dbms_or_a_user_appears_on_a_command_line(driver, fake, base):
    driver.user_set(
        ref=base, login="buh@example.kz", full_name="Омарова", role="user", password="Pw-9x!"
    )
    ibcmd_lines = [argv for argv in calls(fake["log"]) if argv[0] == "ibcmd"]
    assert ibcmd_lines and not any("pgpass" in " ".join(argv) for argv in ibcmd_lines)
    assert not any("Pw-9x!" in " ".join(argv) for argv in calls(fake["log"]))


def test_publish_takes_effect_after_the_apache_reload_and_unpublish_removes_it(driver, fake, base):
    driver.publish(ref=base)
    live = state(fake)["apache_live"]
    assert live[base]["connstr"] == 'Srvr="srv1c";Ref="s1_ab";'
    driver.unpublish(ref=base)
    driver.unpublish(ref=base)  # Safe to repeat.
    assert base not in state(fake)["apache_live"]


def test_sessions_are_listed_and_ended_and_ending_an_ended_one_is_fine(driver, fake, base):
    session = open_session(fake["state"], base, user="buh@example.kz")
    [listed] = driver.sessions(ref=base)
    assert listed.id == session and listed.user == "buh@example.kz" and listed.client == "1CV8C"
    assert listed.started_at.tzinfo is not None
    driver.session_end(ref=base, session_id=session)
    driver.session_end(ref=base, session_id=session)
    assert driver.sessions(ref=base) == []


def test_block_and_lock_are_kept_apart(driver, fake, base):
    driver.publish(ref=base)
    starts = datetime.datetime(2026, 11, 30, 22, 0, tzinfo=ALMATY)
    driver.lock_set(
        ref=base,
        starts=starts,
        ends=starts + datetime.timedelta(hours=3),
        message="Закрытие месяца",
        code="a1b2c3",
    )
    assert info(fake)["denied-from"] == "2026-11-30T22:00:00"
    assert info(fake)["denied-to"] == "2026-12-01T01:00:00"
    assert info(fake)["permission-code"] == "a1b2c3"
    open_session(fake["state"], base, user="buh@example.kz")
    driver.block(ref=base, message="Доступ приостановлен")
    blocked = info(fake)
    assert blocked["sessions-deny"] == "on" and blocked["scheduled-jobs-deny"] == "on"
    assert blocked["denied-message"] == "Доступ приостановлен" and blocked["denied-from"] == ""
    assert blocked["permission-code"] != "a1b2c3"  # The subscriber's code does not open a block.
    assert state(fake)["sessions"] == [] and base not in state(fake)["apache_live"]
    with pytest.raises(Refused):
        open_session(fake["state"], base, user="buh@example.kz", code="a1b2c3")

    driver.unblock(ref=base)
    kept = info(fake)
    assert kept["sessions-deny"] == "on" and kept["denied-message"] == "Закрытие месяца"
    assert kept["permission-code"] == "a1b2c3" and kept["scheduled-jobs-deny"] == "off"
    assert base in state(fake)["apache_live"]

    driver.lock_clear(ref=base)
    cleared = info(fake)
    assert cleared["sessions-deny"] == "off" and cleared["denied-message"] == ""
    assert cleared["permission-code"] == "" and cleared["denied-parameter"] == ""


def test_a_dump_ends_the_sessions_runs_under_a_deny_and_lifts_it(driver, fake, base, tmp_path):
    open_session(fake["state"], base, user="buh@example.kz")
    target = tmp_path / "backups" / "s1_ab.dt"
    size = driver.dump(ref=base, path=target)
    assert target.read_bytes().startswith(DT_MAGIC) and size == target.stat().st_size
    assert not target.with_name("s1_ab.dt.part").exists()
    dump = [e for e in state(fake)["events"] if e.get("ibcmd") == "dump"]
    assert dump == [{"ibcmd": "dump", "base": base, "deny": "on", "jobs": "on"}]
    assert state(fake)["sessions"] == [] and info(fake)["sessions-deny"] == "off"


def test_the_fake_refuses_an_ibcmd_job_under_live_sessions(driver, fake, base):
    open_session(fake["state"], base, user="buh@example.kz")
    with pytest.raises(ProvisioningError, match="исключительной блокировки"):
        driver.ibcmd("dump", ref=base, extra=["/tmp/never.dt"])


def test_a_job_left_by_a_worker_that_died_is_lifted_by_the_rerun_or_by_release(
    driver, fake, base, tmp_path
):
    starts = datetime.datetime(2026, 11, 30, 22, 0, tzinfo=ALMATY)
    driver.lock_set(ref=base, starts=starts, ends=None, message="Закрытие", code="c0de")
    driver._write_layers(
        base, lambda layers: type(layers)(None, "Резервное копирование", layers.lock)
    )
    assert info(fake)["denied-message"] == "Резервное копирование"  # The worker died here.

    driver.dump(ref=base, path=tmp_path / "again.dt")  # The reaper's rerun.
    assert info(fake)["denied-message"] == "Закрытие" and info(fake)["permission-code"] == "c0de"

    driver._write_layers(base, lambda layers: type(layers)(None, "Обновление", layers.lock))
    driver.exclusive_release(ref=base)
    driver.exclusive_release(ref=base)
    assert info(fake)["denied-message"] == "Закрытие"


def test_a_failed_restore_keeps_the_deny_so_nobody_works_in_a_half_loaded_base(
    driver, fake, base, tmp_path
):
    broken = tmp_path / "broken.dt"
    broken.write_bytes(b"not a dump")
    with pytest.raises(ProvisioningError):
        driver.restore(ref=base, path=broken)
    assert info(fake)["sessions-deny"] == "on"
    with pytest.raises(Refused):
        open_session(fake["state"], base, user="buh@example.kz")


def test_a_customers_dump_gets_the_service_account_with_the_dumps_administrator(
    driver, fake, base, tmp_path, caplog
):
    caplog.set_level(logging.INFO, logger="infobases.provisioning.tools")
    dump = tmp_path / "customer.dt"
    customer = {"Иванов": {"password": "ivan", "admin": True, "active": True, "profiles": []}}
    content = {"users": customer, "config": "bk", "extensions": {}, "data": {}, "support": "x"}
    dump.write_bytes(DT_MAGIC + json.dumps(content, ensure_ascii=False).encode())
    with pytest.raises(
        ProvisioningError, match="нужен логин и пароль администратора этой выгрузки"
    ):
        driver.restore(ref=base, path=dump)
    driver.restore(ref=base, path=dump, admin=("Иванов", "ivan"))
    assert info(fake)["users"]["ПортАдмин"]["admin"]
    assert info(fake)["sessions-deny"] == "off"  # rac now answers for the service account.
    # 1cv8 takes a password only as /P: it is never logged.
    assert "ivan" not in caplog.text.replace("Иванов", "")


def test_users_get_the_profiles_of_their_role_and_removal_disables_them(driver, fake, base):
    driver.user_set(
        ref=base,
        login="buh@example.kz",
        full_name="Омарова",
        role="user",
        password="pw1",
        profiles=["Бухгалтер"],
    )
    driver.user_set(
        ref=base, login="buh@example.kz", full_name="Омарова А.", role="full", password=None
    )
    user = info(fake)["users"]["buh@example.kz"]
    assert user["profiles"] == ["Администратор"] and user["password"] == "pw1"
    assert user["full_name"] == "Омарова А."
    driver.user_remove(ref=base, login="buh@example.kz")
    driver.user_remove(ref=base, login="buh@example.kz")
    driver.user_remove(ref=base, login="never@example.kz")
    assert info(fake)["users"]["buh@example.kz"]["active"] is False


def test_users_are_managed_under_the_subscribers_lock_with_its_code(driver, fake, base):
    starts = datetime.datetime(2020, 1, 1, tzinfo=ALMATY)
    driver.lock_set(ref=base, starts=starts, ends=None, message="Закрытие", code="c0de")
    driver.user_set(ref=base, login="a@b.kz", full_name="А", role="user", password="x")
    driver.block(ref=base, message="Приостановлено")
    driver.user_remove(ref=base, login="a@b.kz")
    assert info(fake)["users"]["a@b.kz"]["active"] is False


def test_a_supported_configuration_is_updated_with_the_cfu_then_the_handlers(
    driver, fake, base, tmp_path
):
    cfu = tmp_path / "bk-3.0.12.cfu"
    cfu.write_bytes(b"cfu")
    open_session(fake["state"], base, user="buh@example.kz")
    driver.update_config(ref=base, template=str(cfu))
    assert info(fake)["config"] == str(cfu) and info(fake)["handlers_run"][-1] == str(cfu)
    [designer] = [e for e in state(fake)["events"] if "designer" in e]
    assert designer["deny"] == "on" and info(fake)["sessions-deny"] == "off"


def test_drop_removes_the_infobase_and_a_second_drop_does_nothing(driver, fake, base):
    driver.drop(ref=base)
    driver.drop(ref=base)
    assert state(fake)["infobases"] == {}


def test_licences_come_from_rac_session_list_licenses(driver, fake, base):
    open_session(fake["state"], base, user="buh@example.kz")
    [licence] = driver.session_licenses(ref=base)
    assert licence["user-name"] == "buh@example.kz" and licence["series"] == "ORG8A"


def test_rac_in_cp866_is_read_and_its_errors_are_legible(tmp_path):
    fakes = install_fakes(tmp_path, encoding="cp866")
    template = tmp_path / "bk.cf"
    template.write_bytes(b"cf")
    driver = ClusterDriver(config=fakes["config"])
    driver.create(ref="s1_ab", template=str(template))
    open_session(fakes["state"], "s1_ab", user="Омарова")
    assert driver.sessions(ref="s1_ab")[0].user == "Омарова"
    wrong = ClusterDriver(config={**fakes["config"], "infobase_password": "wrong"})
    with pytest.raises(ProvisioningError, match="Недостаточно прав пользователя"):
        wrong.lock_clear(ref="s1_ab")


def test_secrets_and_permission_codes_stay_out_of_logs_and_messages(driver, fake, base, caplog):
    caplog.set_level(logging.INFO, logger="infobases.provisioning.tools")
    starts = datetime.datetime(2026, 11, 30, 22, 0, tzinfo=ALMATY)
    driver.lock_set(ref=base, starts=starts, ends=None, message="Закрытие", code="a1b2c3")
    driver.block(ref=base, message="Стоп")
    text = caplog.text
    assert "a1b2c3" not in text and service_code(base) not in text
    assert "s3cret" not in text and "pgpass" not in text and "--permission-code=***" in text


def test_each_kind_of_call_has_its_own_timeout(fake, tmp_path):
    slow = tmp_path / "slow"
    slow.write_text("#!/bin/sh\nsleep 5\n")
    slow.chmod(0o755)
    config = {**fake["config"], "rac": str(slow), "timeouts": {"rac": 1, "ibcmd": 7200}}
    driver = ClusterDriver(config=config)
    with pytest.raises(ProvisioningError, match="slow не ответил за 1 с"):
        driver.cluster_id()
    assert driver.runner.timeouts["ibcmd"] == 7200


@pytest.mark.django_db
def test_size_is_the_databases_size_on_the_dbms_server(fake):
    params = connection.get_connection_params()
    config = {
        **fake["config"],
        "db_server": f"{params.get('host') or '127.0.0.1'}:{params.get('port') or 5432}",
        "db_user": params.get("user") or "postgres",
        "db_password": params.get("password") or "",
    }
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(%s)", [name])
        expected = cursor.fetchone()[0]
    assert ClusterDriver(config=config).size(ref=name) == pytest.approx(expected, rel=0.05)


# -- the fakes refuse what the tools refuse ----------------------------------------------------
@pytest.mark.parametrize(
    ("tool", "argv", "message"),
    [
        ("rac", ["infobase", "updte", "--sesions-deny=on", "srv1c:1545"], "Неизвестный параметр"),
        ("rac", ["infobase", "--cluster=x", "updte", "srv1c:1545"], "команда"),
        ("rac", ["infobase", "--cluster=x", "update", "srv1c:1545"], "--infobase"),
        (
            "rac",
            ["infobase", "--cluster=x", "update", "--infobase=1", "--sessions-deny=yes"],
            "значение",
        ),
        ("rac", ["session", "--cluster=x", "list", "--licenses", "--licenses"], "повторно"),
        ("ibcmd", ["infobase", "no-such-command", "--bogus"], "Неизвестн"),
        ("ibcmd", ["infobase", "user", "create", "--name=x"], "Неизвестная команда: user"),
        ("ibcmd", ["infobase", "dump", "--user=a", "--password=b"], "аргументов"),
        ("ibcmd", ["infobase", "--user=a", "config", "apply"], "Неизвестный параметр: --user"),
        ("ibcmd", ["infobase", "config", "apply", "--dynamic=maybe"], "dynamic"),
        ("webinst", ["-publish", "-wsdir", "x", "-dir", "/d", "-connstr", "c"], "веб-сервера"),
        ("webinst", ["-delete", "-apache24", "-ws", "x"], "Неизвестный параметр"),
        ("1cv8", ["ENTERPRISE", "/Execute", "a.epf"], "/S"),
    ],
)
def test_the_fakes_refuse_commands_the_tools_do_not_know(fake, tool, argv, message):
    done = subprocess.run(
        [fake["config"].get(tool) or _tool(fake, tool), *argv], capture_output=True
    )
    assert done.returncode != 0
    assert message in done.stderr.decode()


def _tool(fake, tool):
    return fake["config"]["v8client"] if tool == "1cv8" else fake["config"][tool]


def test_the_fake_ibcmd_8_3_24_tree_differs_where_the_platform_did(tmp_path):
    fakes = install_fakes(tmp_path, ibcmd_version="8.3.24")
    argv = [fakes["config"]["ibcmd"], "infobase", "--websocket-data=/x", "config", "apply"]
    done = subprocess.run(argv, capture_output=True)
    assert done.returncode == 2 and "--websocket-data" in done.stderr.decode()


def test_every_command_tree_names_its_sources():
    from tests.infobases.fake_1c import TREES

    for path in TREES.glob("*.json"):
        tree = json.loads(path.read_text(encoding="utf-8"))
        assert tree["sources"] and tree["tool"] in path.name, path.name


def test_the_fake_rac_state_survives_between_calls(fake):
    save_state(fake["state"], {**load_state(fake["state"]), "cluster_admins": {"adm": "pw"}})
    driver = ClusterDriver(
        config={**fake["config"], "cluster_user": "adm", "cluster_password": "pw"}
    )
    driver.create(ref="s1_ab", template=fake["template"])
    stranger = ClusterDriver(config=fake["config"])
    with pytest.raises(ProvisioningError, match="Администратор кластера не аутентифицирован"):
        stranger.sessions(ref="s1_ab")


@pytest.mark.django_db
def test_the_cluster_smoke_command_runs_every_call_against_the_fakes(fake, settings):
    from django.core.management import call_command

    params = connection.get_connection_params()
    settings.ONEBUH_1C_CLUSTER = {
        **fake["config"],
        "db_server": f"{params.get('host') or '127.0.0.1'}:{params.get('port') or 5432}",
        "db_user": params.get("user") or "postgres",
        "db_password": params.get("password") or "",
    }
    save_state(
        fake["state"], {**load_state(fake["state"]), "db_password": params.get("password") or ""}
    )
    out = io.StringIO()
    name = connection.settings_dict["NAME"]  # a database that exists, for pg_database_size
    call_command("infobases_cluster_smoke", template=fake["template"], ref=name, stdout=out)
    assert "FAIL" not in out.getvalue() and "ok   drop" in out.getvalue()
    assert state(fake)["infobases"] == {}

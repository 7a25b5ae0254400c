import datetime
import zoneinfo

import pytest

from infobases.provisioning.base import ProvisioningError
from infobases.provisioning.cluster import ClusterDriver, parse_rac
from tests.infobases.fake_1c import CLUSTER, SESSION, calls, install

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
DB = [
    "--dbms=PostgreSQL",
    "--db-server=pg1",
    "--db-name=s1_ab",
    "--db-user=usr1c",
    "--db-pwd=pgpass",
    "--user=ПортАдмин",
    "--password=s3cret",
]


@pytest.fixture
def fake(tmp_path, settings):
    return install(tmp_path)


@pytest.fixture
def driver(fake):
    return ClusterDriver(config=fake["config"])


def test_parse_rac_reads_blocks_and_quoted_values():
    blocks = parse_rac(
        'infobase : 1\nname     : bk\ndescr    : "Бухгалтерия ""КЗ"""\n\ninfobase : 2\nname : zup\n'
    )
    assert blocks == [
        {"infobase": "1", "name": "bk", "descr": 'Бухгалтерия "КЗ"'},
        {"infobase": "2", "name": "zup"},
    ]


def test_create_registers_the_infobase_loads_the_template_and_retry_skips_rac_create(driver, fake):
    driver.create(ref="s1_ab", template="/srv/1c/bk.cf")
    argv = calls(fake["log"])
    assert argv[0] == ["cluster", "list", "srv1c:1545"]
    assert argv[1] == ["infobase", "summary", "list", f"--cluster={CLUSTER}", "srv1c:1545"]
    assert argv[2] == [
        "infobase",
        "create",
        f"--cluster={CLUSTER}",
        "--create-database",
        "--name=s1_ab",
        "--dbms=PostgreSQL",
        "--db-server=pg1",
        "--db-name=s1_ab",
        "--locale=ru",
        "--db-user=usr1c",
        "--db-pwd=pgpass",
        "--license-distribution=allow",
        "srv1c:1545",
    ]
    assert argv[3] == ["infobase", "config", "load", *DB, "--force", "/srv/1c/bk.cf"]
    assert argv[4] == ["infobase", "config", "apply", *DB, "--force"]
    driver.create(ref="s1_ab", template="/srv/1c/bk.cf")
    assert not any(a[:2] == ["infobase", "create"] for a in calls(fake["log"])[5:])


def test_publish_and_unpublish_call_webinst_for_apache(driver, fake):
    driver.publish(ref="s1_ab")
    driver.unpublish(ref="s1_ab")
    publish, delete = calls(fake["log"])
    tail = [
        "-apache24",
        "-wsdir",
        "s1_ab",
        "-dir",
        "/var/www/1c/s1_ab",
        "-connstr",
        'Srvr="srv1c";Ref="s1_ab";',
        "-confpath",
        "/etc/apache2/conf-enabled/1c.conf",
    ]
    assert publish == ["-publish", *tail]
    assert delete == ["-delete", *tail]


def test_sessions_are_parsed_and_terminated(driver, fake):
    driver.create(ref="s1_ab", template="/srv/1c/bk.cf")
    [session] = driver.sessions(ref="s1_ab")
    assert session.id == SESSION and session.user == "buh@example.kz"
    assert session.client == "1CV8C" and session.host == "WS-OFFICE-2"
    assert session.started_at == datetime.datetime(2026, 11, 24, 9, 12, 33, tzinfo=ALMATY)
    driver.session_end(ref="s1_ab", session_id=SESSION)
    assert calls(fake["log"])[-1] == [
        "session",
        "terminate",
        f"--cluster={CLUSTER}",
        f"--session={SESSION}",
        "srv1c:1545",
    ]


def test_lock_sets_sessions_deny_with_the_period_and_permission_code(driver, fake):
    driver.create(ref="s1_ab", template="/srv/1c/bk.cf")
    starts = datetime.datetime(2026, 11, 30, 22, 0, tzinfo=ALMATY)
    driver.lock_set(
        ref="s1_ab",
        starts=starts,
        ends=starts + datetime.timedelta(hours=3),
        message="Закрытие месяца",
        code="a1b2c3",
    )
    update = calls(fake["log"])[-1]
    assert update[:2] == ["infobase", "update"]
    assert "--infobase-user=ПортАдмин" in update and "--infobase-pwd=s3cret" in update
    assert update[-6:] == [
        "--sessions-deny=on",
        "--denied-from=2026-11-30T22:00:00",
        "--denied-to=2026-12-01T01:00:00",
        "--denied-message=Закрытие месяца",
        "--permission-code=a1b2c3",
        "srv1c:1545",
    ]


def test_block_denies_sessions_and_jobs_ends_sessions_and_unpublishes(driver, fake):
    driver.create(ref="s1_ab", template="/srv/1c/bk.cf")
    driver.block(ref="s1_ab", message="Доступ приостановлен")
    argv = calls(fake["log"])
    update = next(a for a in argv if a[:2] == ["infobase", "update"])
    assert "--sessions-deny=on" in update and "--scheduled-jobs-deny=on" in update
    assert any(a[:2] == ["session", "terminate"] for a in argv)
    assert argv[-1][0] == "-delete"


def test_dump_writes_the_file_through_a_part_file(driver, fake, tmp_path):
    target = tmp_path / "backups" / "s1_ab.dt"
    size = driver.dump(ref="s1_ab", path=target)
    assert target.read_bytes().startswith(b"\xff\xff\xff\x7f") and size == target.stat().st_size
    assert calls(fake["log"])[-1] == ["infobase", "dump", *DB, str(target) + ".part"]


def test_user_set_creates_then_updates_when_the_user_exists(driver, fake):
    driver.user_set(
        ref="s1_ab", login="buh@example.kz", full_name="Омарова", role="user", password="pw1"
    )
    driver.user_set(
        ref="s1_ab", login="buh@example.kz", full_name="Омарова", role="full", password="pw2"
    )
    argv = calls(fake["log"])
    assert argv[0][:3] == ["infobase", "user", "create"]
    assert "--role=БазовыеПраваБСП" in argv[0] and "--password=pw1" in argv[0]
    assert argv[-1][:3] == ["infobase", "user", "update"] and "--role=ПолныеПрава" in argv[-1]


def test_a_tool_error_becomes_a_provisioning_error_with_its_message(driver, fake):
    with pytest.raises(ProvisioningError) as error:
        driver.restore(ref="s1_ab", path="/nonexistent.dt") if False else driver.lock_clear(
            ref="nope"
        )
    assert "nope" in str(error.value)


def test_a_hanging_tool_times_out(fake, tmp_path):
    slow = tmp_path / "slow"
    slow.write_text("#!/bin/sh\nsleep 5\n")
    slow.chmod(0o755)
    driver = ClusterDriver(config={**fake["config"], "rac": str(slow), "timeout": 1})
    with pytest.raises(ProvisioningError) as error:
        driver.cluster_id()
    assert "1 с" in str(error.value)

"""The cluster driver: the command lines of the 1C administration tools, run with timeouts.

- `rac` talks to the cluster's administration server (RAS): infobases, sessions, locks, blocks;
- `ibcmd` works on the infobase's database: dump/restore .dt, load and apply configurations,
  infobase users;
- `webinst` publishes the infobase on Apache for the web client and the thin client over HTTP.
Passwords go on the command line because rac and ibcmd take them only there; the operator runs
the worker as a dedicated user on a host where other users cannot list its processes.
"""

import logging
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .base import Driver, ProvisioningError, SessionInfo

logger = logging.getLogger(__name__)

# The roles of the typical configurations for each access role of the panel.
ROLE_NAMES = {"full": "ПолныеПрава", "user": "БазовыеПраваБСП"}
NOT_FOUND_MARKERS = ("не найден", "not found")
EXISTS_MARKERS = ("уже существует", "already exists")


def parse_rac(output: str) -> list[dict[str, str]]:
    """rac prints objects as blocks of `key : value` lines separated by blank lines."""
    blocks, current = [], {}
    for line in output.splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
                current = {}
            continue
        key, sep, value = line.partition(":")
        if not sep:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace('""', '"')
        current[key.strip()] = value
    if current:
        blocks.append(current)
    return blocks


def _rac_time(value: str) -> datetime | None:
    """rac prints local times of the cluster without a zone: read them as the portal's zone."""
    if not value or value.startswith("0001-01-01"):
        return None
    try:
        return timezone.make_aware(datetime.fromisoformat(value))
    except ValueError:
        return None


def _rac_stamp(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S")


class ClusterDriver(Driver):
    def __init__(self, config: dict | None = None, runner=subprocess.run):
        self.config = {**settings.ONEBUH_1C_CLUSTER, **(config or {})}
        self._run_process = runner
        self._cluster_id = self.config.get("cluster") or None

    # -- running the tools ---------------------------------------------------------------
    def run(self, argv: list[str], *, timeout: int | None = None) -> str:
        timeout = timeout or self.config["timeout"]
        logger.info("1C: %s", " ".join(a for a in argv if "pwd=" not in a and "password" not in a))
        try:
            done = self._run_process(
                argv,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ProvisioningError(f"{Path(argv[0]).name} не ответил за {timeout} с.") from error
        except OSError as error:
            raise ProvisioningError(f"Не удалось запустить {argv[0]}: {error}") from error
        if done.returncode != 0:
            text = (done.stderr.strip() or done.stdout.strip())[-2000:]
            raise ProvisioningError(f"{Path(argv[0]).name}: код {done.returncode}. {text}")
        return done.stdout

    def rac(self, mode: str, *command: str, options: list[str] = (), timeout=None) -> str:
        argv = [self.config["rac"], mode, *command, *options]
        return self.run([*argv, self.config["ras"]], timeout=timeout)

    def _cluster_options(self) -> list[str]:
        options = [f"--cluster={self.cluster_id()}"]
        if self.config["cluster_user"]:
            options.append(f"--cluster-user={self.config['cluster_user']}")
            options.append(f"--cluster-pwd={self.config['cluster_password']}")
        return options

    def _infobase_auth(self) -> list[str]:
        if not self.config["infobase_user"]:
            return []
        return [
            f"--infobase-user={self.config['infobase_user']}",
            f"--infobase-pwd={self.config['infobase_password']}",
        ]

    def _ibcmd_db(self, ref: str) -> list[str]:
        options = [
            "--dbms=PostgreSQL",
            f"--db-server={self.config['db_server']}",
            f"--db-name={ref}",
            f"--db-user={self.config['db_user']}",
        ]
        if self.config["db_password"]:
            options.append(f"--db-pwd={self.config['db_password']}")
        if self.config["infobase_user"]:
            options.append(f"--user={self.config['infobase_user']}")
            options.append(f"--password={self.config['infobase_password']}")
        return options

    def ibcmd(self, *words: str, ref: str, extra: list[str] = (), timeout=None) -> str:
        argv = [self.config["ibcmd"], *words, *self._ibcmd_db(ref), *extra]
        return self.run(argv, timeout=timeout)

    def _webinst(self, action: str, ref: str) -> None:
        web_dir = Path(self.config["web_dir"]) / ref
        connstr = f'Srvr="{self.config["server"]}";Ref="{ref}";'
        argv = [self.config["webinst"], action, "-apache24", "-wsdir", ref, "-dir", str(web_dir)]
        self.run([*argv, "-connstr", connstr, "-confpath", self.config["apache_conf"]])

    # -- lookups -------------------------------------------------------------------------
    def cluster_id(self) -> str:
        if self._cluster_id is None:
            clusters = parse_rac(self.rac("cluster", "list"))
            if not clusters or "cluster" not in clusters[0]:
                raise ProvisioningError("rac: в ответе нет ни одного кластера.")
            self._cluster_id = clusters[0]["cluster"]
        return self._cluster_id

    def infobase_id(self, ref: str) -> str | None:
        output = self.rac("infobase", "summary", "list", options=self._cluster_options())
        for block in parse_rac(output):
            if block.get("name", "").lower() == ref.lower():
                return block["infobase"]
        return None

    def _require_infobase_id(self, ref: str) -> str:
        infobase = self.infobase_id(ref)
        if infobase is None:
            raise ProvisioningError(f"Информационная база {ref} не найдена в кластере.")
        return infobase

    def _update(self, ref: str, *options: str) -> None:
        infobase = self._require_infobase_id(ref)
        self.rac(
            "infobase",
            "update",
            options=[*self._cluster_options(), f"--infobase={infobase}", *self._infobase_auth()]
            + list(options),
        )

    # -- the interface -------------------------------------------------------------------
    def create(self, *, ref: str, template: str, restore_from: Path | None = None) -> None:
        if self.infobase_id(ref) is None:  # A retry after a partial create goes on from here.
            self.rac(
                "infobase",
                "create",
                options=[
                    *self._cluster_options(),
                    "--create-database",
                    f"--name={ref}",
                    "--dbms=PostgreSQL",
                    f"--db-server={self.config['db_server']}",
                    f"--db-name={ref}",
                    "--locale=ru",
                    f"--db-user={self.config['db_user']}",
                    f"--db-pwd={self.config['db_password']}",
                    "--license-distribution=allow",
                ],
            )
        if restore_from is not None:
            self.restore(ref=ref, path=restore_from)
        else:
            self.update_config(ref=ref, template=template)

    def drop(self, *, ref: str) -> None:
        infobase = self.infobase_id(ref)
        if infobase is None:
            return
        options = [*self._cluster_options(), f"--infobase={infobase}", *self._infobase_auth()]
        self.rac("infobase", "drop", options=[*options, "--drop-database"])

    def publish(self, *, ref: str) -> None:
        self._webinst("-publish", ref)

    def unpublish(self, *, ref: str) -> None:
        self._webinst("-delete", ref)

    def block(self, *, ref: str, message: str) -> None:
        self._update(
            ref, "--sessions-deny=on", "--scheduled-jobs-deny=on", f"--denied-message={message}"
        )
        for session in self.sessions(ref=ref):
            self.session_end(ref=ref, session_id=session.id, message=message)
        self.unpublish(ref=ref)

    def unblock(self, *, ref: str) -> None:
        self._update(ref, "--sessions-deny=off", "--scheduled-jobs-deny=off")
        self.publish(ref=ref)

    def user_set(
        self, *, ref: str, login: str, full_name: str, role: str, password: str | None
    ) -> None:
        options = [f"--name={login}", f"--full-name={full_name}", f"--role={ROLE_NAMES[role]}"]
        if password is not None:
            try:
                self.ibcmd(
                    "infobase",
                    "user",
                    "create",
                    ref=ref,
                    extra=[*options, f"--password={password}"],
                )
                return
            except ProvisioningError as error:
                if not any(marker in str(error).lower() for marker in EXISTS_MARKERS):
                    raise
            options.append(f"--password={password}")
        self.ibcmd("infobase", "user", "update", ref=ref, extra=options)

    def user_remove(self, *, ref: str, login: str) -> None:
        try:
            self.ibcmd("infobase", "user", "delete", ref=ref, extra=[f"--name={login}"])
        except ProvisioningError as error:
            if not any(marker in str(error).lower() for marker in NOT_FOUND_MARKERS):
                raise

    def sessions(self, *, ref: str) -> list[SessionInfo]:
        infobase = self._require_infobase_id(ref)
        output = self.rac(
            "session", "list", options=[*self._cluster_options(), f"--infobase={infobase}"]
        )
        return [
            SessionInfo(
                id=block["session"],
                user=block.get("user-name", ""),
                client=block.get("app-id", ""),
                host=block.get("host", ""),
                started_at=_rac_time(block.get("started-at", "")),
                last_active_at=_rac_time(block.get("last-active-at", "")),
            )
            for block in parse_rac(output)
            if "session" in block
        ]

    def session_end(self, *, ref: str, session_id: str, message: str = "") -> None:
        options = [*self._cluster_options(), f"--session={session_id}"]
        if message:
            options.append(f"--error-message={message}")
        try:
            self.rac("session", "terminate", options=options)
        except ProvisioningError as error:
            if not any(marker in str(error).lower() for marker in NOT_FOUND_MARKERS):
                raise  # A session that has already ended is what we wanted.

    def lock_set(
        self, *, ref: str, starts: datetime, ends: datetime | None, message: str, code: str
    ) -> None:
        options = ["--sessions-deny=on", f"--denied-from={_rac_stamp(starts)}"]
        if ends is not None:
            options.append(f"--denied-to={_rac_stamp(ends)}")
        options += [f"--denied-message={message}", f"--permission-code={code}"]
        self._update(ref, *options)

    def lock_clear(self, *, ref: str) -> None:
        self._update(
            ref, "--sessions-deny=off", "--denied-from=", "--denied-to=", "--permission-code="
        )

    def dump(self, *, ref: str, path: Path) -> int:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        self.ibcmd("infobase", "dump", ref=ref, extra=[str(part)])
        if not part.exists():
            raise ProvisioningError("ibcmd завершился успешно, но файл выгрузки не создан.")
        part.replace(path)
        return path.stat().st_size

    def restore(self, *, ref: str, path: Path) -> None:
        self.ibcmd("infobase", "restore", ref=ref, extra=["--force", str(path)])

    def update_config(self, *, ref: str, template: str) -> None:
        self.ibcmd("infobase", "config", "load", ref=ref, extra=["--force", template])
        self.ibcmd("infobase", "config", "apply", ref=ref, extra=["--force"])

    def size(self, *, ref: str) -> int | None:
        return None  # rac does not report it; the portal shows the size of the last dump.

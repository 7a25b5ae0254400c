"""The cluster driver: rac, ibcmd, webinst and 1cv8 as their help describes them.

- `rac` (through RAS): infobases, sessions, the session deny (block, lock, jobs; see deny.py);
- `ibcmd infobase …`: dump/restore .dt and config load/apply, on the database directly. ibcmd
  does not see the cluster's sessions, so every ibcmd job runs inside `_exclusive`: deny new
  sessions and scheduled jobs, end the sessions, run, lift. The deny is written on the infobase
  itself, so a worker that dies leaves a recognisable job layer that the next run (after the
  reaper re-queues the operation) or `exclusive_release` lifts;
- `webinst` then the configured Apache reload (`apachectl graceful`), so a publication or its
  removal takes effect at once;
- `1cv8` in batch (agent.py): users, the service account, .cfu updates, update handlers.
The command trees these calls were checked against are data in tests/infobases/onec_trees/.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path

import psycopg2
from django.conf import settings

from .agent import Agent
from .base import Driver, ProvisioningError, SessionInfo
from .deny import Layers, service_code
from .tools import Runner, ToolError, command, parse_rac, rac_time

# Access-group profiles per panel role when the solution's catalog entry names none.
DEFAULT_PROFILES = {"full": ["Администратор"], "user": ["Пользователь"]}
JOB_MESSAGES = {
    "dump": "Выполняется резервное копирование информационной базы.",
    "restore": "Выполняется восстановление информационной базы из резервной копии.",
    "update": "Выполняется обновление конфигурации информационной базы.",
}
TERMINATE_ROUNDS = 3


class ClusterDriver(Driver):
    def __init__(self, config: dict | None = None, process=None):
        self.config = {**settings.ONEBUH_1C_CLUSTER, **(config or {})}
        kwargs = {"process": process} if process else {}
        self.runner = Runner(
            encoding=self.config.get("encoding", "utf-8"),
            timeouts=self.config.get("timeouts", {}),
            **kwargs,
        )
        self._cluster_id = self.config.get("cluster") or None
        self.agent = Agent(self)

    # -- rac -------------------------------------------------------------------------------
    def _secrets(self) -> list[str]:
        c = self.config
        return [c["cluster_password"], c["infobase_password"], c["db_password"]]

    def rac(self, mode: str, *command_words: str, options=(), secrets=()) -> list[dict]:
        argv = [self.config["rac"], mode, *command_words, *options, self.config["ras"]]
        result = self.runner("rac", argv, secrets=[*self._secrets(), *secrets])
        return parse_rac(result.stdout)

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

    def cluster_id(self) -> str:
        if self._cluster_id is None:
            clusters = self.rac("cluster", "list")
            if not clusters or "cluster" not in clusters[0]:
                raise ProvisioningError("rac: в ответе нет ни одного кластера.")
            self._cluster_id = clusters[0]["cluster"]
        return self._cluster_id

    def infobase_id(self, ref: str) -> str | None:
        for block in self.rac("infobase", "summary", "list", options=self._cluster_options()):
            if block.get("name", "").lower() == ref.lower():
                return block["infobase"]
        return None

    def _require_infobase_id(self, ref: str) -> str:
        infobase = self.infobase_id(ref)
        if infobase is None:
            raise ProvisioningError(f"Информационная база {ref} не найдена в кластере.")
        return infobase

    def infobase_info(self, ref: str) -> dict[str, str]:
        options = [*self._cluster_options(), f"--infobase={self._require_infobase_id(ref)}"]
        [info] = self.rac("infobase", "info", options=[*options, *self._infobase_auth()])
        return info

    # -- the session deny --------------------------------------------------------------------
    def _service_code(self, ref: str) -> str:
        return service_code(ref, self.config.get("service_secret", ""))

    def layers(self, ref: str) -> Layers:
        return Layers.read(self.infobase_info(ref))

    def _write_layers(self, ref: str, change: Callable[[Layers], Layers]) -> Layers:
        info = self.infobase_info(ref)
        layers = change(Layers.read(info))
        code = self._service_code(ref)
        options = [*self._cluster_options(), f"--infobase={info['infobase']}"]
        options += [*self._infobase_auth(), *layers.rac_options(code)]
        secrets = [code, (layers.lock or {}).get("code", "")]
        self.rac("infobase", "update", options=options, secrets=secrets)
        return layers

    def _end_sessions(self, ref: str, message: str) -> None:
        """Terminate every session; checked by listing again, never by the error's wording."""
        for _ in range(TERMINATE_ROUNDS):
            sessions = self.sessions(ref=ref)
            if not sessions:
                return
            for session in sessions:
                options = [*self._cluster_options(), f"--session={session.id}"]
                with contextlib.suppress(ToolError):  # Ended meanwhile? The next listing tells.
                    self.rac(
                        "session", "terminate", options=[*options, f"--error-message={message}"]
                    )
        if self.sessions(ref=ref):
            raise ProvisioningError(f"Не удалось завершить сеансы информационной базы {ref}.")

    def _exclusive(
        self, ref: str, job: str, work: Callable[[str], object], *, keep_on_failure=False
    ):
        """Deny, end the sessions, run `work(code)`, lift. Each step is safe to repeat."""
        message = JOB_MESSAGES[job]
        self._write_layers(ref, lambda layers: Layers(layers.block, message, layers.lock))
        self._end_sessions(ref, message)
        try:
            result = work(self._service_code(ref))
        except Exception:
            if not keep_on_failure:  # The infobase is as it was: let its users back in.
                self.exclusive_release(ref=ref)
            raise
        self.exclusive_release(ref=ref)
        return result

    def exclusive_release(self, *, ref: str) -> None:
        self._write_layers(ref, lambda layers: Layers(layers.block, None, layers.lock))

    # -- ibcmd ---------------------------------------------------------------------------------
    def ibcmd(self, *words: str, ref: str, extra=()) -> str:
        c = self.config
        argv = [c["ibcmd"], "infobase", *words, "--dbms=PostgreSQL"]
        argv += [f"--db-server={c['db_server']}", f"--db-name={ref}", f"--db-user={c['db_user']}"]
        argv.append("--request-db-pwd")  # The DBMS password on stdin, not in the process list.
        if c["infobase_user"]:
            # ibcmd waits on the console for a password when --user comes alone: always pair them.
            argv += [f"--user={c['infobase_user']}", f"--password={c['infobase_password']}"]
        result = self.runner(
            "ibcmd", [*argv, *extra], stdin=c["db_password"] + "\n", secrets=self._secrets()
        )
        return result.stdout

    # -- publishing ----------------------------------------------------------------------------
    def _webinst(self, action: str, ref: str) -> None:
        c = self.config
        argv = [
            c["webinst"],
            action,
            "-apache24",
            "-wsdir",
            ref,
            "-dir",
            str(Path(c["web_dir"]) / ref),
        ]
        if action == "-publish":
            argv += ["-connstr", f'Srvr="{c["server"]}";Ref="{ref}";']
        self.runner("webinst", [*argv, "-confpath", c["apache_conf"]])
        reload = command(c.get("reload"))
        if reload:  # webinst only edits the configuration; Apache reads it on reload.
            self.runner("reload", reload)

    # -- the interface -------------------------------------------------------------------------
    def create(self, *, ref: str, template: str, restore_from: Path | None = None, admin=None):
        if self.infobase_id(ref) is None:  # A retry after a partial create goes on from here.
            c = self.config
            options = [*self._cluster_options(), "--create-database", f"--name={ref}"]
            options += ["--dbms=PostgreSQL", f"--db-server={c['db_server']}", f"--db-name={ref}"]
            options += ["--locale=ru", f"--db-user={c['db_user']}", f"--db-pwd={c['db_password']}"]
            options += ["--license-distribution=allow", "--scheduled-jobs-deny=off"]
            self.rac("infobase", "create", options=options)
        if restore_from is not None:
            self.restore(ref=ref, path=Path(restore_from), admin=admin)
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
        self._write_layers(ref, lambda layers: Layers(message, layers.job, layers.lock))
        self._end_sessions(ref, message)
        self.unpublish(ref=ref)

    def unblock(self, *, ref: str) -> None:
        self._write_layers(ref, lambda layers: Layers(None, layers.job, layers.lock))
        self.publish(ref=ref)

    def lock_set(self, *, ref: str, starts, ends, message: str, code: str) -> None:
        change = lambda layers: layers.with_lock(  # noqa: E731
            starts=starts, ends=ends, message=message, code=code
        )
        self._write_layers(ref, change)

    def lock_clear(self, *, ref: str) -> None:
        self._write_layers(ref, lambda layers: Layers(layers.block, layers.job, None))

    def service_account_ensure(self, *, ref: str, admin=None) -> None:
        """Create or repair the portal's account (an administrator) inside the infobase."""
        c = self.config
        action = {
            "action": "service_account_ensure",
            "login": c["infobase_user"],
            "password": c["infobase_password"],
            "full_name": "ONEbuh (служебный)",
        }
        code = self._service_code(ref)
        try:
            self.agent.run(ref, [action], code=code)
        except ProvisioningError as error:
            if admin is None:
                raise ProvisioningError(
                    f"Служебный пользователь {c['infobase_user']} не может войти в базу {ref} "
                    "(выгрузка клиента приносит своих пользователей): нужен логин и пароль "
                    f"администратора этой выгрузки. Ответ 1С: {error}"
                ) from error
            self.agent.run(ref, [action], code=code, admin=admin)  # A customer's .dt.

    def service_account_check(self, *, ref: str) -> str:
        try:
            self.layers(ref)  # rac infobase info as the service account.
        except ProvisioningError as error:
            return str(error)
        return ""

    def user_set(self, *, ref, login, full_name, role, password, profiles=None) -> None:
        action = {
            "action": "user_set",
            "login": login,
            "full_name": full_name,
            "password": password,
            "profiles": list(profiles or DEFAULT_PROFILES[role]),
        }
        self.agent.run(ref, [action], code=self.layers(ref).code(self._service_code(ref)))

    def user_remove(self, *, ref: str, login: str) -> None:
        action = {"action": "user_disable", "login": login}
        self.agent.run(ref, [action], code=self.layers(ref).code(self._service_code(ref)))

    def sessions(self, *, ref: str) -> list[SessionInfo]:
        options = [*self._cluster_options(), f"--infobase={self._require_infobase_id(ref)}"]
        return [
            SessionInfo(
                id=block["session"],
                user=block.get("user-name", ""),
                client=block.get("app-id", ""),
                host=block.get("host", ""),
                started_at=rac_time(block.get("started-at", "")),
                last_active_at=rac_time(block.get("last-active-at", "")),
            )
            for block in self.rac("session", "list", options=options)
            if "session" in block
        ]

    def session_licenses(self, *, ref: str) -> list[dict[str, str]]:
        """The licences the infobase's sessions hold (`rac session list --licenses`)."""
        options = [*self._cluster_options(), f"--infobase={self._require_infobase_id(ref)}"]
        return self.rac("session", "list", options=[*options, "--licenses"])

    def session_end(self, *, ref: str, session_id: str, message: str = "") -> None:
        options = [*self._cluster_options(), f"--session={session_id}"]
        if message:
            options.append(f"--error-message={message}")
        try:
            self.rac("session", "terminate", options=options)
        except ToolError:
            if any(s.id == session_id for s in self.sessions(ref=ref)):
                raise  # Still there: a real failure. Gone: what we wanted.

    def dump(self, *, ref: str, path: Path) -> int:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")

        def work(code):
            self.ibcmd("dump", ref=ref, extra=[str(part)])

        self._exclusive(ref, "dump", work)
        if not part.exists():
            raise ProvisioningError("ibcmd завершился успешно, но файл выгрузки не создан.")
        part.replace(path)
        return path.stat().st_size

    def restore(self, *, ref: str, path: Path, admin=None) -> None:
        if admin is not None:
            # A rerun after the .dt replaced the users: rac needs the account back first.
            self.service_account_ensure(ref=ref, admin=admin)

        def work(code):
            self.ibcmd("restore", ref=ref, extra=["--force", str(path)])
            # The .dt brings its own users: make sure the portal's account is among them.
            self.service_account_ensure(ref=ref, admin=admin)

        self._exclusive(ref, "restore", work, keep_on_failure=True)

    def update_config(self, *, ref: str, template: str) -> None:
        def work(code):
            if template.lower().endswith(".cfu"):  # Supported configuration: vendor's update.
                self.agent.designer_update(ref, template, code=code)
            else:
                self.ibcmd("config", "load", ref=ref, extra=["--force", template])
                self.ibcmd("config", "apply", ref=ref, extra=["--dynamic=disable", "--force"])
            self.service_account_ensure(ref=ref)
            self.agent.update_handlers(ref, code=code)

        self._exclusive(ref, "update", work, keep_on_failure=True)

    def size(self, *, ref: str) -> int | None:
        """The database's size as PostgreSQL counts it (pg_database_size)."""
        host, port = _pg_host(self.config["db_server"])
        try:
            with (
                psycopg2.connect(
                    host=host,
                    port=port,
                    dbname="postgres",
                    user=self.config["db_user"],
                    password=self.config["db_password"] or None,
                    connect_timeout=10,
                ) as connection,
                connection.cursor() as cursor,
            ):
                cursor.execute("SELECT pg_database_size(%s)", [ref])
                return int(cursor.fetchone()[0])
        except psycopg2.Error as error:
            raise ProvisioningError(f"PostgreSQL: {error}".strip()) from error


def _pg_host(server: str) -> tuple[str, int]:
    """1C spells the DBMS server `host`, `host:port` or `host port=N`."""
    match = re.fullmatch(r"\s*([^\s:]+)(?::(\d+)|\s+port=(\d+))?\s*", server)
    if not match:
        return server, 5432
    return match.group(1), int(match.group(2) or match.group(3) or 5432)

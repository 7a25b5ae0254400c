"""Strict fakes of the 1C tools (rac, ibcmd, webinst, 1cv8) and of `apachectl graceful`.

Only the 1C server is faked, never our code. Each fake is this file run as a script: it parses its
command line against the tool's command tree kept as data in `onec_trees/` (see its README for the
sources) and refuses what the tool refuses: unknown modes, commands and options, an option given
twice, a value outside the tool's fixed set, a missing required option or argument. It keeps state
in a JSON file (infobases, their users and configuration, sessions, deny flags, publications, the
Apache configuration actually loaded) so a test sees what the driver did, and prints answers in
the tools' own `key : value` format in the configured encoding (UTF-8, or cp866 as rac on Windows).

It also refuses what 1C refuses at run time: rac calls that need the infobase's administrator
without valid credentials («Недостаточно прав пользователя на информационную базу»), ibcmd jobs
while sessions are connected («Ошибка исключительной блокировки информационной базы»), ibcmd
without a valid infobase user, a client start while sessions are denied without the code.
"""

from __future__ import annotations

import json
import os
import re
import sys
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

TREES = Path(__file__).with_name("onec_trees")
CLUSTER = "0a2c4f6e-1b3d-4e5f-8a9b-0c1d2e3f4a5b"
DT_MAGIC = b"\xff\xff\xff\x7fONEC-FAKE-DT\n"
INFOBASE_FIELDS = [
    "infobase",
    "name",
    "dbms",
    "db-server",
    "db-name",
    "db-user",
    "security-level",
    "license-distribution",
    "scheduled-jobs-deny",
    "sessions-deny",
    "denied-from",
    "denied-message",
    "denied-parameter",
    "denied-to",
    "permission-code",
    "external-session-manager-connection-string",
    "external-session-manager-required",
    "security-profile-name",
    "safe-mode-security-profile-name",
    "reserve-working-processes",
    "descr",
]


class Refused(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


# -- parsing against a tree ------------------------------------------------------------------
def _canonical(options: dict, token: str) -> str | None:
    if token in options:
        return token
    for name, spec in options.items():
        if token in spec.get("aliases", ()):
            return name
    return None


def parse_gnu(tree: dict, argv: list[str]) -> tuple[list[str], dict, list[str]]:
    """ibcmd and rac: mode, command words, options (scoped from their node on), arguments."""
    usage = tree["exit_codes"]["usage"]
    scopes = [tree.get("global_options", {})]
    required: list[str] = []
    node = {"commands": tree["modes"]}
    path: list[str] = []
    options: dict[str, str | bool] = {}
    args: list[str] = []
    long_only = tree["option_forms"] == ["--name=value"]
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if token.startswith("-") and len(token) > 1:
            name, eq, value = token.partition("=")
            known = {k: v for scope in scopes for k, v in scope.items()}
            canonical = _canonical(known, name)
            if canonical is None:
                raise Refused(f"Неизвестный параметр: {name}", usage)
            if canonical in options:
                raise Refused(f"Параметр указан повторно: {canonical}", usage)
            spec = known[canonical]
            if spec["value"] and not eq:
                if long_only or i >= len(argv):
                    raise Refused(f"Не задано значение параметра: {name}", usage)
                value = argv[i]
                i += 1
            elif not spec["value"] and eq:
                raise Refused(f"Параметр {name} не имеет значения", usage)
            if "choices" in spec and value not in spec["choices"]:
                raise Refused(f"Некорректное значение параметра: {canonical[2:]}", usage)
            options[canonical] = value if spec["value"] else True
            continue
        commands = node.get("commands", {})
        if token in commands and not args:
            node = commands[token]
            path.append(token)
            scopes.append(node.get("options", {}))
            required += node.get("required", [])
            continue
        if commands and "args" not in node and not (tree.get("address_argument") and path):
            what = "режим" if not path else "команда"
            raise Refused(f"Неизвестная {what}: {token}", usage)
        args.append(token)
    if not path:
        raise Refused("Не задан режим работы", usage)
    if "commands" in node and "args" not in node:
        raise Refused(f"Не задана команда режима {' '.join(path)}", usage)
    low, high = node.get("args", [0, 0])
    address = args and re.fullmatch(r"[\w.-]+(:\d+)?", args[-1])
    if tree.get("address_argument") and address:  # rac's RAS host:port
        args = args[:-1]
    if not low <= len(args) <= high:
        raise Refused(f"Неверное число аргументов команды {' '.join(path)}: {len(args)}", usage)
    for name in required:
        if name not in options:
            raise Refused(f"Не задан обязательный параметр: {name}", usage)
    return path, options, args


def parse_single_dash(tree: dict, argv: list[str]) -> tuple[list[str], dict, list[str]]:
    """webinst and 1cv8: `-name value` / `/Name value` words; the mode or action is a word too."""
    usage = tree["exit_codes"]["usage"]
    if tree["tool"] == "webinst":
        mode_words, allowed = tree["actions"], dict(tree["options"])
        allowed.update({w: {"value": False} for w in tree["web_servers"]})
    else:
        mode_words, allowed = tree["modes"], None
    path, options, args = [], {}, []
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if token in mode_words and not path:
            path.append(token)
            if allowed is None:
                allowed = mode_words[token]["options"]
            continue
        if allowed is None:
            raise Refused(f"Неизвестный режим запуска: {token}", usage)
        name, value = token, None
        if name not in allowed and name[:2] in ("/N", "/P") and name[:2] in allowed:
            name, value = token[:2], token[2:]
        if name not in allowed:
            raise Refused(f"Неизвестный параметр командной строки: {token}", usage)
        if name in options:
            raise Refused(f"Параметр указан повторно: {name}", usage)
        spec = allowed[name]
        if spec["value"] and value is None:
            if i >= len(argv):
                raise Refused(f"Не задано значение параметра {name}", usage)
            value = argv[i]
            i += 1
        extra = []
        for _ in range(spec.get("extra_args", 0)):
            extra.append(argv[i])
            i += 1
        options[name] = ([value, *extra] if extra else value) if spec["value"] else True
    if not path:
        if tree["tool"] == "webinst" and options:
            path = ["-publish"]  # webinst publishes when no action is given
        else:
            raise Refused("Не задан режим запуска", usage)
    spec = mode_words[path[0]]
    if tree["tool"] == "webinst" and not any(w in options for w in tree["web_servers"]):
        raise Refused("Не указан тип веб-сервера", usage)
    for name in spec.get("required", []):
        if name not in options:
            raise Refused(f"Не задан обязательный параметр {name}", usage)
    return path, options, args


# -- state -------------------------------------------------------------------------------------
def load_state(path: Path) -> dict:
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {
        "cluster": CLUSTER,
        "db_password": "",
        "infobases": {},
        "sessions": [],
        "publications": {},
        "apache_live": {},
        "reloads": 0,
        "events": [],
    }


def save_state(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _base_by_uuid(state: dict, infobase_id: str) -> dict:
    for base in state["infobases"].values():
        if base["infobase"] == infobase_id:
            return base
    raise Refused("Информационная база с указанным идентификатором не найдена", 255)


def _admin_ok(base: dict, user: str | None, password: str | None) -> bool:
    users = base["users"]
    if not users:
        return True  # An infobase without users lets anyone in as its administrator.
    found = users.get(user or "")
    return bool(
        found and found["admin"] and found["password"] == (password or "") and found["active"]
    )


def cluster_now() -> datetime:
    """The cluster's local time, as rac reads and prints it (no zone)."""
    return datetime.now(ZoneInfo("Asia/Almaty")).replace(tzinfo=None)


def _deny_active(base: dict, now: datetime) -> bool:
    if base["sessions-deny"] != "on":
        return False
    starts = base["denied-from"]
    ends = base["denied-to"]
    if starts and now < datetime.fromisoformat(starts):
        return False
    return not (ends and now >= datetime.fromisoformat(ends))


def open_session(state_path: Path, ref: str, *, user: str, app: str = "1CV8C", code: str = ""):
    """A user starting 1C (what tests and the demo do); refused like 1C while sessions are denied."""
    state = load_state(state_path)
    base = state["infobases"][ref]
    if _deny_active(base, cluster_now()) and (not code or code != base["permission-code"]):
        raise Refused("Начало сеанса с информационной базой запрещено", 1)
    session = str(uuid.uuid4())
    stamp = cluster_now().strftime("%Y-%m-%dT%H:%M:%S")
    state["sessions"].append(
        {
            "session": session,
            "infobase": base["infobase"],
            "user-name": user,
            "app-id": app,
            "host": "WS-OFFICE-2",
            "started-at": stamp,
            "last-active-at": stamp,
        }
    )
    save_state(state_path, state)
    return session


def new_infobase(name: str, **fields) -> dict:
    base = dict.fromkeys(INFOBASE_FIELDS, "")
    base.update(
        {
            "infobase": str(uuid.uuid4()),
            "name": name,
            "security-level": "0",
            "license-distribution": "allow",
            "scheduled-jobs-deny": "off",
            "sessions-deny": "off",
            "external-session-manager-required": "no",
            "reserve-working-processes": "no",
            "users": {},
            "config": "",
            "pending": "",
            "extensions": {},
            "handlers_run": [],
            "data": {},
            "support": "none",
        }
    )
    base.update(fields)
    return base


# -- output ------------------------------------------------------------------------------------
def rac_block(fields: dict) -> str:
    width = max(len(k) for k in fields) + 1
    lines = []
    for key, value in fields.items():
        text = str(value)
        if text == "" or re.search(r"[\s\"]", text):
            text = '"' + text.replace('"', '""') + '"' if text else ""
        lines.append(f"{key.ljust(width)}: {text}".rstrip())
    return "\n".join(lines) + "\n\n"


# -- the tools ---------------------------------------------------------------------------------
def run_rac(state: dict, path: list[str], o: dict) -> str:
    mode = path[0]
    if mode == "cluster":
        return rac_block(
            {
                "cluster": state["cluster"],
                "host": "srv1c",
                "port": 1541,
                "name": "Локальный кластер",
            }
        )
    if o["--cluster"] != state["cluster"]:
        raise Refused("Кластер с указанным идентификатором не найден", 255)
    admins = state.get("cluster_admins") or {}
    user = o.get("--cluster-user", "")
    if admins and (user not in admins or admins[user] != o.get("--cluster-pwd")):
        raise Refused("Администратор кластера не аутентифицирован", 255)
    command = " ".join(path[1:])
    if mode == "infobase" and command == "summary list":
        return "".join(
            rac_block({"infobase": b["infobase"], "name": b["name"], "descr": b["descr"]})
            for b in state["infobases"].values()
        )
    if mode == "infobase" and command == "create":
        if o["--name"] in state["infobases"]:
            raise Refused(f"Информационная база {o['--name']} уже зарегистрирована в кластере", 255)
        if o.get("--db-pwd", "") != state["db_password"]:
            raise Refused(
                "Ошибка при выполнении операции с информационной базой\nСервер баз данных не обнаружен: неверный пароль",
                255,
            )
        base = new_infobase(
            o["--name"],
            dbms=o["--dbms"],
            **{
                "db-server": o["--db-server"],
                "db-name": o["--db-name"],
                "db-user": o.get("--db-user", ""),
                "license-distribution": o.get("--license-distribution", "deny"),
                "scheduled-jobs-deny": o.get("--scheduled-jobs-deny", "off"),
            },
        )
        state["infobases"][o["--name"]] = base
        return rac_block({"infobase": base["infobase"]})
    if mode == "infobase":
        base = _base_by_uuid(state, o["--infobase"])
        if not _admin_ok(base, o.get("--infobase-user"), o.get("--infobase-pwd")):
            raise Refused("Недостаточно прав пользователя на информационную базу", 255)
        if command == "info":
            return rac_block({k: base[k] for k in INFOBASE_FIELDS})
        if command == "drop":
            del state["infobases"][base["name"]]
            return ""
        for key in ("--denied-from", "--denied-to"):
            if o.get(key) and not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", o[key]):
                raise Refused(f"Ошибка разбора параметра: {key}", 255)
        for key, value in o.items():
            if key[2:] in INFOBASE_FIELDS and key not in ("--infobase",):
                base[key[2:]] = value
        state["events"].append({"update": base["name"], "deny": base["sessions-deny"]})
        return ""
    if mode == "session" and path[1] == "list":
        rows = [s for s in state["sessions"] if o.get("--infobase") in (None, s["infobase"])]
        if o.get("--licenses"):
            return "".join(
                rac_block(
                    {
                        "session": s["session"],
                        "user-name": s["user-name"],
                        "host": s["host"],
                        "app-id": s["app-id"],
                        "full-name": "",
                        "series": "ORG8A",
                        "issued-by-server": "yes",
                        "license-type": "soft",
                        "net": "no",
                        "max-users-all": 50,
                        "max-users-cur": 50,
                        "short-presentation": "Сервер, ORG8A 50",
                    }
                )
                for s in rows
                if s["app-id"] in ("1CV8C", "1CV8", "WebClient")
            )
        return "".join(
            rac_block({**s, "session-id": n + 1, "hibernate": "no"}) for n, s in enumerate(rows)
        )
    if mode == "session" and path[1] == "terminate":
        before = len(state["sessions"])
        state["sessions"] = [s for s in state["sessions"] if s["session"] != o["--session"]]
        if len(state["sessions"]) == before:
            raise Refused("Сеанс с указанным идентификатором не найден", 255)
        return ""
    raise Refused(f"Команда не поддерживается фейком: {mode} {command}", 255)


def _ibcmd_base(state: dict, o: dict, stdin_text: str) -> dict:
    if o.get("--dbms") != "PostgreSQL":
        raise Refused("Не указан тип СУБД", 255)
    password = (
        stdin_text.splitlines()[0]
        if o.get("--request-database-password") and stdin_text
        else o.get("--database-password", "")
    )
    if password != state["db_password"]:
        raise Refused("Ошибка соединения с сервером баз данных: неверный пароль", 255)
    for base in state["infobases"].values():
        if base["db-name"] == o.get("--database-name") and base["db-server"] == o.get(
            "--database-server"
        ):
            return base
    raise Refused(f"База данных {o.get('--database-name')} не найдена", 255)


def run_ibcmd(state: dict, path: list[str], o: dict, args: list[str], stdin_text: str) -> str:
    if path[0] != "infobase":
        raise Refused("Режим не поддерживается фейком", 255)
    base = _ibcmd_base(state, o, stdin_text)
    if "--user" in o and "--password" not in o:
        raise Refused("ibcmd ждёт ввода пароля с консоли (--user без --password)", 255)
    if not _admin_ok(base, o.get("--user"), o.get("--password")):
        raise Refused("Идентификация пользователя не выполнена", 255)
    if any(s["infobase"] == base["infobase"] for s in state["sessions"]):
        raise Refused("Ошибка исключительной блокировки информационной базы.", 255)
    state["events"].append(
        {
            "ibcmd": " ".join(path[1:]),
            "base": base["name"],
            "deny": base["sessions-deny"],
            "jobs": base["scheduled-jobs-deny"],
        }
    )
    command = " ".join(path[1:])
    if command == "dump":
        content = {k: base[k] for k in ("users", "config", "extensions", "data", "support")}
        Path(args[0]).write_bytes(DT_MAGIC + json.dumps(content, ensure_ascii=False).encode())
        return "Выгрузка информационной базы успешно завершена\n"
    if command == "restore":
        raw = Path(args[0]).read_bytes()
        if not raw.startswith(DT_MAGIC):
            raise Refused("Файл не является файлом выгрузки информационной базы", 255)
        base.update(json.loads(raw[len(DT_MAGIC) :]))
        return "Загрузка информационной базы успешно завершена\n"
    if command == "config load":
        if not Path(args[0]).exists():
            raise Refused(f"Файл не найден: {args[0]}", 255)
        key = o.get("--extension")
        if key:
            base["extensions"][key] = {"file": args[0], "applied": False}
        else:
            base["pending"] = args[0]
        return "Загрузка конфигурации успешно завершена\n"
    if command == "config apply":
        if o.get("--extension"):
            base["extensions"][o["--extension"]]["applied"] = True
        elif base["pending"]:
            base["config"], base["pending"] = base["pending"], ""
            base["support"] = "supported"
        state["events"][-1]["dynamic"] = o.get("--dynamic", "auto")
        return "Обновление конфигурации базы данных успешно завершено\n"
    raise Refused(f"Команда не поддерживается фейком: {command}", 255)


def run_webinst(state: dict, path: list[str], o: dict) -> str:
    if path[0] == "-delete":
        state["publications"].pop(o["-wsdir"], None)
        return f"Публикация {o['-wsdir']} удалена\n"
    state["publications"][o["-wsdir"]] = {
        "dir": o["-dir"],
        "connstr": o["-connstr"],
        "confpath": o.get("-confpath", ""),
    }
    return f"Публикация веб-приложения {o['-wsdir']} выполнена\n"


def run_1cv8(state: dict, path: list[str], o: dict) -> str:
    server, _, ref = o["/S"].partition("\\")
    base = state["infobases"].get(ref)
    if base is None:
        raise Refused(f"Информационная база {ref} не обнаружена", 1)
    if not _admin_ok(base, o.get("/N"), o.get("/P")):
        raise Refused("Идентификация пользователя не выполнена", 1)
    if _deny_active(base, cluster_now()) and o.get("/UC", "") != base["permission-code"]:
        raise Refused("Начало сеанса с информационной базой запрещено", 1)
    if path[0] == "DESIGNER":
        if any(s["infobase"] == base["infobase"] for s in state["sessions"]):
            raise Refused("Ошибка установки монопольного режима", 1)
        if "/UpdateCfg" in o:
            if not o["/UpdateCfg"].endswith(".cfu") or not Path(o["/UpdateCfg"]).exists():
                raise Refused("Файл обновления не найден", 1)
            base["config"] = o["/UpdateCfg"]
        if "/UpdateDBCfg" not in o:
            raise Refused("Конфигурация базы данных не обновлена", 1)
        state["events"].append({"designer": "update", "base": ref, "deny": base["sessions-deny"]})
        return ""
    if "/Execute" not in o:
        if "ЗапуститьОбновлениеИнформационнойБазы" in o.get("/C", ""):
            base["handlers_run"].append(base["config"])
        return ""
    if not Path(o["/Execute"]).exists():
        raise Refused(f"Файл не найден: {o['/Execute']}", 1)
    request = json.loads(Path(o["/C"]).read_text(encoding="utf-8"))
    results = []
    for action in request["actions"]:
        user = base["users"].get(action["login"])
        if action["action"] in ("user_set", "service_account_ensure"):
            status = "updated" if user else "created"
            user = user or {"password": "", "admin": False, "active": True, "profiles": []}
            if action.get("password") is not None:
                user["password"] = action["password"]
            user["full_name"] = action.get("full_name", action["login"])
            user["active"] = True
            if action["action"] == "service_account_ensure":
                user["admin"] = True
                user["profiles"] = ["Администратор"]
            else:
                user["profiles"] = action["profiles"]
                user["admin"] = "Администратор" in action["profiles"]
            base["users"][action["login"]] = user
        else:
            status = "absent" if user is None else "disabled"
            if user:
                user["active"] = False
        results.append({"login": action["login"], "status": status})
    Path(request["result_file"]).write_text(
        json.dumps({"protocol": 1, "results": results}, ensure_ascii=False), encoding="utf-8"
    )
    return ""


def main(argv: list[str]) -> int:
    tool, tree_name, state_file, encoding = argv[1:5]
    args = argv[5:]
    tree = (
        json.loads((TREES / tree_name).read_text(encoding="utf-8")) if tool != "apachectl" else {}
    )
    state_path = Path(state_file)
    state = load_state(state_path)
    with open(state_path.with_name("argv.log"), "a", encoding="utf-8") as log:
        log.write(json.dumps([tool, *args], ensure_ascii=False) + "\n")
    stdin_text = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
    out = ""
    try:
        if tool == "apachectl":
            if args != ["graceful"]:
                raise Refused("Usage: apachectl graceful", 1)
            state["apache_live"] = json.loads(json.dumps(state["publications"]))
            state["reloads"] += 1
        elif tool in ("webinst", "1cv8"):
            path, options, rest = parse_single_dash(tree, args)
            out = (run_webinst if tool == "webinst" else run_1cv8)(state, path, options)
        else:
            path, options, rest = parse_gnu(tree, args)
            if tool == "rac":
                out = run_rac(state, path, options)
            else:
                out = run_ibcmd(state, path, options, rest, stdin_text)
    except Refused as refusal:
        if tool == "1cv8" and "/Out" in args:
            Path(args[args.index("/Out") + 1]).write_text(str(refusal), encoding="utf-8")
        sys.stderr.buffer.write((str(refusal) + "\n").encode(encoding))
        save_state(state_path, state)
        return refusal.code
    save_state(state_path, state)
    sys.stdout.buffer.write(out.encode(encoding))
    return 0


# -- for the tests -----------------------------------------------------------------------------
def install(tmp_path: Path, *, ibcmd_version: str = "8.3.27", encoding: str = "utf-8") -> dict:
    """Write the fakes into tmp_path; return the driver's config and the state file."""
    state = tmp_path / "state.json"
    save_state(state, {**load_state(state), "db_password": "pgpass"})
    trees = {
        "rac": "rac-8.3.json",
        "ibcmd": f"ibcmd-{ibcmd_version}.json",
        "webinst": "webinst-8.3.json",
        "1cv8": "1cv8-8.3.json",
        "apachectl": "-",
    }
    config = {}
    for tool, tree in trees.items():
        script = tmp_path / tool
        script.write_text(
            f'#!/bin/sh\nexec {sys.executable} {Path(__file__)} {tool} {tree} {state} {encoding} "$@"\n'
        )
        script.chmod(0o755)
        config[tool] = str(script)
    epf = tmp_path / "ONEbuhAgent.epf"
    epf.write_bytes(b"fake processor")
    config.update(
        v8client=config.pop("1cv8"),
        reload=[config.pop("apachectl"), "graceful"],
        agent_epf=str(epf),
        ras="srv1c:1545",
        server="srv1c",
        cluster="",
        cluster_user="",
        cluster_password="",
        infobase_user="ПортАдмин",
        infobase_password="s3cret",
        db_server="pg1",
        db_user="usr1c",
        db_password="pgpass",
        web_dir=str(tmp_path / "www"),
        apache_conf=str(tmp_path / "1c.conf"),
        encoding=encoding,
        timeouts={"rac": 30, "webinst": 30, "ibcmd": 60, "client": 60, "reload": 30},
        work_dir=str(tmp_path / "work"),
    )
    return {"config": config, "state": state, "log": tmp_path / "argv.log"}


def calls(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The strict fakes' 1C server: the state a cluster keeps (infobases, users, sessions, deny
flags, publications) and what rac, ibcmd, webinst and 1cv8 do to it, refusing what 1C refuses.
Used by fake_1c.py (see its docstring)."""

from __future__ import annotations

import json
import os
import re
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

try:
    from tests.infobases.fake_1c_parse import Refused
except ImportError:  # run as a script by the fake executables
    from fake_1c_parse import Refused

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


def rac_block(fields: dict) -> str:
    width = max(len(k) for k in fields) + 1
    lines = []
    for key, value in fields.items():
        text = str(value)
        if text == "" or re.search(r"[\s\"]", text):
            text = '"' + text.replace('"', '""') + '"' if text else ""
        lines.append(f"{key.ljust(width)}: {text}".rstrip())
    return "\n".join(lines) + "\n\n"


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

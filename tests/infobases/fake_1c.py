"""Fake 1C administration tools for the cluster driver's tests: small scripts that record their
arguments and answer like rac, ibcmd and webinst do. Only the 1C server is faked, never our code."""

import json
import sys
import textwrap
from pathlib import Path

CLUSTER = "0a2c4f6e-1b3d-4e5f-8a9b-0c1d2e3f4a5b"
SESSION = "7f1e2d3c-4b5a-4968-8776-655443322110"

SCRIPT = r"""#!{python}
import json, sys, uuid
from pathlib import Path
state_path = Path({state!r})
state = json.loads(state_path.read_text()) if state_path.exists() else {{"infobases": {{}}, "users": []}}
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv, ensure_ascii=False) + "\n")
tool, args = {tool!r}, sys.argv[1:]
words = [a for a in args if not a.startswith("-")]
def done(out="", code=0, err=""):
    state_path.write_text(json.dumps(state))
    sys.stdout.write(out); sys.stderr.write(err); sys.exit(code)
if tool == "rac":
    mode, command = words[0], " ".join(words[1:-1])
    if mode == "cluster":
        done("cluster                       : {cluster}\nhost                          : srv1c\nport                          : 1541\nname                          : \"Локальный кластер\"\n\n")
    if mode == "infobase" and command == "summary list":
        done("".join("infobase : %s\nname     : %s\ndescr    : \"\"\n\n" % (v, k) for k, v in state["infobases"].items()))
    if mode == "infobase" and command == "create":
        name = [a for a in args if a.startswith("--name=")][0][7:]
        state["infobases"][name] = str(uuid.uuid4())
        done("infobase : %s\n" % state["infobases"][name])
    if mode == "infobase" and command == "drop":
        target = [a for a in args if a.startswith("--infobase=")][0][11:]
        state["infobases"] = {{k: v for k, v in state["infobases"].items() if v != target}}
        done()
    if mode == "session" and command == "list":
        done("session                          : {session}\nsession-id                       : 3\ninfobase                         : x\nuser-name                        : buh@example.kz\nhost                             : WS-OFFICE-2\napp-id                           : 1CV8C\nstarted-at                       : 2026-11-24T09:12:33\nlast-active-at                   : 2026-11-24T10:01:12\nhibernate                        : no\n\n")
    done()
if tool == "ibcmd":
    if words[:2] == ["infobase", "dump"]:
        Path(args[-1]).write_bytes(b"\xff\xff\xff\x7f" + b"dump")
    if words[:3] == ["infobase", "user", "create"]:
        name = [a for a in args if a.startswith("--name=")][0]
        if name in state["users"]:
            done(code=1, err="Ошибка: пользователь уже существует\n")
        state["users"].append(name)
    done("Операция успешно завершена\n")
done()
"""


def install(tmp_path: Path) -> dict:
    """Write rac, ibcmd and webinst into tmp_path; return the driver config and the log path."""
    log = tmp_path / "argv.log"
    state = tmp_path / "state.json"
    config = {}
    for tool in ("rac", "ibcmd", "webinst"):
        path = tmp_path / tool
        path.write_text(
            textwrap.dedent(SCRIPT).format(
                python=sys.executable,
                state=str(state),
                log=str(log),
                tool=tool,
                cluster=CLUSTER,
                session=SESSION,
            )
        )
        path.chmod(0o755)
        config[tool] = str(path)
    config.update(
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
        web_dir="/var/www/1c",
        apache_conf="/etc/apache2/conf-enabled/1c.conf",
        timeout=30,
    )
    return {"config": config, "log": log}


def calls(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    return [json.loads(line)[1:] for line in log.read_text(encoding="utf-8").splitlines()]

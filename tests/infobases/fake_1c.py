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
import sys
from pathlib import Path

TREES = Path(__file__).with_name("onec_trees")

try:
    from tests.infobases.fake_1c_parse import Refused, parse_gnu, parse_single_dash
    from tests.infobases.fake_1c_server import (
        CLUSTER,
        DT_MAGIC,
        load_state,
        open_session,
        run_1cv8,
        run_ibcmd,
        run_rac,
        run_webinst,
        save_state,
    )
except ImportError:  # run as a script by the fake executables: this folder is on sys.path
    from fake_1c_parse import Refused, parse_gnu, parse_single_dash
    from fake_1c_server import (
        CLUSTER,
        DT_MAGIC,
        load_state,
        open_session,
        run_1cv8,
        run_ibcmd,
        run_rac,
        run_webinst,
        save_state,
    )

__all__ = ["CLUSTER", "DT_MAGIC", "Refused", "calls", "install", "load_state", "open_session"]
__all__ += ["save_state"]


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

"""Work done inside an infobase in 1C:Enterprise mode, where 1C allows it: infobase users and the
update handlers. ibcmd has no user commands; the operator installs the external data processor
`ONEbuhAgent.epf` (source: onec/ONEbuhAgent/, build notes in its README) on the worker host.

The driver starts the thick client in batch:
    1cv8 ENTERPRISE /S <server>\\<ref> /N <service user> /P <password> [/UC <code>]
         /Execute ONEbuhAgent.epf /C <request.json> /Out <log> /DisableStartupDialogs
         /DisableStartupMessages
The request file (mode 0600, deleted afterwards) holds the actions and the users' passwords, so
no user's password is ever on a command line; the processor writes its answer to `result_file`.

Request (protocol 1):
    {"protocol": 1, "result_file": "...", "actions": [
        {"action": "user_set", "login", "full_name", "password" (null keeps it), "profiles": [..]},
        {"action": "user_disable", "login"},
        {"action": "service_account_ensure", "login", "password"}]}
Answer: {"protocol": 1, "results": [{"login", "status": created|updated|disabled|absent,
         "error": "..."}]}
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .base import ProvisioningError
from .tools import redact

UPDATE_HANDLERS = "ЗапуститьОбновлениеИнформационнойБазы;ЗавершитьРаботуСистемы"


class Agent:
    def __init__(self, driver):
        self.driver = driver
        self.config = driver.config

    def _client(self, mode: str, ref: str, *, code: str, admin=None) -> tuple[list[str], list]:
        login, password = admin or (self.config["infobase_user"], self.config["infobase_password"])
        argv = [self.config["v8client"], mode, "/S", f"{self.config['server']}\\{ref}"]
        if login:
            argv += ["/N", login, "/P", password]
        if code:
            argv += ["/UC", code]
        return argv, [password, code]

    def _work_dir(self) -> Path:
        path = Path(self.config.get("work_dir") or tempfile.gettempdir())
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    def run(self, ref: str, actions: list[dict], *, code: str, admin=None) -> list[dict]:
        work = Path(tempfile.mkdtemp(prefix="onebuh-agent-", dir=self._work_dir()))
        request, result, out = work / "request.json", work / "result.json", work / "out.log"
        try:
            fd = os.open(request, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(
                    {"protocol": 1, "result_file": str(result), "actions": actions},
                    handle,
                    ensure_ascii=False,
                )
            argv, secrets = self._client("ENTERPRISE", ref, code=code, admin=admin)
            argv += ["/Execute", self.config["agent_epf"], "/C", str(request), "/Out", str(out)]
            argv += ["/DisableStartupDialogs", "/DisableStartupMessages"]
            self.driver.runner("client", argv, secrets=secrets)
            if not result.exists():
                raise ProvisioningError(
                    "Обработка ONEbuhAgent не записала ответ: " + _tail(out, secrets)
                )
            answer = json.loads(result.read_text(encoding="utf-8"))
        finally:
            for file in (request, result, out):
                file.unlink(missing_ok=True)
            work.rmdir()
        failed = [r for r in answer.get("results", []) if r.get("error")]
        if failed:
            raise ProvisioningError(
                "; ".join(f"{r['login']}: {r['error']}" for r in failed)  # 1C's own words
            )
        return answer["results"]

    def update_handlers(self, ref: str, *, code: str) -> None:
        """Run the configuration's update handlers (SSP) in a batch client session."""
        with tempfile.TemporaryDirectory(dir=self._work_dir()) as work:
            argv, secrets = self._client("ENTERPRISE", ref, code=code)
            argv += ["/C", UPDATE_HANDLERS, "/Out", str(Path(work) / "out.log")]
            argv += ["/DisableStartupDialogs", "/DisableStartupMessages"]
            self.driver.runner("client", argv, secrets=secrets)

    def designer_update(self, ref: str, cfu: str, *, code: str) -> None:
        """Update a supported configuration with a vendor's .cfu and apply it to the database."""
        with tempfile.TemporaryDirectory(dir=self._work_dir()) as work:
            argv, secrets = self._client("DESIGNER", ref, code=code)
            argv += ["/UpdateCfg", cfu, "/UpdateDBCfg", "/Out", str(Path(work) / "out.log")]
            argv += ["/DisableStartupDialogs"]
            self.driver.runner("client", argv, secrets=secrets)


def _tail(path: Path, secrets) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return redact(text.strip()[-1000:], secrets)

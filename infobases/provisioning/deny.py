"""Who denies sessions, and why: the portal's block (3.5), the subscriber's maintenance lock and
the driver's own job (an ibcmd dump, restore or update) share one set of rac fields
(`--sessions-deny`, `--denied-*`, `--permission-code`). Each writer keeps its layer in
`--denied-parameter` (the lock's parameter, which 1C leaves to whoever sets the lock, as the
SSP does for its own) and rac is given the combination, so lifting one never cancels another:
`unblock` keeps a subscriber's lock, `lock_clear` clears its message, and a job's deny left by a
worker that died is recognised and lifted by the next run.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field, replace

from django.conf import settings

from .tools import rac_stamp

MARK = "onebuh:"


@dataclass(frozen=True)
class Layers:
    block: str | None = None  # the block's message
    job: str | None = None  # the running job's message
    lock: dict | None = field(default=None)  # {"from", "to", "message", "code"} as rac stamps

    @classmethod
    def read(cls, info: dict[str, str]) -> Layers:
        """The layers written before; a deny set by someone else is kept as a lock."""
        parameter = info.get("denied-parameter", "")
        if parameter.startswith(MARK):
            data = json.loads(parameter[len(MARK) :])
            return cls(block=data.get("b"), job=data.get("j"), lock=data.get("l"))
        if info.get("sessions-deny") == "on":
            return cls(
                lock={
                    "from": info.get("denied-from", ""),
                    "to": info.get("denied-to", ""),
                    "message": info.get("denied-message", ""),
                    "code": info.get("permission-code", ""),
                }
            )
        return cls()

    def with_lock(self, *, starts, ends, message: str, code: str) -> Layers:
        lock = {"from": rac_stamp(starts), "to": rac_stamp(ends), "message": message, "code": code}
        return replace(self, lock=lock)

    def parameter(self) -> str:
        data = {k: v for k, v in (("b", self.block), ("j", self.job), ("l", self.lock)) if v}
        return MARK + json.dumps(data, ensure_ascii=False, separators=(",", ":")) if data else ""

    def code(self, service_code: str) -> str:
        """The permission code that lets a session in now (the portal's own under block/job)."""
        if self.block is not None or self.job is not None:
            return service_code
        return self.lock["code"] if self.lock else ""

    def rac_options(self, service_code: str) -> list[str]:
        """The combination, written whole every time so no field of an old layer stays behind."""
        if self.block is not None or self.job is not None:
            deny, jobs = "on", "on"
            starts = ends = ""
            message = self.job if self.job is not None else self.block
        elif self.lock:
            deny, jobs = "on", "off"
            starts, ends, message = self.lock["from"], self.lock["to"], self.lock["message"]
        else:
            deny, jobs, starts, ends, message = "off", "off", "", "", ""
        return [
            f"--sessions-deny={deny}",
            f"--scheduled-jobs-deny={jobs}",
            f"--denied-from={starts}",
            f"--denied-to={ends}",
            f"--denied-message={message}",
            f"--permission-code={self.code(service_code)}",
            f"--denied-parameter={self.parameter()}",
        ]


def service_code(ref: str, secret: str = "") -> str:
    """The portal's own permission code for one infobase: derived, never shown, never stored."""
    key = (secret or settings.SECRET_KEY).encode()
    return hmac.new(key, f"1c-permission:{ref}".encode(), hashlib.sha256).hexdigest()[:16]

"""Running the 1C tools for the cluster driver: timeouts per kind of call, the platform's
encoding, errors by exit code, secrets kept out of logs and messages.

Which tool takes what (each checked against the help named in tests/infobases/onec_trees/):
- rac reads every value from its command line (`--cluster-pwd`, `--infobase-pwd`, `--db-pwd`);
- ibcmd reads the DBMS password from stdin with `--request-db-pwd` (`-W`); the infobase user's
  password only as `--password`;
- 1cv8 reads `/P`; the data of a request (the users' passwords) goes in a 0600 file named by `/C`.
The worker runs as a dedicated OS user; README ("1C side") has the process-listing hardening.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from .base import ProvisioningError

logger = logging.getLogger(__name__)

# Seconds per kind of call: a rac call answers in seconds, a dump of 20 GB takes hours.
DEFAULT_TIMEOUTS = {"rac": 60, "webinst": 120, "reload": 60, "client": 1800, "ibcmd": 6 * 3600}
REDACTED = "***"


@dataclass(frozen=True)
class Result:
    stdout: str
    stderr: str


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


def rac_time(value: str) -> datetime | None:
    """rac prints local times of the cluster without a zone: read them as the portal's zone."""
    if not value or value.startswith("0001-01-01"):
        return None
    try:
        return timezone.make_aware(datetime.fromisoformat(value))
    except ValueError:
        return None


def rac_stamp(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S") if value else ""


def redact(text: str, secrets) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


class Runner:
    """Runs one tool's command line; `process` is subprocess.run (a test may pass another)."""

    def __init__(self, *, encoding: str, timeouts: dict, process=subprocess.run):
        self.encoding = encoding or "utf-8"
        self.timeouts = {**DEFAULT_TIMEOUTS, **(timeouts or {})}
        self._process = process

    def __call__(
        self, kind: str, argv: list[str], *, stdin: str | None = None, secrets=()
    ) -> Result:
        timeout = self.timeouts[kind]
        name = Path(argv[0]).name
        logger.info("1C %s: %s", kind, redact(shlex.join(argv), secrets))
        try:
            done = self._process(
                argv,
                input=(stdin or "").encode(self.encoding),
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ProvisioningError(f"{name} не ответил за {timeout} с.") from error
        except OSError as error:
            raise ProvisioningError(f"Не удалось запустить {name}: {error}") from error
        stdout = done.stdout.decode(self.encoding, errors="replace")
        stderr = done.stderr.decode(self.encoding, errors="replace")
        if done.returncode != 0:
            # The exit code says it failed; the tool's own last lines say why.
            text = redact((stderr.strip() or stdout.strip())[-2000:], secrets)
            raise ToolError(f"{name}: код {done.returncode}. {text}", code=done.returncode)
        return Result(stdout=stdout, stderr=stderr)


class ToolError(ProvisioningError):
    def __init__(self, message: str, *, code: int):
        super().__init__(message)
        self.code = code


def command(value) -> list[str]:
    """A configured command: a list, or a string split like a shell would."""
    return list(value) if isinstance(value, list | tuple) else shlex.split(value or "")

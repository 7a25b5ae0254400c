"""The one interface the portal uses to run infobases on the operator's 1C cluster.

Two drivers implement it: `local` (folders and real archive files, for `make run` and tests) and
`cluster` (rac, ibcmd, webinst and 1cv8 in batch). Every method is keyword-only and takes the
infobase's `ref` (its name on the cluster).

Safe to repeat: every method, after a failure or after the reaper re-queues an operation whose
worker died. How each gets there:
- `create` skips `rac infobase create` when the infobase is registered; `drop` of a missing
  infobase and `unpublish` of a missing publication do nothing;
- `block`/`unblock`/`lock_set`/`lock_clear` write a whole state (block, lock and job layers kept
  apart, see cluster's deny.py), never a toggle;
- `dump`/`restore`/`update_config` deny sessions, end them, run, lift: a rerun finds its own
  deny and writes it again; `exclusive_release` lifts a deny left by a job that will not rerun;
- `user_set` creates or updates, `user_remove` of a missing user does nothing;
- `session_end` of a session that has already ended does nothing.
Not idempotent in effect: `restore` and `update_config` change the content each time they run
(the operation takes a backup first and rolls back from it).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


class ProvisioningError(Exception):
    """A driver call failed; the message is shown to staff in the operation's record. With
    `public=True` it is written for the subscriber too (a refused dump) and the panel shows it;
    otherwise the panel says what failed in plain words (issue 18: no server paths)."""

    def __init__(self, message: str = "", *, public: bool = False):
        super().__init__(message)
        self.public = public


@dataclass(frozen=True)
class SessionInfo:
    id: str
    user: str
    client: str  # 1C application id: 1CV8C (thin client), WebClient, Designer, ...
    started_at: datetime | None
    last_active_at: datetime | None
    host: str = ""


# Names of the 1C application ids (rac's app-id) for the panel.
CLIENT_NAMES = {
    "1CV8C": "Тонкий клиент",
    "1CV8": "Толстый клиент",
    "WebClient": "Веб-клиент",
    "Designer": "Конфигуратор",
    "COMConnection": "COM-соединение",
    "BackgroundJob": "Фоновое задание",
    "WSConnection": "Веб-сервис",
    "SrvrConsole": "Консоль кластера",
}


class Driver(abc.ABC):
    @abc.abstractmethod
    def create(
        self, *, ref: str, template: str, restore_from: Path | None = None, admin=None
    ) -> None:
        """Create the infobase from a configuration template, or load it from a .dt dump.

        `admin` (login, password) of the dump's administrator lets the driver add the portal's
        service account to a customer's .dt that does not have it."""

    @abc.abstractmethod
    def drop(self, *, ref: str) -> None:
        """Remove the infobase and its database (no-op if it is already gone)."""

    @abc.abstractmethod
    def publish(self, *, ref: str) -> None:
        """Publish for the web client and the thin client over HTTP."""

    @abc.abstractmethod
    def unpublish(self, *, ref: str) -> None: ...

    @abc.abstractmethod
    def block(self, *, ref: str, message: str) -> None:
        """3.5: deny new sessions and scheduled jobs, end the sessions, unpublish."""

    @abc.abstractmethod
    def unblock(self, *, ref: str) -> None: ...

    @abc.abstractmethod
    def user_set(
        self,
        *,
        ref: str,
        login: str,
        full_name: str,
        role: str,
        password: str | None,
        profiles: list[str] | None = None,
    ) -> None:
        """Create or change an infobase user with the access-group `profiles` of the panel
        `role` (the solution's mapping); `password` None keeps the current password."""

    @abc.abstractmethod
    def user_remove(self, *, ref: str, login: str) -> None:
        """Disable the user's access to the infobase (1C keeps the user for its history)."""

    @abc.abstractmethod
    def sessions(self, *, ref: str) -> list[SessionInfo]: ...

    @abc.abstractmethod
    def session_end(self, *, ref: str, session_id: str) -> None: ...

    @abc.abstractmethod
    def lock_set(
        self, *, ref: str, starts: datetime, ends: datetime | None, message: str, code: str
    ) -> None:
        """Deny sessions for maintenance; `code` lets the subscriber's administrator in."""

    @abc.abstractmethod
    def lock_clear(self, *, ref: str) -> None: ...

    @abc.abstractmethod
    def dump(self, *, ref: str, path: Path) -> int:
        """Write a .dt dump to `path`; return its size in bytes."""

    @abc.abstractmethod
    def restore(self, *, ref: str, path: Path, admin=None) -> None:
        """Replace the infobase's content with the dump at `path` (see `create` for `admin`)."""

    @abc.abstractmethod
    def update_config(self, *, ref: str, template: str) -> None:
        """Update the configuration to a release's .cf and apply it to the database."""

    @abc.abstractmethod
    def size(self, *, ref: str) -> int | None:
        """The infobase's size in bytes, if the driver can tell."""

    def exclusive_release(self, *, ref: str) -> None:  # noqa: B027 - optional: a no-op here
        """Lift the session deny of a job (dump, restore, update) whose worker died."""

    def service_account_ensure(self, *, ref: str, admin=None) -> None:  # noqa: B027
        """Create or repair the portal's service account inside the infobase."""

    def service_account_check(self, *, ref: str) -> str:
        """Whether the portal's account works in the infobase: "" if so, else 1C's answer."""
        return ""

    def session_licenses(self, *, ref: str) -> list[dict[str, str]]:
        """The client licences the infobase's sessions hold, as rac lists them."""
        return []

"""The one interface the portal uses to run infobases on the operator's 1C cluster.

Two drivers implement it: `local` (folders and real archive files, for `make run` and tests) and
`cluster` (command lines of rac, ibcmd and webinst). Every method is keyword-only and takes the
infobase's `ref` (its name on the cluster); they are safe to repeat after a failure.
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
    def create(self, *, ref: str, template: str, restore_from: Path | None = None) -> None:
        """Create the infobase from a configuration template, or load it from a .dt dump."""

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
        self, *, ref: str, login: str, full_name: str, role: str, password: str | None
    ) -> None:
        """Create or change an infobase user; `password` None keeps the current password."""

    @abc.abstractmethod
    def user_remove(self, *, ref: str, login: str) -> None: ...

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
    def restore(self, *, ref: str, path: Path) -> None:
        """Replace the infobase's content with the dump at `path`."""

    @abc.abstractmethod
    def update_config(self, *, ref: str, template: str) -> None:
        """Update the configuration to a release's .cf and apply it to the database."""

    @abc.abstractmethod
    def size(self, *, ref: str) -> int | None:
        """The infobase's size in bytes, if the driver can tell."""

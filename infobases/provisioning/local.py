"""The local driver: each infobase is a folder; dumps are real archives that restore intact.

Layout under ONEBUH_INFOBASES_DIR / "local-cluster" / <ref>:
    meta.json      publication, block, users, session lock, configuration
    sessions.json  the open sessions (the demo and tests open them with `session_open`)
    data/          the infobase's content: whatever files the "1C application" keeps
"""

import hashlib
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils import timezone

from .base import Driver, ProvisioningError, SessionInfo
from .dtfile import (
    LOCAL_FORMAT,
    LOCAL_MARKER,
    DumpRefused,
    ExpansionBudget,
    check_local_dump,
    is_local_dump,
)


def _write_json(path: Path, data) -> None:
    # Write then rename, so a crash never leaves half a file behind.
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, path)


class LocalDriver(Driver):
    def __init__(self, root: Path | None = None):
        self.root = Path(root or settings.ONEBUH_INFOBASES_DIR) / "local-cluster"

    # -- helpers -------------------------------------------------------------------------
    def base_dir(self, ref: str) -> Path:
        if not ref or "/" in ref or ref.startswith("."):
            raise ProvisioningError(f"Недопустимое имя информационной базы: {ref!r}")
        return self.root / ref

    def data_dir(self, ref: str) -> Path:
        return self.base_dir(ref) / "data"

    def _existing(self, ref: str) -> Path:
        path = self.base_dir(ref)
        if not (path / "meta.json").exists():
            raise ProvisioningError(f"Информационная база {ref} не найдена на сервере.")
        return path

    def meta(self, ref: str) -> dict:
        return json.loads((self._existing(ref) / "meta.json").read_text(encoding="utf-8"))

    def _change_meta(self, ref: str, **changes) -> dict:
        meta = self.meta(ref)
        meta.update(changes)
        _write_json(self.base_dir(ref) / "meta.json", meta)
        return meta

    def _sessions_raw(self, ref: str) -> list[dict]:
        path = self._existing(ref) / "sessions.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []

    def _save_sessions(self, ref: str, rows: list[dict]) -> None:
        _write_json(self.base_dir(ref) / "sessions.json", rows)

    def session_open(self, *, ref: str, user: str, client: str = "1CV8C", host: str = "") -> str:
        """Simulate a user starting 1C (demo data and tests): returns the session id."""
        meta = self.meta(ref)
        if meta.get("blocked") or meta.get("lock"):
            raise ProvisioningError("Начало сеанса запрещено.")
        now = timezone.now().isoformat()
        session_id = str(uuid.uuid4())
        rows = self._sessions_raw(ref)
        rows.append(
            {"id": session_id, "user": user, "client": client, "host": host, "started_at": now}
            | {"last_active_at": now}
        )
        self._save_sessions(ref, rows)
        return session_id

    def _is_operator_template(self, path: Path) -> bool:
        """A template path of the 1C server that does not exist on this machine."""
        inside = Path(settings.ONEBUH_INFOBASES_DIR).resolve() in path.resolve().parents
        return not inside and not path.exists()

    # -- the interface -------------------------------------------------------------------
    def create(
        self, *, ref: str, template: str, restore_from: Path | None = None, admin=None
    ) -> None:
        path = self.base_dir(ref)
        (path / "data").mkdir(parents=True, exist_ok=True)
        _write_json(
            path / "meta.json",
            {
                "ref": ref,
                "config": template,
                "published": False,
                "blocked": False,
                "users": {},
                "lock": None,
            },
        )
        if restore_from is not None and self._is_operator_template(Path(restore_from)):
            # The operator's demo templates live on the 1C server, not here: simulate one.
            data = path / "data"
            (data / "configuration.txt").write_text(template + "\n", encoding="utf-8")
            (data / "demo").mkdir(exist_ok=True)
            (data / "demo" / "organisation.txt").write_text(
                "ТОО «Демо-организация», БИН 150340001236\n", encoding="utf-8"
            )
        elif restore_from is not None:
            self.restore(ref=ref, path=Path(restore_from))
        else:
            (path / "data" / "configuration.txt").write_text(template + "\n", encoding="utf-8")

    def drop(self, *, ref: str) -> None:
        shutil.rmtree(self.base_dir(ref), ignore_errors=True)

    def publish(self, *, ref: str) -> None:
        self._change_meta(ref, published=True)

    def unpublish(self, *, ref: str) -> None:
        self._change_meta(ref, published=False)

    def block(self, *, ref: str, message: str) -> None:
        self._change_meta(ref, blocked=True, block_message=message, published=False)
        self._save_sessions(ref, [])

    def unblock(self, *, ref: str) -> None:
        self._change_meta(ref, blocked=False, block_message="", published=True)

    def user_set(self, *, ref, login, full_name, role, password, profiles=None) -> None:
        meta = self.meta(ref)
        user = meta["users"].get(login, {})
        user.update({"full_name": full_name, "role": role, "profiles": list(profiles or [])})
        if password is not None:
            user["password_sha256"] = hashlib.sha256(password.encode()).hexdigest()
        meta["users"][login] = user
        self._change_meta(ref, users=meta["users"])

    def user_remove(self, *, ref: str, login: str) -> None:
        meta = self.meta(ref)
        meta["users"].pop(login, None)
        self._change_meta(ref, users=meta["users"])

    def sessions(self, *, ref: str) -> list[SessionInfo]:
        return [
            SessionInfo(
                id=row["id"],
                user=row["user"],
                client=row["client"],
                host=row.get("host", ""),
                started_at=datetime.fromisoformat(row["started_at"]),
                last_active_at=datetime.fromisoformat(row["last_active_at"]),
            )
            for row in self._sessions_raw(ref)
        ]

    def session_end(self, *, ref: str, session_id: str) -> None:
        rows = [row for row in self._sessions_raw(ref) if row["id"] != session_id]
        self._save_sessions(ref, rows)

    def lock_set(
        self, *, ref: str, starts: datetime, ends: datetime | None, message: str, code: str
    ) -> None:
        lock = {"from": starts.isoformat(), "to": ends.isoformat() if ends else None}
        self._change_meta(ref, lock=lock | {"message": message, "code": code})

    def lock_clear(self, *, ref: str) -> None:
        self._change_meta(ref, lock=None)

    def dump(self, *, ref: str, path: Path) -> int:
        base = self._existing(ref)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, suffix=".part")
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp_name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                marker = {"format": LOCAL_FORMAT, "ref": ref, "config": self.meta(ref)["config"]}
                archive.writestr(LOCAL_MARKER, json.dumps(marker, ensure_ascii=False))
                for file in sorted((base / "data").rglob("*")):
                    if file.is_file():
                        archive.write(file, "data/" + file.relative_to(base / "data").as_posix())
            os.replace(tmp_name, path)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
        return path.stat().st_size

    def restore(self, *, ref: str, path: Path, admin=None) -> None:
        base = self._existing(ref)
        try:
            if not is_local_dump(Path(path)):
                raise ProvisioningError(
                    "Файл не является выгрузкой информационной базы (.dt).", public=True
                )
            marker, limits = check_local_dump(Path(path))
        except DumpRefused as error:
            raise ProvisioningError(str(error), public=True) from error
        budget = ExpansionBudget(limits)
        staging = Path(tempfile.mkdtemp(dir=base, prefix="restore-"))
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    name = info.filename
                    parts = PurePosixPath(name).parts
                    if not parts or parts[0] != "data" or ".." in parts or name.startswith("/"):
                        continue  # Only the content; never a path outside the folder.
                    if info.is_dir():
                        continue
                    target = staging.joinpath(*parts[1:])
                    target.parent.mkdir(parents=True, exist_ok=True)
                    # Streamed under the caps: never a whole entry in memory (issue 18).
                    budget.copy(archive, info, target)
            shutil.rmtree(base / "data", ignore_errors=True)
            os.replace(staging, base / "data")
        except DumpRefused as error:
            raise ProvisioningError(str(error), public=True) from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        config = marker.get("config", "")
        if config:
            self._change_meta(ref, config=config)

    def update_config(self, *, ref: str, template: str) -> None:
        self._existing(ref)
        (self.data_dir(ref) / "configuration.txt").write_text(template + "\n", encoding="utf-8")
        self._change_meta(ref, config=template)

    def size(self, *, ref: str) -> int | None:
        base = self.base_dir(ref)
        return sum(f.stat().st_size for f in base.rglob("*") if f.is_file())

#!/usr/bin/env python
"""Fill Russian translations into the catalogues, then compile them.

    .venv/bin/python scripts/translate.py my-strings.json   # {"English msgid": "Русский", ...}
    .venv/bin/python scripts/translate.py --missing         # list what is untranslated
    .venv/bin/python scripts/translate.py --force f.json    # also overwrite existing translations

A msgid with a plural form takes a list of three Russian forms (one, few, many).
"""

import fcntl
import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("*/locale/ru/LC_MESSAGES/django.po"))


FORCE = "--force" in sys.argv


def missing() -> list[tuple[Path, str]]:
    found = []
    for path in CATALOGUES:
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if not entry.translated() or "fuzzy" in entry.flags:
                found.append((path.relative_to(ROOT), entry.msgid))
    return found


def apply(translations: dict) -> int:
    applied = 0
    for path in CATALOGUES:
        if not path.exists():
            continue
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            if entry.msgid not in translations:
                continue
            # The same English word may mean different things in two apps: never overwrite a
            # translation already made; fix one by editing its .po file.
            if entry.translated() and "fuzzy" not in entry.flags and not FORCE:
                continue
            value = translations[entry.msgid]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value] * 3
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            applied += 1
        po.save()
    return applied


def main() -> int:
    if sys.argv[1:] == ["--missing"]:
        rows = missing()
        for path, msgid in rows:
            print(f"{path}: {msgid!r}")
        return 1 if rows else 0
    (ROOT / "var").mkdir(exist_ok=True)
    with open(ROOT / "var/messages.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        translations = {}
        for name in [arg for arg in sys.argv[1:] if arg != "--force"]:
            translations.update(json.loads(Path(name).read_text(encoding="utf-8")))
        print(f"applied {apply(translations)} translations")
    subprocess.run([str(ROOT / "scripts/messages.sh")], check=True)  # noqa: S603
    rows = missing()
    for path, msgid in rows:
        print(f"untranslated: {path}: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

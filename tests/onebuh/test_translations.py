"""Every user-facing string is translated: the committed catalogues cover the sources, have no
empty or fuzzy entries, and the compiled .mo files match them."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_DIRS = sorted(
    p.parent.parent.parent.parent for p in ROOT.glob("*/locale/ru/LC_MESSAGES/django.po")
)


def _untranslated(po_path: Path) -> list[str]:
    return [
        e.msgid
        for e in polib.pofile(str(po_path))
        if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]


@pytest.mark.parametrize("folder", CATALOGUE_DIRS, ids=lambda p: p.name)
def test_committed_catalogue_is_complete_and_compiled(folder):
    po_path = folder / "locale/ru/LC_MESSAGES/django.po"
    assert _untranslated(po_path) == []
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(po_path.with_suffix(".mo")))
    }
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(po_path))
        if e.translated() and not e.obsolete
    }
    assert {k: v for k, v in compiled.items() if k[1]} == source, "run scripts/messages.sh"


def test_sources_have_no_strings_missing_from_the_catalogues(tmp_path):
    """makemessages over a copy of the sources finds nothing the committed catalogues lack."""
    copy = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.mo", "var", ".venv")
    for folder in CATALOGUE_DIRS:
        shutil.copytree(folder, copy / folder.name, ignore=ignore)
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    for folder in CATALOGUE_DIRS:
        subprocess.run(
            [
                sys.executable,
                # manage.py run inside an app's folder (see the script for why).
                str(ROOT / "scripts/app_manage.py"),
                "makemessages",
                "-l",
                "ru",
                "--no-obsolete",
                "--no-location",
                "-v0",
            ],
            cwd=copy / folder.name,
            check=True,
            env={
                "DJANGO_SETTINGS_MODULE": "onebuh.settings.test",
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(ROOT),
            },
        )
    missing = {
        folder.name: _untranslated(copy / folder.name / "locale/ru/LC_MESSAGES/django.po")
        for folder in CATALOGUE_DIRS
    }
    assert {name: ids for name, ids in missing.items() if ids} == {}

"""The import contracts between the apps (pyproject.toml [tool.importlinter]) hold.

`make test` runs `lint-imports` itself; this test runs the same check so that a targeted run of
the suite also sees a new import that breaks a layer or reaches into another app's models.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]

"""The import contracts between the apps (pyproject.toml [tool.importlinter]) hold.

`make test` runs `lint-imports` itself; this test runs the same check so that a targeted run of
the suite also sees a new import that breaks a layer or reaches into another app's models.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

from scripts.import_contracts import PublicModulesContract

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_the_layers_are_one_strict_order_without_exceptions():
    """No app may call a higher one by an exception to the contract, nor be a peer of another
    (peers may import each other, so they could form a cycle): an upward call is a signal the
    lower app declares (onebuh/signals.py)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c for c in config["contracts"] if c["type"] == "layers"]
    assert "ignore_imports" not in layers
    assert all(":" not in layer and "|" not in layer for layer in layers["layers"])
    assert sorted(layers["layers"]) == sorted(config["root_packages"])


def _public_modules_check(*imports):
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=3, line_contents="")
    contract = PublicModulesContract(
        name="public",
        session_options={"root_packages": ["onebuh", "subscribers", "billing", "infobases"]},
        contract_options={
            "public": ["selectors", "services", "signals"],
            "kernel": ["onebuh", "subscribers.models"],
        },
    )
    return contract.check(graph, verbose=False)


def test_public_modules_contract_lets_public_modules_and_the_kernel_through():
    check = _public_modules_check(
        ("infobases.services.common", "billing.selectors"),
        ("infobases.apps", "billing.signals"),
        ("infobases.views", "billing.services.ledger"),
        ("billing.models", "subscribers.models"),
        ("billing.admin", "onebuh.admin_mixins"),
        ("billing.services.charges", "billing.models"),  # inside the app
    )
    assert check.kept


def test_public_modules_contract_refuses_another_apps_internals():
    check = _public_modules_check(
        ("infobases.services.common", "billing.selectors"),
        ("infobases.demo", "billing.periods"),
        ("billing.selectors", "subscribers.views"),
    )
    assert not check.kept
    assert check.metadata["illegal"] == [
        ("billing.selectors", "subscribers.views", [3]),
        ("infobases.demo", "billing.periods", [3]),
    ]

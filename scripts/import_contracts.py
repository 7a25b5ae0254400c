"""import-linter's "public_modules" contract (pyproject.toml [tool.importlinter], ARCHITECTURE.md).

An app reaches another app only through that app's public modules — `selectors`, `services`,
`hooks`, `access`, `signals` (each with its submodules) — or through a module of the kernel,
the short explicit list every app may name (subscribers' models, audit, locks and state
machine; onebuh; the outbox's public modules). Anything else (another app's models, views,
admin, tasks, internal helpers) fails the check, with the importing line. Only direct imports
are checked: an indirect path always passes through one of the allowed modules first.

Registered in `[tool.importlinter] contract_types`; `lint-imports` runs from the repository root,
which import-linter puts on sys.path, so `scripts.import_contracts` is importable.
"""

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils
from importlinter.application.contract_utils import AlertLevel


def _within(module: str, prefixes: set[str]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


class PublicModulesContract(Contract):
    """The apps are the root packages. Options:
    - public: the submodule names of an app that other apps may import (as packages).
    - kernel: modules any app may import (as packages: `onebuh` covers all of onebuh).
    - ignore_imports: import expressions let through, each with its reason in the config; one
      that matches no import fails the check, as in the built-in contracts.
    """

    type_name = "public_modules"

    public = fields.ListField(subfield=fields.StringField())
    kernel = fields.ListField(subfield=fields.StringField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph, ignore_imports=self.ignore_imports, unmatched_alerting=AlertLevel.ERROR
        )
        apps = set(self.session_options["root_packages"])
        public = set(self.public)
        kernel = set(self.kernel)
        illegal = []
        for importer in sorted(graph.modules):
            importer_app = importer.split(".")[0]
            if importer_app not in apps:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                parts = imported.split(".")
                if parts[0] not in apps or parts[0] == importer_app:
                    continue
                if len(parts) > 1 and parts[1] in public:
                    continue
                if _within(imported, kernel):
                    continue
                lines = sorted(
                    detail["line_number"]
                    for detail in graph.get_import_details(importer=importer, imported=imported)
                )
                illegal.append((importer, imported, lines))
        return ContractCheck(
            kept=not illegal,
            metadata={"illegal": illegal},
            warnings=list(removal.warnings),
            ignored_import_count=len(removal.removed_imports),
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["illegal"]:
            where = ", ".join(f"l.{n}" for n in lines)
            output.print_error(
                f"{importer} imports {imported} ({where}): not a public module of "
                f"{imported.split('.')[0]} ({', '.join(self.public)}) nor in the kernel list.",
                bold=False,
            )
            output.new_line()

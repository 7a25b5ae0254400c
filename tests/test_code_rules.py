"""Rules of the code base that a reader cannot keep by eye (ARCHITECTURE.md names each).

Each test reads the source with `ast` and fails naming the file and line that breaks its rule.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("onebuh", "subscribers", "billing", "infobases", "support", "operations", "outbox", "api")


def _sources(*patterns: str) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(ROOT.glob(pattern))
    return sorted(path for path in found if "migrations" not in path.parts)


def _app_sources() -> list[Path]:
    return _sources(*(f"{app}/**/*.py" for app in APPS))


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def _where(path: Path, node: ast.AST) -> str:
    return f"{_relative(path)}:{node.lineno}"


# --- Tenancy: views reach a subscriber's objects only through access helpers or selectors ---

# The panel's and the API's views (admin views are staff pages: they are scoped by the admin).
VIEW_MODULES = ("*/views.py", "*/views_*.py", "*/views/*.py", "*/api.py", "api/views/*.py")
LOOKUPS = {"filter", "exclude", "get", "get_object_or_404", "get_list_or_404", "aggregate"}
# file -> why it may filter by subscriber by hand. Empty: every view goes through a helper.
TENANCY_ALLOWLIST: dict[str, str] = {}


def _tenant_keyword(name: str | None) -> bool:
    if not name:
        return False
    parts = name.split("__")
    return any(part in ("subscriber", "subscriber_id") for part in parts)


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def tenancy_by_hand(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and _called_name(node) in LOOKUPS:
            for keyword in node.keywords:
                if _tenant_keyword(keyword.arg):
                    found.append(f"{_where(path, node)} .{_called_name(node)}({keyword.arg}=…)")
    return found


def test_views_never_filter_a_subscribers_objects_by_hand():
    """STYLE.md §4: a view that filters by subscriber itself is one forgotten role check away
    from a leak; the access helper (`<things>_visible_to`, `<thing>_for_<role>`) is where the
    rule lives and is tested."""
    offences = [
        offence
        for path in _sources(*VIEW_MODULES)
        if _relative(path) not in TENANCY_ALLOWLIST
        for offence in tenancy_by_hand(path)
    ]
    assert offences == [], "filter through an access helper instead:\n" + "\n".join(offences)


def test_the_tenancy_rule_sees_a_hand_filter(tmp_path):
    view = tmp_path / "views.py"
    view.write_text(
        "def index(request):\n"
        "    a = Invoice.objects.filter(subscriber=request.membership.subscriber)\n"
        "    b = get_object_or_404(Ticket, pk=1, subscriber_id=2)\n"
        "    c = Token.objects.exclude(membership__subscriber_id=3)\n"
        "    d = ticket_open(subscriber=request.membership.subscriber)\n"
    )
    assert [line.split(" ", 1)[0] for line in tenancy_by_hand(view)] == [
        "views.py:2",
        "views.py:3",
        "views.py:4",
    ]


# --- Email: one way out, the outbox ---

# Where django.core.mail may be used, and why.
MAIL_ALLOWED = {
    "outbox/email.py": "the outbox's email kind: the one place that talks SMTP (a relay task)",
    "onebuh/emails.py": "renders the message object that the outbox then owes; sends nothing",
}
# Names of django.core.mail that only build identifiers, never send.
MAIL_HARMLESS = {"make_msgid"}


def direct_mail(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "django.core" and any(a.name == "mail" for a in node.names):
                found.append(f"{_where(path, node)} from django.core import mail")
            elif node.module.startswith("django.core.mail"):
                names = {alias.name for alias in node.names} - MAIL_HARMLESS
                if names:
                    found.append(f"{_where(path, node)} from {node.module} import {names}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("django.core.mail"):
                    found.append(f"{_where(path, node)} import {alias.name}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "send"
            and not node.args
            and not node.keywords
        ):
            # message.send(): a built email going out now, past the outbox.
            found.append(f"{_where(path, node)} {ast.unparse(node.func)}()")
    return found


def test_email_leaves_only_through_the_outbox():
    """ARCHITECTURE.md "Email": `send_templated_email` (or allauth's adapter) owes the message
    in the outbox in the caller's transaction; only the outbox's relay talks SMTP, so no request
    and no task sends mail by itself."""
    offences = [
        offence
        for path in _app_sources()
        if _relative(path) not in MAIL_ALLOWED
        for offence in direct_mail(path)
    ]
    assert offences == [], "owe the email with send_templated_email:\n" + "\n".join(offences)


def test_the_email_rule_sees_direct_mail(tmp_path):
    module = tmp_path / "tasks.py"
    module.write_text(
        "from django.core.mail import send_mail, make_msgid\n"
        "from django.core import mail\n"
        "import django.core.mail\n"
        "def task(message):\n"
        "    message.send()\n"
        "    signal.send(sender=None)\n"
    )
    assert [line.split(" ", 1)[0] for line in direct_mail(module)] == [
        "tasks.py:1",
        "tasks.py:2",
        "tasks.py:3",
        "tasks.py:5",
    ]


# --- Tests: one time-travel fixture, one at(), exact query pins ---

TEST_CONVENTIONS = {
    "def at(": "one at() helper: tests/conftest.py",
    "def travel(": "one time-travel fixture: tests/conftest.py",
    "django_assert_max_num_queries": "query pins are exact: django_assert_num_queries",
    "CaptureQueriesContext": "count queries with django_assert_num_queries (it lists them on failure)",
}


def test_tests_share_one_clock_and_pin_queries_exactly():
    offences = []
    for path in _sources("tests/**/*.py"):
        if path.name == "conftest.py" and path.parent == ROOT / "tests":
            continue
        if path == Path(__file__):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for needle, rule in TEST_CONVENTIONS.items():
                if needle in line:
                    offences.append(f"{_relative(path)}:{number} {rule}")
    assert offences == [], "\n".join(offences)


# --- Imports: the one direction is tasks → services ---

# Modules that hold the domain's reads and writes, and the outbox relays: none imports a task
# module. Owed work is an outbox row; a relay sends a task by name (outbox.workers.task_send).
NO_TASK_IMPORTS = (
    "*/services.py",
    "*/services/*.py",
    "*/selectors.py",
    "*/access.py",
    "*/hooks.py",
    "*/notifications.py",
    "outbox/dispatcher.py",
    "outbox/email.py",
)


def task_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        if any(name == "tasks" or name.endswith(".tasks") or ".tasks." in name for name in names):
            found.append(f"{_where(path, node)} {ast.unparse(node)}")
    return found


def test_services_never_import_tasks():
    offences = [o for path in _sources(*NO_TASK_IMPORTS) for o in task_imports(path)]
    assert offences == [], "owe the work as an outbox row instead:\n" + "\n".join(offences)


def test_the_import_rule_sees_a_task_import(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "from .tasks import run\n"
        "from billing.tasks import charge\n"
        "import infobases.tasks\n"
        "from . import tasks\n"
        "from .taskset import x\n"
    )
    assert [line.split(" ", 1)[0] for line in task_imports(module)] == [
        "services.py:1",
        "services.py:2",
        "services.py:3",
        "services.py:4",
    ]

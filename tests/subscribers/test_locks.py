"""One lock module for subscriber rows (subscribers/locks.py): the lock order written once."""

import ast
from pathlib import Path

import pytest

from subscribers.locks import lock_subscriber, lock_subscribers
from subscribers.models import Membership
from tests.factories import SubscriberFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("onebuh", "subscribers", "billing", "infobases", "support", "operations", "outbox", "api")
LOCK_MODULE = ROOT / "subscribers" / "locks.py"


def _names_in_chain(node: ast.AST) -> set[str]:
    """The names a method chain starts from: `Subscriber.objects.filter(…).select_for_update`."""
    names = set()
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        else:
            break
    if isinstance(node, ast.Name):
        names.add(node.id)
    return names


def subscriber_row_locks_outside_lock_module() -> list[str]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == LOCK_MODULE:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "select_for_update"
                    and "Subscriber" in _names_in_chain(node.func.value)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_subscriber_rows_are_locked_only_in_the_lock_module():
    found = subscriber_row_locks_outside_lock_module()
    assert found == [], "lock subscriber rows through subscribers.locks:\n" + "\n".join(found)


def test_the_guard_sees_a_lock_in_a_method_chain():
    code = "def f(ids):\n    return Subscriber.objects.filter(pk__in=ids).select_for_update()\n"
    node = ast.parse(code).body[0].body[0].value
    assert node.func.attr == "select_for_update"
    assert "Subscriber" in _names_in_chain(node.func.value)


@pytest.mark.django_db
def test_lock_subscribers_locks_in_pk_order(django_assert_num_queries):
    ids = sorted(SubscriberFactory().pk for _ in range(3))
    with django_assert_num_queries(1) as captured:
        assert lock_subscribers(reversed(ids)) == ids
    sql = captured.captured_queries[0]["sql"]
    assert sql.endswith("ORDER BY 1 ASC FOR UPDATE"), sql


@pytest.mark.django_db
def test_lock_subscriber_returns_the_row_as_of_the_lock(subscriber):
    type(subscriber).objects.filter(pk=subscriber.pk).update(name="Новое имя")
    assert lock_subscriber(subscriber).name == "Новое имя"
    assert lock_subscriber(subscriber.pk).pk == subscriber.pk


def test_lock_subscribers_refuses_another_model():
    with pytest.raises(TypeError):
        lock_subscribers(Membership.objects.all())

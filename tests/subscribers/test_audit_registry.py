"""The audit registry: every call site names an AuditAction; the admin shows Russian labels (a
code the registry does not know is shown raw), filters by action, actor and subscriber, and
shows times in Almaty; role changes, tariff changes and downloads are audited."""

import ast
import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction, audit_action_label
from subscribers.models import AuditEntry
from subscribers.roles import GROUP_NAMES, StaffRole
from tests.factories import SubscriberFactory, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
AUDIT = reverse("admin:subscribers_auditentry_changelist")


AUDIT_WRITERS = {"audit_record", "audit_record_many", "_audit", "AuditEntry"}


def _typed(value: ast.expr) -> bool:
    if isinstance(value, ast.IfExp):
        return _typed(value.body) and _typed(value.orelse)
    if isinstance(value, ast.Attribute):
        return isinstance(value.value, ast.Name) and value.value.id == "AuditAction"
    if isinstance(value, ast.Call):
        return getattr(value.func, "id", "") == "AuditAction"
    return isinstance(value, ast.Name)  # a parameter typed AuditAction, passed on


def _free_actions(source: str, name: str) -> list[str]:
    """Call sites that hand an audit writer an action that is not `AuditAction.<NAME>` (or
    `AuditAction(...)` of a code built from a registry-checked value, or a variable passed on)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called not in AUDIT_WRITERS:
            continue
        values = [kw.value for kw in node.keywords if kw.arg == "action"]
        if called == "_audit" and len(node.args) >= 3:
            values.append(node.args[2])
        for value in values:
            if not _typed(value):
                found.append(f"{name}:{node.lineno} {ast.unparse(value)}")
    return found


def test_no_call_site_writes_a_free_string_action():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += _free_actions(text, str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_call_site_check_sees_free_strings():
    source = (
        'audit_record(action="billing.payment")\n'
        'audit_record(action=f"subscriber.{event}")\n'
        "audit_record(action=AuditAction.PAYMENT)\n"
        'self._audit(request, obj, "admin.add", message)\n'
        'AuditEntry(action="billing.payment")\n'
    )
    assert _free_actions(source, "x.py") == [
        "x.py:1 'billing.payment'",
        "x.py:2 f'subscriber.{event}'",
        "x.py:4 'admin.add'",
        "x.py:5 'billing.payment'",
    ]


def test_audit_record_refuses_a_code_outside_the_registry():
    with pytest.raises(ValueError):
        audit_record(action="someone.new_thing")
    assert not AuditEntry.objects.exists()


def test_unknown_code_is_shown_raw_and_known_ones_in_russian():
    assert audit_action_label("auth.login") == "Вход в систему"
    assert audit_action_label("someone.new_thing") == "someone.new_thing"


def test_audit_admin_labels_filters_and_local_time(staff_client, operator_engineer):
    acme, other = SubscriberFactory(name="ТОО «Акме»"), SubscriberFactory(name="ТОО «Другой»")
    actor = UserFactory(email="actor@1b.kz")
    entry = audit_record(action=AuditAction.LOGIN, subscriber=acme, actor=actor)
    AuditEntry.objects.filter(pk=entry.pk).update(
        at=datetime.datetime(2026, 11, 20, 5, 0, tzinfo=datetime.UTC)
    )
    # A row whose code the registry no longer knows (an action since removed) is shown raw.
    AuditEntry.objects.create(action="someone.new_thing", subscriber=other)
    client = staff_client(operator_engineer)
    page = client.get(AUDIT).content.decode()
    assert "Вход в систему" in page and "someone.new_thing" in page
    assert "20.11.2026 10:00:00" in page  # 05:00 UTC is 10:00 in Almaty
    by_action = client.get(AUDIT, {"action": "auth.login"}).content.decode()
    assert "ТОО «Акме»" in by_action and "someone.new_thing" not in by_action
    by_actor = client.get(AUDIT, {"actor_email": "actor@"}).content.decode()
    assert "ТОО «Акме»" in by_actor and "ТОО «Другой»" not in by_actor
    by_subscriber = client.get(AUDIT, {"subscriber_q": "Другой"}).content.decode()
    assert "someone.new_thing" in by_subscriber and "ТОО «Акме»" not in by_subscriber


def test_a_role_change_records_which_group(staff_client, operator_engineer):
    # Only a superuser changes staff groups (issue 18).
    client = staff_client(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:subscribers_user_change", args=[operator_engineer.pk])
    assert client.get(url).status_code == 200
    accountant = Group.objects.get(name=GROUP_NAMES[StaffRole.ACCOUNTANT])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "email": operator_engineer.email,
            "full_name": operator_engineer.full_name,
            "is_active": "on",
            "is_staff": "on",
            "groups": [accountant.pk],
            "last_login_0": "",
            "date_joined_0": "20.11.2026",
            "date_joined_1": "10:00:00",
        }
    )
    data.pop("is_superuser", None)
    data.pop("partner_firm", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action=AuditAction.STAFF_ROLE_CHANGE)
    assert entry.data == {
        "added": [GROUP_NAMES[StaffRole.ACCOUNTANT]],
        "removed": [GROUP_NAMES[StaffRole.OPERATOR_ENGINEER]],
    }


def test_a_tariff_price_change_is_audited(staff_client, staff_admin):
    from tests.billing.factories import TariffFactory

    tariff = TariffFactory(monthly_fee="30000.00")
    client = staff_client(staff_admin)
    url = reverse("admin:billing_tariff_change", args=[tariff.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["monthly_fee"] = "32000.00"
    data["is_public"] = "on" if tariff.is_public else ""
    response = client.post(url, {k: v for k, v in data.items() if v != ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action=AuditAction.TARIFF_PRICE_CHANGE)
    assert entry.data["monthly_fee"] == {"from": "30000.00", "to": "32000.00"}

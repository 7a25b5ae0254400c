"""Every admin action and every custom admin view checks its permission (issue 18, ASVS V4).

The walk discovers the actions and the custom views (`get_urls` beyond Django's own) of every
registered ModelAdmin, so an action or a view added later is covered without touching this file.
Each is tried as every staff role: a role without the declared right is refused (403, or the
action is not run), a role with it gets through. The findings of the black-box pass are
reproduced below with the exact requests that worked before.
"""

import datetime
import uuid

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.core import mail
from django.db import models
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, reverse
from django.utils import translation

from onebuh.admin_mixins import admin_has_permissions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["operator_engineer", "partner_consultant", "staff_accountant", "staff_admin"]
# Django's own pages of a ModelAdmin; everything else in get_urls() is a custom view.
STANDARD_VIEWS = ("changelist", "add", "history", "delete", "change")
MISSING_PK = 987654


def _missing_pk(model):
    """A key no row has, in the key's own type (some admins list rows keyed by UUID)."""
    if isinstance(model._meta.pk, models.UUIDField):
        return str(uuid.UUID(int=MISSING_PK))
    return MISSING_PK


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _all_actions():
    """(model admin, action name, declared permissions) of every action a superuser sees."""
    request = _request(UserFactory.build(is_staff=True, is_superuser=True, is_active=True))
    found = []
    for model_admin in admin.site._registry.values():
        for name, (func, _name, _label) in model_admin.get_actions(request).items():
            found.append((model_admin, name, getattr(func, "allowed_permissions", None)))
    return found


def _custom_views():
    """(model admin, URL name, the pattern's keyword names, the view's declared permissions)."""
    found = []
    for model_admin in admin.site._registry.values():
        opts = model_admin.model._meta
        standard = {f"{opts.app_label}_{opts.model_name}_{view}" for view in STANDARD_VIEWS}
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            if pattern.name in standard:
                continue
            found.append(
                (
                    model_admin,
                    pattern.name,
                    list(pattern.pattern.converters),
                    getattr(pattern.callback, "admin_permissions", None),
                )
            )
    return found


def test_the_walk_finds_the_actions_and_views_of_the_findings():
    actions = {(ma.model._meta.label, name) for ma, name, _perms in _all_actions()}
    assert {
        ("infobases.Release", "publish"),
        ("operations.TechnicalWork", "cancel_works"),
        ("operations.CompensationProposal", "recompute"),
    } <= actions
    views = {name for _ma, name, _kwargs, _perms in _custom_views()}
    assert {"operations_compensationclaim_decide", "billing_invoice_pdf"} <= views


def test_every_admin_action_declares_a_right_beyond_viewing():
    """An action without `permissions=` runs for anyone who may see the list."""
    lacking = [
        f"{ma.model._meta.label}.{name}"
        for ma, name, perms in _all_actions()
        if not perms or set(perms) <= {"view"}
    ]
    assert not lacking, f"declare @admin.action(permissions=[...]) on {lacking}"


def test_every_custom_admin_view_declares_its_right():
    lacking = [name for _ma, name, _kwargs, perms in _custom_views() if not perms]
    assert not lacking, f"decorate with onebuh.admin_mixins.admin_view_permissions: {lacking}"


def _spy_actions(monkeypatch, model_admin, ran):
    """Replace each action's body by a recorder: the walk sees whether Django let it run."""
    original = model_admin.get_actions

    def get_actions(request):
        spied = {}
        for name, (func, action_name, label) in original(request).items():

            def record(modeladmin, request, queryset, _name=name):
                ran.append(_name)
                return HttpResponse("ran")

            record.allowed_permissions = getattr(func, "allowed_permissions", ())
            spied[name] = (record, action_name, label)
        return spied

    monkeypatch.setattr(model_admin, "get_actions", get_actions)


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_action_runs_only_for_roles_with_its_right(
    request, role, staff_client, monkeypatch
):
    user = request.getfixturevalue(role)
    client = staff_client(user)
    checked = 0
    for model_admin, name, perms in _all_actions():
        opts = model_admin.model._meta
        allowed = admin_has_permissions(model_admin, _request(user), perms or ())
        ran = []
        _spy_actions(monkeypatch, model_admin, ran)
        response = client.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            {
                "action": name,
                helpers.ACTION_CHECKBOX_NAME: [_missing_pk(model_admin.model)],
                "index": 0,
            },
        )
        where = f"{role}: {opts.label}.{name} (declares {perms})"
        if allowed:
            assert ran == [name], f"{where} was refused a right the role has"
        else:
            assert ran == [], f"{where} ran without the right"
            assert response.status_code in (200, 302, 403), where
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("role", ROLES)
def test_every_custom_admin_view_answers_403_to_roles_without_its_right(
    request, role, staff_client
):
    user = request.getfixturevalue(role)
    client = staff_client(user)
    for model_admin, name, kwargs, perms in _custom_views():
        url = reverse(f"admin:{name}", kwargs=dict.fromkeys(kwargs, MISSING_PK))
        allowed = admin_has_permissions(model_admin, _request(user), perms or ())
        got = client.get(url).status_code
        if allowed:
            # Opened only: a permitted POST would do the view's work.
            assert got != 403 and got < 500, f"{role}: {url} (declares {perms}) answered {got}"
            continue
        posted = client.post(url).status_code
        where = f"{role}: {url} (declares {perms}) answered GET {got}, POST {posted}"
        assert posted == 403, where
        assert got in (403, 405), where  # 405: a POST-only view refuses GET first


# The findings, each with the request that worked before.


def run_action(client, model, action, pks):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(url).status_code == 200  # the list with its action menu is rendered
    return client.post(url, {"action": action, helpers.ACTION_CHECKBOX_NAME: pks, "index": 0})


def test_the_accountant_cannot_cancel_a_technical_work(
    staff_client, staff_accountant, operator_engineer, subscriber, time_machine
):
    from operations.models import Component, TechnicalWork, WorkKind
    from operations.services import technical_work_announce
    from tests.conftest import at

    time_machine.move_to(at(datetime.date(2026, 11, 10), 14))
    work = technical_work_announce(
        work=TechnicalWork(
            kind=WorkKind.PLANNED,
            title="Обновление платформы",
            components=[Component.CLOUD],
            starts_at=at(datetime.date(2026, 11, 13), 1),
            ends_at=at(datetime.date(2026, 11, 13), 4),
        ),
        subscribers=[subscriber],
    )
    mail.outbox.clear()
    run_action(staff_client(staff_accountant), TechnicalWork, "cancel_works", [work.pk])
    work.refresh_from_db()
    assert work.cancelled_at is None and not mail.outbox
    with translation.override("ru"):
        page = staff_client(staff_accountant).get(reverse("operations_public:index")).content
    assert "Обновление платформы".encode() in page
    run_action(staff_client(operator_engineer), TechnicalWork, "cancel_works", [work.pk])
    work.refresh_from_db()
    assert work.cancelled_at is not None


def test_recompute_needs_the_right_to_build_a_proposal(
    staff_client, operator_engineer, staff_accountant, monkeypatch
):
    from operations.admin import compensation as proposal_admin
    from operations.models import CompensationProposal

    proposal = CompensationProposal.objects.create(month=datetime.date(2026, 10, 1))
    built = []
    monkeypatch.setattr(
        proposal_admin,
        "proposal_build_request",
        lambda *, month, actor: built.append(month.isoformat()),
    )
    run_action(staff_client(operator_engineer), CompensationProposal, "recompute", [proposal.pk])
    assert built == []
    run_action(staff_client(staff_accountant), CompensationProposal, "recompute", [proposal.pk])
    assert built == ["2026-10-01"]


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_a_non_superuser_administrator_cannot_make_himself_superuser(staff_client, staff_admin):
    client = staff_client(staff_admin)
    url = reverse("admin:subscribers_user_change", args=[staff_admin.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="is_superuser"' not in page.content and b'name="groups"' not in page.content
    client.post(
        url,
        {
            "email": staff_admin.email,
            "full_name": "Я теперь главный",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [],
        },
    )
    staff_admin.refresh_from_db()
    assert not staff_admin.is_superuser
    assert staff_admin.groups.count() == 1  # his group stays, nothing added or taken


def test_a_non_superuser_administrator_cannot_change_another_staff_members_password(
    staff_client, staff_admin, superuser, operator_engineer, member
):
    client = staff_client(staff_admin)
    for target in (superuser, operator_engineer):
        url = reverse("admin:auth_user_password_change", args=[target.pk])
        assert client.get(url).status_code == 403
        response = client.post(
            url, {"password1": "Zx9!long-enough", "password2": "Zx9!long-enough"}
        )
        assert response.status_code == 403
        target.refresh_from_db()
        assert not target.check_password("Zx9!long-enough")
        edit = client.post(
            reverse("admin:subscribers_user_change", args=[target.pk]),
            {"email": "taken-over@example.com", "is_active": "on"},
        )
        assert edit.status_code == 403
        target.refresh_from_db()
        assert target.email != "taken-over@example.com"
    # A subscriber's member (not staff) is still the administrator's to help.
    url = reverse("admin:auth_user_password_change", args=[member.pk])
    assert client.get(url).status_code == 200


def test_a_superuser_still_grants_staff_groups(staff_client, superuser, member):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Инженер оператора")
    client = staff_client(superuser)
    url = reverse("admin:subscribers_user_change", args=[member.pk])
    assert b'name="is_superuser"' in client.get(url).content
    client.post(
        url,
        {
            "email": member.email,
            "full_name": member.full_name,
            "is_active": "on",
            "is_staff": "on",
            "groups": [group.pk],
            "last_login_0": "",
            "date_joined_0": "01.01.2026",
            "date_joined_1": "00:00:00",
        },
    )
    member.refresh_from_db()
    assert member.is_staff and list(member.groups.all()) == [group]

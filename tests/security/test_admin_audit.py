"""Every staff action on a subscriber's data through the admin leaves an audit row on that
subscriber (who, what, the admin's change message, from which address)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from subscribers.admin_audit import AuditedAdminMixin
from subscribers.models import AuditEntry, Subscriber, User
from support.models import PartnerAssignment


def _holds_subscriber_data(model) -> bool:
    """A subscriber's own rows: a `subscriber` key, or a `membership` key (e.g. API tokens)."""
    from subscribers.models import Membership

    if model in (Subscriber, User):
        return True
    owners = {"subscriber": Subscriber, "membership": Membership}
    return any(
        f.name in owners and f.related_model is owners[f.name] for f in model._meta.concrete_fields
    )


def _editable(model_admin) -> bool:
    request = RequestFactory().get("/admin/")
    request.user = User(is_active=True, is_staff=True, is_superuser=True)
    return any(
        (
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
        )
    )


def test_every_editable_admin_of_subscriber_data_writes_the_audit_trail():
    registry = admin.site._registry
    holding = [m for m in registry if _holds_subscriber_data(m)]
    from api.models import ApiToken

    assert {Subscriber, PartnerAssignment, ApiToken} <= set(holding)  # the scan sees them
    missing = [
        model._meta.label
        for model in holding
        if _editable(registry[model]) and not isinstance(registry[model], AuditedAdminMixin)
    ]
    assert not missing, f"add onebuh.admin_mixins.AuditedAdminMixin to the admins of {missing}"


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(is_staff=True, is_superuser=True)


def test_a_staff_addition_change_and_deletion_are_audited_on_the_subscriber(
    staff_client, superuser, subscriber, partner_firm
):
    from tests.factories import PartnerFirmFactory

    client = staff_client(superuser)
    response = client.post(
        reverse("admin:support_partnerassignment_add"),
        {"subscriber": subscriber.pk, "partner_firm": partner_firm.pk},
    )
    assert response.status_code == 302
    assignment = PartnerAssignment.objects.get(subscriber=subscriber)
    added = AuditEntry.objects.get(action="admin.add")
    assert (added.subscriber, added.actor, added.actor_is_staff) == (subscriber, superuser, True)
    assert (added.target_type, added.target_id) == ("support.partnerassignment", str(assignment.pk))
    assert added.ip == "127.0.0.1"

    other_firm = PartnerFirmFactory()
    client.post(
        reverse("admin:support_partnerassignment_change", args=[assignment.pk]),
        {"subscriber": subscriber.pk, "partner_firm": other_firm.pk},
    )
    changed = AuditEntry.objects.get(action="admin.change")
    assert changed.subscriber == subscriber
    assert changed.data["change"] == [{"changed": {"fields": ["Partner firm"]}}]

    client.post(
        reverse("admin:support_partnerassignment_changelist"),
        {"action": "delete_selected", "_selected_action": [assignment.pk], "post": "yes"},
    )
    assert not PartnerAssignment.objects.exists()
    deleted = AuditEntry.objects.get(action="admin.delete")
    assert (deleted.subscriber, deleted.target_id) == (subscriber, str(assignment.pk))


def test_a_change_to_a_subscribers_registration_data_is_audited(staff_client, superuser, owner):
    subscriber = owner.memberships.get().subscriber
    client = staff_client(superuser)
    url = reverse("admin:subscribers_user_change", args=[owner.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "groups"}
    data.update({"full_name": "Новое Имя Владельца", "date_joined_0": "01.11.2026"})
    data.update({"date_joined_1": "10:00:00", "last_login_0": "", "last_login_1": ""})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="admin.change")
    assert (entry.subscriber, entry.actor, entry.target_id) == (
        subscriber,
        superuser,
        str(owner.pk),
    )


def test_a_staff_deletion_of_an_api_token_is_audited_on_its_subscriber(
    staff_client, superuser, owner, subscriber
):
    from api.models import ApiToken
    from api.services import api_token_create

    token, _raw = api_token_create(membership=owner.memberships.get(), name="CI", scope="read")
    staff_client(superuser).post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"},
    )
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    deleted = AuditEntry.objects.get(action="admin.delete")
    assert (deleted.subscriber, deleted.actor) == (subscriber, superuser)

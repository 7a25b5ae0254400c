"""Access helpers enforce their role themselves (ARCHITECTURE.md, "Access helpers").

Every `<thing>_for_manager` helper in an app's `access.py` answers 404 to a member who does not
manage the subscriber — even when the object is the subscriber's own and the caller forgot the
view's decorator — exactly as it answers for another subscriber's object. The list below is
checked against the helpers the apps define, so a new helper without a case here fails.
"""

import importlib
import inspect

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from infobases.models import UploadSession
from subscribers.models import MemberRole
from support.services import onec_token_issue
from tests.factories import InvitationFactory, MembershipFactory, SubscriberFactory
from tests.infobases.factories import (
    AccessFactory,
    BackupFactory,
    InfobaseFactory,
    backup_target_of,
    failed_copy_of,
)

APPS = ("subscribers", "billing", "infobases", "support", "operations", "api")


def _member(subscriber):
    return {"pk": MembershipFactory(subscriber=subscriber, role=MemberRole.USER).pk}


def _invitation(subscriber):
    return {"pk": InvitationFactory(subscriber=subscriber).pk}


def _infobase(subscriber):
    return {"pk": InfobaseFactory(subscriber=subscriber).pk}


def _upload(subscriber):
    session = UploadSession.objects.create(
        subscriber=subscriber,
        name="Своя",
        original_name="own.dt",
        size_bytes=10,
        part_bytes=10,
        file="uploads/own.dt",
    )
    return {"pk": session.pk}


def _access(subscriber):
    membership = MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
    infobase = InfobaseFactory(subscriber=subscriber)
    return {"pk": AccessFactory(infobase=infobase, membership=membership).pk}


def _backup(subscriber):
    return {"pk": BackupFactory(infobase=InfobaseFactory(subscriber=subscriber)).pk}


def _backup_target(subscriber):
    return {"pk": backup_target_of(subscriber).pk}


def _backup_copy(subscriber):
    return {"pk": failed_copy_of(subscriber).pk}


def _onec_token(subscriber):
    token, _raw = onec_token_issue(infobase=InfobaseFactory(subscriber=subscriber), actor=None)
    return {"pk": token.pk}


# helper (module, name) -> how to make one of the subscriber's own objects for it.
MANAGER_HELPERS = {
    ("subscribers.access", "member_for_manager"): _member,
    ("subscribers.access", "invitation_for_manager"): _invitation,
    ("infobases.access", "infobase_for_manager"): _infobase,
    ("infobases.access", "upload_for_manager"): _upload,
    ("infobases.access", "access_for_manager"): _access,
    ("infobases.access", "backup_for_manager"): _backup,
    ("infobases.access", "member_for_access"): _member,
    ("infobases.access", "backup_target_for_manager"): _backup_target,
    ("infobases.access", "backup_copy_for_manager"): _backup_copy,
    ("support.access", "onec_token_for_manager"): _onec_token,
}


def _defined_manager_helpers() -> set[tuple[str, str]]:
    found = set()
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.access")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and name.endswith("_for_manager"):
                found.add((module.__name__, name))
    return found


def test_every_manager_helper_is_checked_here():
    assert _defined_manager_helpers() <= set(MANAGER_HELPERS)


def _helper(key):
    module, name = key
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("key", MANAGER_HELPERS, ids=lambda key: key[1])
@pytest.mark.parametrize("role", [MemberRole.OWNER, MemberRole.ADMIN])
def test_a_manager_gets_the_subscribers_object(db, key, role):
    subscriber = SubscriberFactory()
    membership = MembershipFactory(subscriber=subscriber, role=role)
    kwargs = MANAGER_HELPERS[key](subscriber)
    assert _helper(key)(membership=membership, **kwargs).pk == kwargs["pk"]


@pytest.mark.parametrize("key", MANAGER_HELPERS, ids=lambda key: key[1])
@pytest.mark.parametrize("role", [MemberRole.USER, MemberRole.ACCOUNTANT])
def test_a_member_who_does_not_manage_gets_404_for_the_subscribers_own_object(db, key, role):
    subscriber = SubscriberFactory()
    membership = MembershipFactory(subscriber=subscriber, role=role)
    kwargs = MANAGER_HELPERS[key](subscriber)
    with pytest.raises(Http404):
        _helper(key)(membership=membership, **kwargs)


@pytest.mark.parametrize("key", MANAGER_HELPERS, ids=lambda key: key[1])
def test_a_manager_of_another_subscriber_gets_404(db, key):
    membership = MembershipFactory(subscriber=SubscriberFactory(), role=MemberRole.OWNER)
    kwargs = MANAGER_HELPERS[key](SubscriberFactory())
    with pytest.raises(Http404):
        _helper(key)(membership=membership, **kwargs)


def test_the_ticket_form_offers_a_plain_member_only_the_infobases_they_have_access_to(
    client, subscriber, member
):
    membership = member.memberships.get(subscriber=subscriber)
    granted = InfobaseFactory(subscriber=subscriber, name="Своя база")
    AccessFactory(infobase=granted, membership=membership)
    InfobaseFactory(subscriber=subscriber, name="Чужая база")
    client.force_login(member)
    form = client.get(reverse("support:ticket_create")).context["form"]
    assert list(form.fields["infobase"].queryset) == [granted]
    # A base the member may not see is refused like an unknown one, nothing opened.
    hidden = subscriber.infobases.get(name="Чужая база")
    response = client.post(
        reverse("support:ticket_create"),
        {"category": "technical", "subject": "Тема", "text": "Текст", "infobase": hidden.pk},
    )
    assert response.status_code == 200
    assert "infobase" in response.context["form"].errors
    assert not subscriber.tickets.exists()


def test_the_ticket_form_offers_an_owner_every_live_infobase(client, subscriber, owner):
    first = InfobaseFactory(subscriber=subscriber)
    second = InfobaseFactory(subscriber=subscriber)
    InfobaseFactory(subscriber=subscriber, status="deleted", deleted_at=timezone.now())
    client.force_login(owner)
    form = client.get(reverse("support:ticket_create")).context["form"]
    assert set(form.fields["infobase"].queryset) == {first, second}

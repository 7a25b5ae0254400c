import time_machine
from django.core import mail
from django.urls import reverse

from subscribers.models import AuditEntry, Invitation, MemberRole, Membership, TermsVersion, User
from tests.factories import InvitationFactory, MembershipFactory, UserFactory


def test_owner_invites_by_email_and_the_email_carries_the_link(
    client, owner, subscriber, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("subscribers:members"), {"email": "New.Person@Example.kz", "role": "accountant"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("new.person@example.kz", MemberRole.ACCOUNTANT)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.kz"]
    assert invitation.get_absolute_url() in mail.outbox[0].body
    assert "Приглашение" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="member.invite", subscriber=subscriber).exists()


def test_new_person_signs_up_through_the_invitation_and_joins_with_its_role(client, subscriber):
    invitation = InvitationFactory(subscriber=subscriber, email="anna@example.kz", role="admin")
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 200
    response = client.post(
        reverse("account_signup"),
        {
            "email": "anna@example.kz",
            "password1": "Sl0zhnyi-parol!",
            "password2": "Sl0zhnyi-parol!",
            "terms_version": TermsVersion.objects.order_by("-published_at").first().pk,
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="anna@example.kz")
    membership = Membership.objects.get(user=user)
    assert (membership.subscriber, membership.role) == (subscriber, MemberRole.ADMIN)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # The invitation link proved the address: no verification email is needed.
    assert user.emailaddress_set.get().verified
    assert not [m for m in mail.outbox if "anna@example.kz" in m.to]


def test_existing_user_accepts_when_signed_in_with_the_invited_address(client, subscriber):
    person = UserFactory(email="boris@example.kz")
    invitation = InvitationFactory(subscriber=subscriber, email="boris@example.kz")
    client.force_login(person)
    assert client.get(invitation.get_absolute_url()).status_code == 200
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert Membership.objects.get(user=person).subscriber == subscriber


def test_invitation_cannot_be_used_by_another_address(client, subscriber):
    stranger = UserFactory(email="stranger@example.kz")
    invitation = InvitationFactory(subscriber=subscriber, email="boris@example.kz")
    client.force_login(stranger)
    client.post(invitation.get_absolute_url())
    assert not Membership.objects.filter(user=stranger).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_expired_invitation_is_refused(client, subscriber):
    person = UserFactory(email="late@example.kz")
    invitation = InvitationFactory(subscriber=subscriber, email="late@example.kz")
    client.force_login(person)
    with time_machine.travel(invitation.expires_at, tick=False):
        response = client.post(invitation.get_absolute_url())
    assert response.status_code == 410
    assert not Membership.objects.filter(user=person).exists()


def test_revoked_invitation_is_refused(client, owner, subscriber):
    invitation = InvitationFactory(subscriber=subscriber, email="gone@example.kz")
    client.force_login(owner)
    client.post(reverse("subscribers:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    assert client.get(invitation.get_absolute_url()).status_code == 410


def test_plain_user_and_accountant_cannot_invite(client, member, subscriber_accountant):
    for person in (member, subscriber_accountant):
        client.force_login(person)
        response = client.post(reverse("subscribers:members"), {"email": "x@example.kz"})
        assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_owner_role_cannot_be_invited(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("subscribers:members"), {"email": "x@example.kz", "role": "owner"}
    )
    assert response.status_code == 200
    assert "role" in response.context["invite_form"].errors
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused_with_a_message(client, owner, member):
    client.force_login(owner)
    response = client.post(reverse("subscribers:members"), {"email": member.email, "role": "user"})
    assert response.status_code == 200
    assert "уже состоит" in response.content.decode()
    assert not Invitation.objects.exists()


def test_administrator_changes_a_role_and_it_is_audited(
    client, subscriber_admin, member, subscriber
):
    client.force_login(subscriber_admin)
    membership = member.memberships.get()
    client.post(reverse("subscribers:member_role", args=[membership.pk]), {"role": "accountant"})
    membership.refresh_from_db()
    assert membership.role == MemberRole.ACCOUNTANT
    entry = AuditEntry.objects.get(action="member.role_change")
    assert entry.data == {"from": "user", "to": "accountant"}
    assert entry.actor == subscriber_admin


def test_owner_cannot_be_demoted_or_removed(client, subscriber_admin, owner, subscriber):
    client.force_login(subscriber_admin)
    owner_membership = owner.memberships.get()
    client.post(reverse("subscribers:member_role", args=[owner_membership.pk]), {"role": "user"})
    client.post(reverse("subscribers:member_remove", args=[owner_membership.pk]))
    owner_membership.refresh_from_db()
    assert owner_membership.role == MemberRole.OWNER


def test_plain_user_cannot_manage_members(client, member, subscriber):
    other = MembershipFactory(subscriber=subscriber, role=MemberRole.ACCOUNTANT)
    client.force_login(member)
    response = client.post(reverse("subscribers:member_remove", args=[other.pk]))
    assert response.status_code == 403
    assert Membership.objects.filter(pk=other.pk).exists()


def test_removed_member_loses_access(client, owner, member, subscriber):
    client.force_login(owner)
    client.post(reverse("subscribers:member_remove", args=[member.memberships.get().pk]))
    client.force_login(member)
    response = client.get(reverse("subscribers:dashboard"))
    assert response.url == reverse("subscribers:register")

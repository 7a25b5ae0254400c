"""Shared personas (STYLE.md §10): owner, member of the same subscriber, member of another
subscriber, and staff of each role. Every app's tests use these."""

import pytest
from django.core.cache import cache

from subscribers.models import MemberRole
from subscribers.roles import StaffRole, sync_staff_groups, user_set_staff_role
from tests.factories import MembershipFactory, PartnerFirmFactory, SubscriberFactory, UserFactory

# The local S3-protocol server (moto) and the s3_storage fixture.
pytest_plugins = ["tests.s3"]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield


@pytest.fixture
def subscriber(db):
    return SubscriberFactory()


@pytest.fixture
def owner(subscriber):
    return MembershipFactory(subscriber=subscriber, role=MemberRole.OWNER).user


@pytest.fixture
def owner_membership(owner, subscriber):
    return owner.memberships.get(subscriber=subscriber)


@pytest.fixture
def member(subscriber):
    """A plain user of the same subscriber."""
    return MembershipFactory(subscriber=subscriber, role=MemberRole.USER).user


@pytest.fixture
def subscriber_admin(subscriber):
    return MembershipFactory(subscriber=subscriber, role=MemberRole.ADMIN).user


@pytest.fixture
def subscriber_accountant(subscriber):
    return MembershipFactory(subscriber=subscriber, role=MemberRole.ACCOUNTANT).user


@pytest.fixture
def other_subscriber(db):
    return SubscriberFactory(entrepreneur=True)


@pytest.fixture
def outsider(other_subscriber):
    """The owner of another subscriber."""
    return MembershipFactory(subscriber=other_subscriber, role=MemberRole.OWNER).user


def _staff(role, **extra):
    sync_staff_groups()
    user = UserFactory(**extra)
    user_set_staff_role(user, role)
    return user


@pytest.fixture
def partner_firm(db):
    return PartnerFirmFactory()


@pytest.fixture
def operator_engineer(db):
    return _staff(StaffRole.OPERATOR_ENGINEER)


@pytest.fixture
def partner_consultant(partner_firm):
    return _staff(StaffRole.PARTNER_CONSULTANT, partner_firm=partner_firm)


@pytest.fixture
def staff_accountant(db):
    return _staff(StaffRole.ACCOUNTANT)


@pytest.fixture
def staff_admin(db):
    return _staff(StaffRole.ADMINISTRATOR)


@pytest.fixture
def mfa(db):
    """Give a user a TOTP second factor, as staff must have before reaching the admin."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    def give(user):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        return user

    return give


@pytest.fixture
def staff_client(client, mfa):
    """A client signed in as the given staff user, with MFA set up and passed."""

    def sign_in(user):
        mfa(user)
        client.force_login(user)
        return client

    return sign_in

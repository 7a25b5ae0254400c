"""Shared personas (STYLE.md §10): owner, member of the same subscriber, member of another
subscriber, and staff of each role. Every app's tests use these."""

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection as default_connection
from django.test.utils import CaptureQueriesContext

from onebuh.cache import ProcessCache
from subscribers.models import MemberRole
from subscribers.roles import StaffRole, sync_staff_groups, user_set_staff_role
from tests.factories import MembershipFactory, PartnerFirmFactory, SubscriberFactory, UserFactory

# The local S3-protocol server (moto) and the s3_storage fixture.
pytest_plugins = ["tests.s3"]


ALMATY = ZoneInfo("Asia/Almaty")


def at(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """The one way tests name a moment: that day's hour:minute in Almaty, aware."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ALMATY)


@pytest.fixture
def travel(time_machine):
    """The one time-travel fixture: travel(moment) freezes time there (tick=False) until the
    test ends or the next call, and returns the moment."""

    def go(moment: datetime.datetime) -> datetime.datetime:
        time_machine.move_to(moment, tick=False)
        return moment

    return go


@pytest.fixture
def django_assert_num_queries():
    """Query pins are exact (Zulip's `assert_database_query_count`): `with
    django_assert_num_queries(n):` fails unless exactly n queries ran, and the failure lists
    every query, with -v or without. A test that is about growth pins the same n for few rows
    and for many."""

    @contextmanager
    def assert_num_queries(num: int, connection=None, info: str | None = None):
        with CaptureQueriesContext(connection or default_connection) as context:
            yield context
        if len(context) != num:
            queries = "\n\n".join(
                f"{number}. {query['sql']}"
                for number, query in enumerate(context.captured_queries, start=1)
            )
            why = f" ({info})" if info else ""
            pytest.fail(
                f"Expected {num} queries, {len(context)} were done{why}.\n\nQueries:\n{queries}"
            )

    return assert_num_queries


@pytest.fixture
def django_assert_max_num_queries():
    pytest.fail("Pin the exact number: django_assert_num_queries (tests/conftest.py).")


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    ProcessCache.clear_all()
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

"""The per-request caches of issue 16.4 and their invalidation: what a panel page no longer asks
Redis or the database for on every view, and how a change still reaches the next request (at
once in the process that made it, within the documented TTL in the others)."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.test import TestCase
from django.urls import reverse, set_script_prefix
from django.utils import translation

from infobases.models import InfobaseStatus, PlacementRequest, Release
from infobases.selectors import LATEST_RELEASES_KEY, LATEST_RELEASES_LOCAL_TTL, latest_releases
from onebuh import cache as onebuh_cache
from onebuh import compiled
from onebuh.cache import ProcessCache
from onebuh.compiled import FixedQuery
from onebuh.listing import choice_labels, fixed_url
from onebuh.sessions import CACHED_SECONDS
from operations.banner import GENERATION_KEY, LOCAL_TTL, works_for_banner
from subscribers.models import MemberRole, Subscriber, TermsVersion
from subscribers.selectors import TERMS_CACHE_KEY, TERMS_LOCAL_TTL, terms_current
from subscribers.services import membership_change_role, membership_remove, terms_publish
from tests.factories import MembershipFactory, SubscriberFactory
from tests.infobases.factories import ReleaseFactory
from tests.operations.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The monotonic clock ProcessCache reads, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(onebuh_cache.time, "monotonic", lambda: now[0])

    def advance(seconds):
        now[0] += seconds

    return advance


def test_a_process_cache_entry_lives_its_ttl_and_the_cache_stays_bounded(clock):
    local = ProcessCache(ttl=10, size=2)
    local.set("a", 1)
    clock(9.9)
    assert local.get("a") == 1
    clock(0.2)
    assert local.get("a") is None
    local.set("a", 1)
    local.set("b", 2)
    local.set("c", 3)  # full: the old entries go
    assert (local.get("a"), local.get("b"), local.get("c")) == (None, None, 3)
    ProcessCache.clear_all()
    assert local.get("c") is None


def test_new_terms_are_current_at_once_here_and_within_ten_seconds_elsewhere(clock):
    shipped = terms_current()  # the version a fresh install publishes, now kept in process
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = terms_publish(
            version_date=datetime.date(2026, 6, 1), title="Условия", text="Текст", actor=None
        )
    assert first != shipped
    assert terms_current() == first  # the publishing process forgets its copy at once
    # Another process publishes: it empties Redis and its own copy, not this one's.
    second = TermsVersion.objects.create(
        version_date=datetime.date(2026, 7, 1), title="Условия", text="Новый текст"
    )
    cache.delete(TERMS_CACHE_KEY)
    assert terms_current() == first
    clock(TERMS_LOCAL_TTL + 0.1)
    assert terms_current() == second


def test_a_works_banner_change_shows_here_at_once_and_elsewhere_within_its_ttl(clock, subscriber):
    assert works_for_banner(subscriber_id=subscriber.pk) == []
    work = WorkFactory()  # saved here: the signal clears this process's copies
    assert works_for_banner(subscriber_id=subscriber.pk) == [work]
    # Another process cancels it: the generation moves in Redis, this process's copy stays.
    type(work).objects.filter(pk=work.pk).update(cancelled_at=work.starts_at)
    cache.incr(GENERATION_KEY)
    assert works_for_banner(subscriber_id=subscriber.pk) == [work]
    clock(LOCAL_TTL + 0.1)
    assert works_for_banner(subscriber_id=subscriber.pk) == []


def test_a_new_release_is_the_latest_here_at_once_and_elsewhere_within_ten_seconds(clock):
    release = ReleaseFactory(published_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
    assert latest_releases()[release.solution_id] == release
    # Another process adds a release: its signal empties Redis and its own copy, not this one's.
    (newer,) = Release.objects.bulk_create(
        [
            ReleaseFactory.build(
                solution=release.solution,
                released_on=release.released_on + datetime.timedelta(days=1),
                published_at=datetime.datetime(2026, 6, 2, tzinfo=datetime.UTC),
            )
        ]
    )
    cache.delete(LATEST_RELEASES_KEY)
    assert latest_releases()[release.solution_id] == release
    clock(LATEST_RELEASES_LOCAL_TTL + 0.1)
    assert latest_releases()[release.solution_id] == newer
    # A change in this process (the Release signal) shows at once.
    newest = ReleaseFactory(
        solution=release.solution,
        released_on=release.released_on + datetime.timedelta(days=2),
        published_at=datetime.datetime(2026, 6, 3, tzinfo=datetime.UTC),
    )
    assert latest_releases()[release.solution_id] == newest


def test_the_cache_reuses_one_redis_client():
    client = cache._cache.get_client()
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: one pool
    cache.set("onebuh-test-probe", 1)
    assert cache.get("onebuh-test-probe") == 1


def test_a_session_read_from_the_cache_ends_with_sign_out(client, owner):
    client.force_login(owner)
    cookie = client.cookies["sessionid"].value
    assert client.get(reverse("subscribers:dashboard")).status_code == 200
    client.post(reverse("account_logout"))
    client.cookies["sessionid"] = cookie  # the old cookie, replayed
    response = client.get(reverse("subscribers:dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert SESSION_KEY not in client.session


def test_a_sessions_cached_copy_lives_five_minutes_not_the_sessions_two_weeks(client, owner):
    """A sign-out while Redis is unreachable cannot delete the cached copy: if that Redis comes
    back with it, the old cookie opens the session only until the copy expires."""
    client.force_login(owner)
    assert client.get(reverse("subscribers:dashboard")).status_code == 200
    key = cache.make_key(KEY_PREFIX + client.cookies["sessionid"].value)
    lifetime = cache._cache.get_client(key).ttl(key)
    assert settings.SESSION_COOKIE_AGE > CACHED_SECONDS
    assert 0 < lifetime <= CACHED_SECONDS


def test_a_removed_membership_or_lowered_role_takes_effect_on_the_next_request(
    client, owner, subscriber
):
    colleague = MembershipFactory(subscriber=subscriber, role=MemberRole.ADMIN)
    client.force_login(colleague.user)
    assert client.get(reverse("subscribers:members")).status_code == 200
    assert b'name="email"' in client.get(reverse("subscribers:members")).content  # may invite
    membership_change_role(membership=colleague, role=MemberRole.USER, actor=owner)
    assert b'name="email"' not in client.get(reverse("subscribers:members")).content
    membership_remove(membership=colleague, actor=owner)
    response = client.get(reverse("subscribers:dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("subscribers:register")


def test_a_fixed_url_follows_the_script_prefix():
    plain = fixed_url("billing:index")
    assert plain == reverse("billing:index")
    set_script_prefix("/portal/")
    try:
        assert fixed_url("billing:index") == reverse("billing:index") == "/portal" + plain
    finally:
        set_script_prefix("/")
    assert fixed_url("billing:index") == plain


def test_a_fixed_query_runs_with_each_call_s_own_arguments():
    first, second = SubscriberFactory(name="Первый"), SubscriberFactory(name="Второй")
    query = FixedQuery(
        lambda subscriber_id: Subscriber.objects.filter(pk=subscriber_id).values("name")
    )
    assert query.rows(subscriber_id=first.pk) == [{"name": "Первый"}]
    assert query.rows(subscriber_id=second.pk) == [{"name": "Второй"}]
    assert query.rows(subscriber_id=second.pk + 1000) == []


def test_a_fixed_query_refuses_an_argument_written_into_its_sql():
    query = FixedQuery(
        lambda subscriber_id: Subscriber.objects.extra(where=[f"id = {subscriber_id}"]).values(
            "name"
        )
    )
    with pytest.raises(RuntimeError, match="written into the compiled query"):
        query.rows(subscriber_id=1)


def _recorded(run) -> list[str]:
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run()
    return statements


def _prepared_here() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def _as_a_new_session():
    """The server forgets this session's statements and the process its record of them."""
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    compiled._PREPARED.pop(connection.connection, None)


def test_a_fixed_query_is_prepared_once_in_a_session_then_only_executed():
    first, second = SubscriberFactory(name="Первый 100%"), SubscriberFactory(name="Второй")
    query = FixedQuery(
        lambda subscriber_id: (
            Subscriber.objects.filter(pk=subscriber_id, name__contains="%")
            .values("name")
            .order_by("pk")
        )
    )
    _as_a_new_session()
    sent = _recorded(lambda: query.rows(subscriber_id=first.pk))
    assert len(sent) == 1 and sent[0].startswith("PREPARE onebuh_") and "EXECUTE" in sent[0]
    assert any("$1" in statement and "LIKE" in statement for statement in _prepared_here())
    answers = []
    sent = _recorded(lambda: answers.append(query.rows(subscriber_id=second.pk)))
    assert len(sent) == 1 and sent[0].startswith("EXECUTE onebuh_")
    assert answers == [[]]  # "Второй" has no percent sign: the LIKE pattern is the query's own
    assert query.rows(subscriber_id=first.pk) == [{"name": "Первый 100%"}]


def test_a_prepared_statement_keeps_a_literal_percent_and_numbers_its_placeholders():
    _as_a_new_session()
    sql = "SELECT %s::text || '%%' || %s::text"
    with connection.cursor() as cursor:
        for left, right in [("100", "a"), ("50", "b")]:  # PREPARE; EXECUTE, then EXECUTE alone
            compiled.execute_prepared(cursor, sql, [left, right])
            assert cursor.fetchone() == (f"{left}%{right}",)


def test_a_session_whose_prepare_failed_runs_its_queries_plainly():
    subscriber = SubscriberFactory(name="Третий")
    _as_a_new_session()
    with transaction.atomic(), connection.cursor() as cursor:
        with pytest.raises(DatabaseError):
            compiled.execute_prepared(
                cursor, "SELECT no_such_column FROM subscribers_subscriber", []
            )
        transaction.set_rollback(True)
    query = FixedQuery(
        lambda subscriber_id: Subscriber.objects.filter(pk=subscriber_id).values("name")
    )
    sent = _recorded(lambda: query.rows(subscriber_id=subscriber.pk))
    assert len(sent) == 1 and sent[0].startswith("SELECT")
    assert query.rows(subscriber_id=subscriber.pk) == [{"name": "Третий"}]
    _as_a_new_session()


def test_prepared_statements_can_be_switched_off_for_a_transaction_pooler(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    subscriber = SubscriberFactory(name="Четвёртый")
    query = FixedQuery(
        lambda subscriber_id: Subscriber.objects.filter(pk=subscriber_id).values("name")
    )
    _as_a_new_session()
    sent = _recorded(lambda: query.rows(subscriber_id=subscriber.pk))
    assert len(sent) == 1 and sent[0].startswith("SELECT")
    assert query.rows(subscriber_id=subscriber.pk) == [{"name": "Четвёртый"}]


def test_the_sidebar_rendered_once_still_follows_the_page_and_the_role(client, owner, member):
    billing = f'href="{reverse("billing:index")}"'
    client.force_login(owner)
    page = client.get(reverse("billing:index")).content.decode()
    assert f'{billing} class="active"' in page
    page = client.get(reverse("subscribers:dashboard")).content.decode()
    assert f'{billing} class=""' in page
    assert f'href="{reverse("subscribers:dashboard")}" class="active"' in page
    client.force_login(member)  # a plain user sees no billing, whatever was rendered before
    page = client.get(reverse("subscribers:dashboard")).content.decode()
    assert billing not in page
    assert f'href="{reverse("subscribers:dashboard")}" class="active"' in page


def test_the_infobase_list_shows_the_latest_placement_requests_to_managers_only(
    client, owner, member, subscriber
):
    start = datetime.datetime(2026, 11, 2, 10, 5, tzinfo=datetime.UTC)
    for n in range(6):
        PlacementRequest.objects.create(
            subscriber=subscriber,
            name=f"База {n}",
            original_name=f"base{n}.dt",
            file=f"placements/{n}.dt",
            size_bytes=2048,
            sha256="0" * 64,
            created_at=start + datetime.timedelta(days=n),
        )
    PlacementRequest.objects.create(
        subscriber=SubscriberFactory(),
        name="Чужая база",
        original_name="other.dt",
        file="placements/other.dt",
        size_bytes=1,
        sha256="0" * 64,
    )
    client.force_login(owner)
    page = client.get(reverse("infobases:index")).content.decode()
    assert [n for n in range(6) if f"base{n}.dt" in page] == [1, 2, 3, 4, 5]  # the latest five
    assert page.index("base5.dt") < page.index("base1.dt")  # newest first
    assert "07.11.2026 15:05" in page and "Новая" in page and "2,0" in page  # Almaty time
    assert "other.dt" not in page
    client.force_login(member)
    assert "base5.dt" not in client.get(reverse("infobases:index")).content.decode()


def test_choice_labels_are_kept_per_language_and_read_only():
    russian = choice_labels(InfobaseStatus)
    assert russian[InfobaseStatus.READY] == "Готов"
    with translation.override("en"):
        assert choice_labels(InfobaseStatus)[InfobaseStatus.READY] == "Ready"
    assert choice_labels(InfobaseStatus) is russian
    with pytest.raises(TypeError):
        russian[InfobaseStatus.READY] = "—"

"""Reads that need thought: the current membership and the terms version in force."""

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from onebuh.cache import ProcessCache
from onebuh.compiled import FixedQuery
from onebuh.listing import choice_labels, fixed_url, local_datetime
from onebuh.signals import send_merged

from .models import Invitation, Membership, Subscriber, SubscriberStateChange, TermsVersion
from .signals import first_steps_requested

CURRENT_SUBSCRIBER_SESSION_KEY = "onebuh_subscriber_id"
TERMS_CACHE_KEY = "subscribers:terms:current"
TERMS_LOCAL_TTL = 10
_terms_local = ProcessCache(ttl=TERMS_LOCAL_TTL)


def memberships_with_current(*, user, session) -> tuple[list[Membership], Membership | None]:
    """All the person's memberships (the layout's subscriber switcher) and the one they work
    under: the one chosen in the session, else the first. One query for every panel page."""
    if not user.is_authenticated:
        return [], None
    memberships = list(
        Membership.objects.select_related("subscriber")
        .filter(user=user)
        .order_by("created_at", "pk")
    )
    chosen = session.get(CURRENT_SUBSCRIBER_SESSION_KEY)
    current = next((m for m in memberships if m.subscriber_id == chosen), None)
    return memberships, current or (memberships[0] if memberships else None)


def membership_current(*, user, session) -> Membership | None:
    """The membership the person works under: the one chosen in the session, else the first."""
    return memberships_with_current(user=user, session=session)[1]


def terms_current() -> TermsVersion | None:
    """The latest published terms; cached, because every panel request asks: in Redis until a
    publication deletes it (300 s at most), and in each process for TERMS_LOCAL_TTL seconds so a
    page costs no round trip for it (issue 16.4). A new version counts as accepted from a
    person's first request under it (TermsMiddleware): in the other processes that begins at
    most ten seconds after publication, which changes nobody's rights."""
    terms = _terms_local.get(TERMS_CACHE_KEY)
    if terms is None:
        terms = cache.get(TERMS_CACHE_KEY)
        if terms is None:
            terms = TermsVersion.objects.order_by("-published_at", "-pk").first() or False
            cache.set(TERMS_CACHE_KEY, terms, 300)
        _terms_local.set(TERMS_CACHE_KEY, terms)
    return terms or None


def terms_forget_current() -> None:
    _terms_local.clear()
    cache.delete(TERMS_CACHE_KEY)


# Compiled once per process (onebuh.compiled): the five subqueries' compilation cost more than
# the database's answer on every dashboard view (issue 16.4). The apps' receivers give their
# expressions at that first compilation (connected at start-up, in AppConfig.ready).
_FIRST_STEPS = FixedQuery(
    lambda subscriber_id: Subscriber.objects.filter(pk=subscriber_id).values(
        invited=Exists(Invitation.objects.filter(subscriber_id=OuterRef("pk"))),
        **send_merged(first_steps_requested, sender="subscribers"),
    )
)


def first_steps(*, subscriber, member_count: int) -> list[dict] | None:
    """The dashboard's checklist for a new subscriber (issue 14): tariff → first base →
    colleagues → their access → first backup. None once every step is done. One query: billing
    and infobases give their steps' expressions (subscribers/signals.py)."""
    (state,) = _FIRST_STEPS.rows(subscriber_id=subscriber.pk)
    colleagues = member_count > 1 or state["invited"]
    steps = [
        (_("Choose a tariff"), "billing:tariffs", state["has_tariff"] is not None),
        (_("Add your first 1C base"), "infobases:add", state["has_infobase"]),
        (_("Invite your colleagues"), "subscribers:members", colleagues),
        (_("Give them access to the bases"), "infobases:access", state["people_with_access"] > 1),
        (_("Make the first backup"), "infobases:backups", state["has_backup"]),
    ]
    rows = [
        {"title": title, "url": fixed_url(name), "done": bool(done)} for title, name, done in steps
    ]
    return None if all(row["done"] for row in rows) else rows


_STATE_HISTORY = FixedQuery(
    lambda subscriber_id: (
        SubscriberStateChange.objects.filter(subscriber_id=subscriber_id)
        .order_by("-at", "-id")
        .values("at", "event", "cause")[:5]
    )
)


def state_history(*, subscriber) -> list[dict]:
    """The dashboard's last five state changes as text (compiled once: onebuh.compiled)."""
    events = choice_labels(SubscriberStateChange.Event)
    return [
        {
            "at": local_datetime(row["at"]),
            "event": events.get(row["event"], row["event"]),
            "cause": row["cause"],
        }
        for row in _STATE_HISTORY.rows(subscriber_id=subscriber.pk)
    ]

"""Reads of the infobases app that need thought. Every list here is a fixed number of queries."""

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from onebuh.cache import ProcessCache
from onebuh.compiled import FixedQuery
from onebuh.listing import choice_labels, local_datetime
from subscribers.models import Membership

from .access import backups_visible_to, infobases_visible_to, newest_done
from .models import (
    Backup,
    BackupStatus,
    InfobaseAccess,
    Operation,
    PlacementRequest,
    PlacementStatus,
    Release,
    ScheduledUpdate,
    Solution,
    UpdateStatus,
)
from .provisioning import CLIENT_NAMES, ProvisioningError, get_driver

LATEST_RELEASES_KEY = "infobases:latest-releases"


def solutions_published():
    """The catalog an infobase is created from (the API's list, the add form's choices)."""
    return Solution.objects.filter(is_published=True)


def solution_published(*, code: str) -> Solution:
    """A published solution by its code, or 404."""
    return get_object_or_404(solutions_published(), code=code)


# Each process keeps the releases it read for ten seconds more (onebuh.cache.ProcessCache): the
# infobase list then costs no Redis round trip for them (issue 16.4). A change clears this
# process's copy at once; the other processes show a new release within ten seconds, which no
# one waiting for an update notices (updates run in the night window).
LATEST_RELEASES_LOCAL_TTL = 10
_latest_local = ProcessCache(ttl=LATEST_RELEASES_LOCAL_TTL, size=1)


def latest_releases() -> dict[int, Release]:
    """The latest published release of each solution (the catalog is small: one query), kept in
    the cache until a release is saved or deleted (`releases_changed`): the infobase list asks on
    every view."""
    latest = _latest_local.get(LATEST_RELEASES_KEY)
    if latest is not None:
        return latest
    latest = cache.get(LATEST_RELEASES_KEY)
    if latest is None:
        latest = {}
        for release in Release.objects.filter(published_at__isnull=False).order_by(
            "solution_id", "-released_on", "-id"
        ):
            latest.setdefault(release.solution_id, release)
        cache.set(LATEST_RELEASES_KEY, latest, 3600)
    _latest_local.set(LATEST_RELEASES_KEY, latest)
    return latest


def releases_changed(**kwargs) -> None:
    _latest_local.clear()
    cache.delete(LATEST_RELEASES_KEY)


# The infobase list's latest placement requests (managers), compiled once (onebuh.compiled).
_PLACEMENTS = FixedQuery(
    lambda subscriber_id: (
        PlacementRequest.objects.filter(subscriber_id=subscriber_id)
        .order_by("-created_at")
        .values("name", "original_name", "size_bytes", "created_at", "status")[:5]
    )
)


def placement_rows(*, membership: Membership) -> list[dict]:
    """The subscriber's five latest placement requests as text, for managers only (the rule of
    placements_visible_to: others see none)."""
    if not membership.can_manage:
        return []
    statuses = choice_labels(PlacementStatus)
    return [
        {
            **row,
            "created": local_datetime(row["created_at"]),
            "status": statuses.get(row["status"], row["status"]),
        }
        for row in _PLACEMENTS.rows(subscriber_id=membership.subscriber_id)
    ]


def infobase_list(*, membership: Membership) -> list:
    last_backup = (
        Backup.objects.filter(infobase=OuterRef("pk"), status=BackupStatus.DONE)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    infobases = list(
        infobases_visible_to(membership=membership)
        .select_related("solution", "release")
        .annotate(last_backup_at=Subquery(last_backup))
        .order_by("name", "pk")
    )
    latest = latest_releases()
    now = timezone.now()
    for ib in infobases:
        newest = latest.get(ib.solution_id)
        ib.newer_release = (
            newest
            if newest and (ib.release is None or newest.released_on > ib.release.released_on)
            else None
        )
        ib.lock_is_active = ib.lock_active(now)
    # The list shows a pending update only beside a newer release: no query when none is out.
    behind = [ib.pk for ib in infobases if ib.newer_release]
    updates = (
        {
            u.infobase_id: u
            for u in ScheduledUpdate.objects.filter(
                infobase_id__in=behind, status__in=[UpdateStatus.SCHEDULED, UpdateStatus.RUNNING]
            ).select_related("release")
        }
        if behind
        else {}
    )
    for ib in infobases:
        ib.pending_update = updates.get(ib.pk)
    return infobases


def access_matrix(*, membership: Membership) -> dict:
    """The users/access page: members × infobases with roles, in three queries."""
    infobases = list(infobases_visible_to(membership=membership).order_by("name", "pk"))
    members = list(
        Membership.objects.filter(subscriber_id=membership.subscriber_id)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    accesses = {
        (a.membership_id, a.infobase_id): a
        for a in InfobaseAccess.objects.filter(infobase__in=[ib.pk for ib in infobases])
    }
    rows = [
        {"member": m, "cells": [(ib, accesses.get((m.pk, ib.pk))) for ib in infobases]}
        for m in members
    ]
    return {
        "infobases": infobases,
        "rows": rows,
        "users_with_access": len({key[0] for key in accesses}),
    }


def backup_list(*, membership: Membership, infobase=None):
    qs = backups_visible_to(membership=membership)
    if membership.subscriber.status != "active":
        qs = newest_done(qs)
    if infobase is not None:
        qs = qs.filter(infobase=infobase)
    return qs.select_related("infobase").order_by("-created_at", "-pk")


def recent_operations(*, infobase, limit: int = 10):
    return Operation.objects.filter(infobase=infobase).select_related("actor")[:limit]


def infobase_sessions(*, infobase) -> tuple[list, str]:
    """The live sessions from the cluster, and an error message if it could not be asked."""
    if not infobase.is_ready:
        return [], ""
    try:
        sessions = get_driver().sessions(ref=infobase.ref)
    except ProvisioningError as error:
        return [], str(error)
    return [
        {"session": s, "client_name": CLIENT_NAMES.get(s.client, s.client)} for s in sessions
    ], ""


def own_access(*, membership: Membership, infobase) -> InfobaseAccess | None:
    return InfobaseAccess.objects.filter(infobase=infobase, membership=membership).first()


def own_login(*, membership: Membership, infobase) -> str | None:
    return (
        InfobaseAccess.objects.filter(infobase=infobase, membership=membership)
        .values_list("login", flat=True)
        .first()
    )


def session_owned_by(*, membership: Membership, infobase, session_id: str) -> bool:
    """Whether the live session is the member's own (a plain user may end only theirs)."""
    login = own_login(membership=membership, infobase=infobase)
    if not login:
        return False
    sessions, _error = infobase_sessions(infobase=infobase)
    return any(row["session"].id == session_id and row["session"].user == login for row in sessions)


def infobase_cluster_health(*, infobase) -> str:
    """Admin health check: "" when the portal's service account answers in the infobase (rac
    infobase info), else 1C's answer (6: it must exist in every base the portal runs)."""
    return get_driver().service_account_check(ref=infobase.ref)


def infobases_member_email_for_login(*, infobase_id: int, login: str) -> str:
    """The email of the active member whose 1C account in this infobase has this login (the
    1C form names the 1C user who writes), or "" when none has. One query."""
    login = (login or "").strip()
    if not login:
        return ""
    return (
        InfobaseAccess.objects.filter(
            infobase_id=infobase_id, login__iexact=login, membership__user__is_active=True
        )
        .values_list("membership__user__email", flat=True)
        .first()
        or ""
    )

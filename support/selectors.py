"""Reads of the support desk: quotas, staff visibility, knowledge base search, the SLA report."""

import datetime
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.selectors import tariff_for_subscriber
from onebuh.compiled import execute_prepared
from onebuh.dates import month_bounds
from subscribers.models import Membership, Subscriber

from .models import (
    PARTNER_CATEGORIES,
    Article,
    ArticleTerm,
    Category,
    SupportKind,
    TermField,
    Ticket,
)
from .search import query_stems
from .sla import business_time, format_business_time


@dataclass(frozen=True)
class QuotaUsage:
    category: str
    used: int
    limit: int

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def exhausted(self) -> bool:
        return self.used >= self.limit

    @property
    def label(self):
        return Category(self.category).label


# The tariff's monthly quota of each partner category (4.4).
QUOTA_FIELDS = {
    Category.METHODOLOGICAL: "methodological_quota",
    Category.INDIVIDUAL: "individual_quota",
}


def quota_limits(*, subscriber: Subscriber) -> dict[str, int]:
    """4.4: the monthly quotas of the subscriber's tariff; no tariff → none of these requests."""

    tariff = tariff_for_subscriber(subscriber=subscriber)
    return {
        Category.METHODOLOGICAL: tariff.methodological_quota if tariff else 0,
        Category.INDIVIDUAL: tariff.individual_quota if tariff else 0,
    }


# The month's partner requests and the tariff's quotas side by side, as plain SQL: the ticket
# list and form ask on every view, and compiling the equivalent ORM subqueries cost ten times
# the database's work (bench/profile_page.py, issue 16.4). Pinned by tests/support: the same
# figures as counting the tickets and reading the tariff through the ORM.
_QUOTA_USAGE_SQL = (
    "SELECT"
    " (SELECT COUNT(*) FROM support_ticket WHERE subscriber_id = %s"
    "  AND opened_at >= %s AND opened_at < %s AND category = %s),"
    " (SELECT COUNT(*) FROM support_ticket WHERE subscriber_id = %s"
    "  AND opened_at >= %s AND opened_at < %s AND category = %s),"
    " t.methodological_quota, t.individual_quota"
    " FROM (SELECT 1) AS one"
    " LEFT JOIN billing_subscription s ON s.subscriber_id = %s"
    " LEFT JOIN billing_tariff t ON t.id = s.tariff_id"
)


def quota_usage(*, subscriber: Subscriber, now=None) -> dict[str, QuotaUsage]:
    """Used and allowed methodological and individual requests this month (Almaty time).

    Every request opened in the month counts, whatever became of it; technical ones are
    unlimited (6.4) and not listed. One query: the month's counts and the tariff's quotas (4.4,
    none without a tariff) side by side (the ticket list and form show them on every view).
    """

    start, end = (
        connection.ops.adapt_datetimefield_value(bound)
        for bound in month_bounds(now or timezone.now())
    )
    params = []
    for category in QUOTA_FIELDS:
        params += [subscriber.pk, start, end, category.value]
    with connection.cursor() as cursor:
        execute_prepared(cursor, _QUOTA_USAGE_SQL, [*params, subscriber.pk])
        methodological, individual, *limits = cursor.fetchone()
    used = {Category.METHODOLOGICAL: methodological, Category.INDIVIDUAL: individual}
    limit = dict(zip(QUOTA_FIELDS, limits, strict=True))
    return {
        category.value: QuotaUsage(category.value, used[category], limit[category] or 0)
        for category in PARTNER_CATEGORIES
    }


def tickets_for_member(*, membership: Membership) -> QuerySet[Ticket]:
    """Owners and administrators see all of the subscriber's tickets, others their own."""
    tickets = Ticket.objects.filter(subscriber_id=membership.subscriber_id)
    if not membership.can_manage:
        tickets = tickets.filter(opened_by_id=membership.user_id)
    return tickets


def tickets_for_staff(*, user) -> QuerySet[Ticket]:
    """4.1: operator staff see every ticket; a partner's consultant only the methodological and
    individual tickets routed to their firm."""
    tickets = Ticket.objects.all()
    if user.is_superuser:
        return tickets
    if user.partner_firm_id is not None:
        return tickets.filter(
            partner_firm_id=user.partner_firm_id,
            kind__in=[SupportKind.METHODOLOGICAL, SupportKind.INDIVIDUAL],
        )
    return tickets


def articles_search(*, query: str, limit: int = 10, any_word: bool = False) -> list[Article]:
    """4.3, issue 14: search of the published help articles in Russian word forms («тонкий
    клиент» finds «…в тонком клиенте»), one code for PostgreSQL and the embedded SQLite: the
    query's Snowball stems against the articles' `ArticleTerm` rows (support/search.py).

    By default every word must occur (title or text); with `any_word` (the ticket form's
    suggestions) one is enough. Ranking: more of the query's words found first, then more of
    them in the title (a title hit outranks any number of text hits), then title and text
    occurrences, then the title's alphabet. Two queries.
    """
    articles = Article.objects.filter(is_published=True)
    if not query.strip():
        return list(articles.order_by("-updated_at", "title")[:limit])
    wanted = query_stems(query)
    if not wanted:
        return []
    title, body = Q(field=TermField.TITLE), Q(field=TermField.BODY)
    ranked = (
        ArticleTerm.objects.filter(stem__in=wanted, article__is_published=True)
        .values("article_id", "article__title")
        .annotate(
            found=Count("stem", distinct=True),
            in_title=Count("stem", distinct=True, filter=title),
            title_hits=Coalesce(Sum("hits", filter=title), 0),
            body_hits=Coalesce(Sum("hits", filter=body), 0),
        )
        .order_by("-found", "-in_title", "-title_hits", "-body_hits", "article__title")
    )
    if not any_word:
        ranked = ranked.filter(found=len(wanted))
    order = [row["article_id"] for row in ranked[:limit]]
    found = articles.in_bulk(order)
    return [found[pk] for pk in order if pk in found]


@dataclass
class SlaReportRow:
    category: str
    partner: str = ""
    assignee: str = ""
    tickets: int = 0
    reacted_in_time: int = 0
    breached: int = 0
    median_reaction: datetime.timedelta | None = None
    p90_reaction: datetime.timedelta | None = None

    @property
    def label(self):
        return Category(self.category).label

    @property
    def percent_in_time(self) -> int | None:
        return round(100 * self.reacted_in_time / self.tickets) if self.tickets else None

    @property
    def median_text(self) -> str:
        return format_business_time(self.median_reaction)

    @property
    def p90_text(self) -> str:
        return format_business_time(self.p90_reaction)


def _p90(values: list[datetime.timedelta]) -> datetime.timedelta:
    if len(values) == 1:
        return values[0]
    seconds = statistics.quantiles(
        [value.total_seconds() for value in values], n=10, method="inclusive"
    )[-1]
    return datetime.timedelta(seconds=seconds)


def sla_report(*, month: datetime.date, tickets: QuerySet | None = None) -> list[SlaReportRow]:
    """Per category, partner firm and assignee for the tickets opened in the month: how many, how
    many got a reaction in time, how many breached, the median and 90th percentile reaction in
    business hours of the category's calendar (support.sla.business_time). One query."""

    start, end = month_bounds(month)
    rows: dict[tuple, SlaReportRow] = {}
    durations: dict[tuple, list[datetime.timedelta]] = {}
    tickets = (tickets if tickets is not None else Ticket.objects.all()).filter(
        opened_at__gte=start, opened_at__lt=end
    )
    tickets = tickets.order_by().values_list(
        "category",
        "partner_firm__name",
        "assignee__email",
        "opened_at",
        "reacted_at",
        "reaction_due_at",
        "breached_at",
    )
    for category, partner, assignee, opened_at, reacted_at, due_at, breached_at in tickets:
        key = (category, partner or "", assignee or "")
        row = rows.get(key)
        if row is None:
            row = rows[key] = SlaReportRow(category, partner or "", assignee or "")
            durations[key] = []
        row.tickets += 1
        if reacted_at is not None:
            durations[key].append(business_time(category, opened_at, reacted_at))
            if reacted_at <= due_at:
                row.reacted_in_time += 1
        if breached_at is not None or (reacted_at is not None and reacted_at > due_at):
            row.breached += 1
    for key, values in durations.items():
        if values:
            rows[key].median_reaction = statistics.median(values)
            rows[key].p90_reaction = _p90(values)
    order = {value: index for index, value in enumerate(Category.values)}
    return sorted(rows.values(), key=lambda r: (order.get(r.category, 99), r.partner, r.assignee))


def sla_report_columns() -> list[str]:
    return [
        _("Category"),
        _("Partner firm"),
        _("Assignee"),
        _("Tickets"),
        _("Reacted in time, %"),
        _("Breached"),
        _("Median reaction (business hours)"),
        _("90th percentile reaction (business hours)"),
    ]


def sla_report_values(row: SlaReportRow) -> list:
    return [
        str(row.label),
        row.partner,
        row.assignee,
        row.tickets,
        row.percent_in_time,
        row.breached,
        row.median_text,
        row.p90_text,
    ]


def subscriber_for_email(email: str) -> tuple[Subscriber | None, object | None]:
    """Who writes from this address (email, 1C-Connect): a member's earliest subscriber and the
    member, or the subscriber whose responsible person it is (no portal user then)."""
    if not email:
        return None, None
    membership = (
        Membership.objects.select_related("subscriber", "user")
        .filter(user__email__iexact=email, user__is_active=True)
        .order_by("created_at")
        .first()
    )
    if membership is not None:
        return membership.subscriber, membership.user
    return Subscriber.objects.filter(responsible_email__iexact=email).first(), None

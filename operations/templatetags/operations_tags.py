from datetime import timedelta

from django import template
from django.db.models import Q
from django.utils import timezone

from ..models import TechnicalWork

register = template.Library()

# 6.2: the panel shows works from their announcement (at least 48 h ahead) until they end.
BANNER_AHEAD = timedelta(days=7)


@register.inclusion_tag("operations/works_banner.html", takes_context=True)
def works_banner(context):
    """Works affecting the member's subscriber that are under way or coming within a week."""
    membership = context.get("membership")
    if membership is None:
        return {"works": []}
    now = timezone.now()
    works = (
        TechnicalWork.objects.filter(cancelled_at__isnull=True, starts_at__lt=now + BANNER_AHEAD)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .filter(
            Q(affects_all=True)
            | Q(subscribers=membership.subscriber_id)
            | Q(
                solutions__infobases__subscriber=membership.subscriber_id,
                solutions__infobases__deleted_at__isnull=True,
            )
        )
        .distinct()
        .order_by("starts_at")[:3]
    )
    return {"works": list(works), "now": now}


@register.filter
def hours_minutes(value: timedelta | None) -> str:
    """A duration as "H:MM" (hours may exceed 24: a month's total)."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds()) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"

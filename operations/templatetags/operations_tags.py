from datetime import timedelta

from django import template
from django.utils import timezone

from ..banner import works_for_banner

register = template.Library()


@register.inclusion_tag("operations/works_banner.html", takes_context=True)
def works_banner(context):
    """Works affecting the member's subscriber that are under way or coming within a week."""
    membership = context.get("membership")
    if membership is None:
        return {"works": []}
    now = timezone.now()
    return {"works": works_for_banner(subscriber_id=membership.subscriber_id, now=now), "now": now}


@register.filter
def hours_minutes(value: timedelta | None) -> str:
    """A duration as "H:MM" (hours may exceed 24: a month's total)."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds()) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"

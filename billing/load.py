"""Synthetic billing data for benchmarks: a subscription for each new subscriber, bulk inserted."""

import random

from django.db import transaction
from django.utils import timezone

from .demo import TARIFFS
from .models import Subscription, Tariff


@transaction.atomic
def generate(*, subscriber_ids, seed) -> str:
    rng = random.Random(seed)
    for spec in TARIFFS:
        Tariff.objects.get_or_create(code=spec["code"], defaults=spec)
    tariffs = list(Tariff.objects.filter(code__in=[t["code"] for t in TARIFFS]))
    now = timezone.now()
    Subscription.objects.bulk_create(
        [
            Subscription(
                subscriber_id=pk,
                tariff=rng.choice(tariffs),
                started_at=now,
                billable_from=timezone.localdate(now).replace(day=1),
            )
            for pk in subscriber_ids
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return f"{len(subscriber_ids)} subscriptions"

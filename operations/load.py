"""Synthetic downtime records at scale: incidents over the last three months (bulk inserts)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Component, Fault, Incident

INCIDENTS_PER_1000 = 20


@transaction.atomic
def generate(*, subscriber_ids, seed: int = 1, incidents: int | None = None, within=None) -> str:
    """Incidents of all levels and faults; one in four affects everyone, the others a selection.

    `within`: a (start, end) window for the incidents; by default the last 90 days.
    """
    rng = random.Random(seed)
    ids = list(subscriber_ids)
    count = incidents if incidents is not None else max(1, len(ids) * INCIDENTS_PER_1000 // 1000)
    now = timezone.now()
    low, high = within or (now - timedelta(days=90), now - timedelta(days=1))
    span = (high - low).total_seconds()
    rows, links = [], []
    for index in range(count):
        start = low + timedelta(seconds=rng.uniform(0, span))
        rows.append(
            Incident(
                title=f"Нагрузка: инцидент {index + 1}",
                level=rng.choice((1, 1, 2, 3)),
                fault=rng.choice([Fault.OPERATOR] * 4 + list(Fault.values)),
                components=rng.sample(Component.values, rng.randint(1, 2)),
                affects_all=index % 4 == 0,
                starts_at=start,
                ends_at=start + timedelta(minutes=rng.randint(5, 600)),
                created_at=now,
            )
        )
    Incident.objects.bulk_create(rows, batch_size=1000)
    through = Incident.subscribers.through
    for incident in rows:
        if not incident.affects_all and ids:
            for sid in rng.sample(ids, min(len(ids), rng.randint(1, 200))):
                links.append(through(incident_id=incident.pk, subscriber_id=sid))
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    return f"{len(rows)} incidents, {len(links)} subscriber links"

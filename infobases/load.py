"""Synthetic infobases and backups for benchmarks: bulk inserts only, no driver calls."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from .models import Backup, BackupKind, BackupStatus, Infobase, InfobaseStatus, Solution


def _solution() -> Solution:
    solution, _created = Solution.objects.get_or_create(
        code="load-bk-kz",
        defaults={
            "name": "Бухгалтерия для Казахстана (нагрузка)",
            "template": "/srv/1c/bk.cf",
            "is_published": False,
        },
    )
    return solution


@transaction.atomic
def generate(
    *, subscriber_ids, seed: int, infobases_per_subscriber: int = 2, backups_per_infobase: int = 5
) -> str:
    rng = random.Random(seed)
    solution = _solution()
    now = timezone.now()
    infobases = Infobase.objects.bulk_create(
        [
            Infobase(
                subscriber_id=sub,
                solution=solution,
                name=f"База {n + 1}",
                ref=f"load_{sub}_{n}_{seed}",
                status=InfobaseStatus.READY,
                size_bytes=rng.randint(50, 5000) * 1024 * 1024,
                created_at=now,
            )
            for sub in subscriber_ids
            for n in range(infobases_per_subscriber)
        ],
        batch_size=5000,
    )
    backups = [
        Backup(
            subscriber_id=ib.subscriber_id,
            infobase=ib,
            kind=BackupKind.DAILY,
            status=BackupStatus.DONE,
            scheduled_for=(now - datetime.timedelta(days=day * 3)).date(),
            file=f"backups/{ib.subscriber_id}/{ib.ref}/{day}.dt",
            size_bytes=ib.size_bytes // 4,
            created_at=now - datetime.timedelta(days=day * 3, minutes=rng.randint(0, 50)),
            completed_at=now - datetime.timedelta(days=day * 3),
        )
        for ib in infobases
        for day in range(backups_per_infobase)
    ]
    Backup.objects.bulk_create(backups, batch_size=5000)
    return f"{len(infobases)} infobases, {len(backups)} backups"

"""Synthetic subscribers at scale for benchmarks: bulk inserts, valid ИИН/БИН, no per-row queries."""

import itertools
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from .models import LegalForm, MemberRole, Membership, Subscriber, SubscriberStatus, User
from .validators import with_control_digit

FIRST_NAMES = ["Айгерим", "Ерлан", "Ольга", "Данияр", "Гульнара", "Виктор", "Асель", "Нурлан"]
LAST_NAMES = ["Жумабеков", "Иванова", "Ахметов", "Ким", "Омарова", "Сейткали", "Ли", "Петров"]
ACTIVITIES = ["Оптовая торговля", "Розничная торговля", "Строительство", "Бухгалтерские услуги"]
CITIES = ["г. Алматы", "г. Астана", "г. Шымкент", "г. Караганда", "г. Актобе"]


def _numbers(prefix_fn, start: int):
    """Valid 12-digit numbers built from an 11-digit stem; stems without a control digit skipped."""
    for serial in itertools.count(start):
        number = with_control_digit(prefix_fn(serial))
        if number is not None:
            yield number


@transaction.atomic
def generate_subscribers(*, count: int, seed: int = 1, batch_size: int = 2000) -> list[int]:
    """Create `count` subscribers, each with an owner; return their ids."""
    rng = random.Random(seed)
    run = timezone.now().strftime("%y%m%d%H%M%S%f")
    start = Subscriber.objects.count() + 1
    bins = _numbers(lambda s: f"24014{s:06d}", start)
    # Birth year varies with the serial so a million numbers stay unique.
    iins = _numbers(
        lambda s: f"{50 + (s // 20000) % 50:02d}0101{3 + (s // 10000) % 2}{s % 10000:04d}", start
    )
    password = make_password("load-test-password")
    now = timezone.now()
    subscribers, users = [], []
    used_iins: set[str] = set(Subscriber.objects.exclude(iin="").values_list("iin", flat=True))
    for index in range(count):
        form = (LegalForm.LEGAL_ENTITY, LegalForm.ENTREPRENEUR, LegalForm.INDIVIDUAL)[index % 3]
        person = f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)}"
        email = f"load-{run}-{index}@example.kz"
        row = Subscriber(
            legal_form=form,
            main_activity=rng.choice(ACTIVITIES),
            person_full_name=person,
            address=f"{rng.choice(CITIES)}, ул. Абая, {rng.randint(1, 300)}",
            responsible_full_name=person,
            responsible_email=email,
            responsible_phone=f"+7701{rng.randint(1000000, 9999999)}",
            status=SubscriberStatus.ACTIVE,
            created_at=now,
            status_changed_at=now,
        )
        if form == LegalForm.LEGAL_ENTITY:
            row.name = f"ТОО «Нагрузка {start + index}»"
            row.bin = next(bins)
        else:
            row.iin = next(iins)
            while row.iin in used_iins:
                row.iin = next(iins)
            used_iins.add(row.iin)
            if form == LegalForm.ENTREPRENEUR:
                row.name = f"ИП «{person}»"
        subscribers.append(row)
        users.append(User(email=email, password=password, full_name=person, date_joined=now))
    Subscriber.objects.bulk_create(subscribers, batch_size=batch_size)
    User.objects.bulk_create(users, batch_size=batch_size)
    Membership.objects.bulk_create(
        [
            Membership(subscriber=s, user=u, role=MemberRole.OWNER, created_at=now)
            for s, u in zip(subscribers, users, strict=True)
        ],
        batch_size=batch_size,
    )
    return [s.pk for s in subscribers]

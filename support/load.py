"""Synthetic tickets at scale (benchmarks): bulk inserts with their deadlines computed."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from . import sla
from .models import (
    Category,
    Channel,
    MessageAuthor,
    Ticket,
    TicketMessage,
    TicketStatus,
    kind_of_category,
)

SUBJECTS = ["Не открывается база", "Ошибка при проведении", "Нет доступа", "Вопрос по отчёту"]
TECHNICAL = [Category.ACCESS, Category.INCIDENT_2, Category.INCIDENT_3, Category.TECHNICAL]


@transaction.atomic
def generate_tickets(
    *,
    subscriber_ids,
    count: int,
    seed: int = 1,
    now=None,
    spread_hours: int = 72,
    batch_size: int = 5000,
) -> list[int]:
    """`count` open, unanswered tickets opened within `spread_hours` before `now`."""
    rng = random.Random(seed)
    now = now or timezone.now()
    tickets = []
    for _ in range(count):
        category = rng.choice(TECHNICAL)
        opened_at = now - datetime.timedelta(seconds=rng.randint(0, spread_hours * 3600))
        tickets.append(
            Ticket(
                subscriber_id=rng.choice(subscriber_ids),
                channel=rng.choice(Channel.values),
                category=category,
                kind=kind_of_category(category),
                subject=rng.choice(SUBJECTS),
                status=TicketStatus.NEW,
                sender_name="Нагрузка",
                opened_at=opened_at,
                updated_at=opened_at,
                reaction_due_at=sla.reaction_due_at(category, opened_at),
                warning_at=sla.warning_at(category, opened_at),
            )
        )
    Ticket.objects.bulk_create(tickets, batch_size=batch_size)
    TicketMessage.objects.bulk_create(
        (
            TicketMessage(
                ticket=t,
                author_side=MessageAuthor.SUBSCRIBER,
                channel=t.channel,
                body="Синтетическое обращение.",
                created_at=t.opened_at,
            )
            for t in tickets
        ),
        batch_size=batch_size,
    )
    return [t.pk for t in tickets]


def generate(*, subscriber_ids, seed: int = 1) -> str:
    if not subscriber_ids:
        return "no tickets"
    ids = generate_tickets(subscriber_ids=subscriber_ids, count=2 * len(subscriber_ids), seed=seed)
    return f"{len(ids)} open tickets"

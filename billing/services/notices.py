"""Billing emails: each is a BillingNotice row (unique per subscriber, kind and key), so a pass
that runs twice never mails twice. The pass also writes an outbox row per batch of notices in
its own transaction; the dispatcher renders their emails into the outbox and stamps `sent_at`
in one transaction (outbox kind "billing.notices"), so no notice is lost or mailed twice."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from billing.models import BillingNotice, Invoice
from billing.selectors import debt_for
from onebuh.emails import send_templated_email
from outbox.email import emails_batched
from outbox.services import outbox_enqueue_many

NOTICE_BATCH = 500
NOTICES_KIND = "billing.notices"


def notices_create(
    *, kind: str, items: Iterable[tuple[int, str, dict]], already_sent: bool = False
) -> list[int]:
    """Create the notices not created before and send them after commit. Items are
    (subscriber_id, key, context). With already_sent, only mark them (another email covered it)."""
    items = list(items)
    if not items:
        return []
    existing = set(
        BillingNotice.objects.filter(
            kind=kind,
            subscriber_id__in={sid for sid, _key, _ctx in items},
            key__in={key for _sid, key, _ctx in items},
        ).values_list("subscriber_id", "key")
    )
    now = timezone.now()
    fresh, seen = [], set()
    for subscriber_id, key, context in items:
        if (subscriber_id, key) in existing or (subscriber_id, key) in seen:
            continue
        seen.add((subscriber_id, key))
        fresh.append(
            BillingNotice(
                subscriber_id=subscriber_id,
                kind=kind,
                key=key,
                context=context,
                created_at=now,
                sent_at=now if already_sent else None,
            )
        )
    BillingNotice.objects.bulk_create(fresh, batch_size=2000)
    ids = [notice.pk for notice in fresh]
    if ids and not already_sent:
        # Batches, so a monthly run's ten thousand emails spread over the workers.
        outbox_enqueue_many(
            {"kind": NOTICES_KIND, "payload": {"notice_ids": ids[start : start + NOTICE_BATCH]}}
            for start in range(0, len(ids), NOTICE_BATCH)
        )
    return ids


@transaction.atomic
def notices_deliver(*, notice_ids: list[int]) -> int:
    """Owe the emails of the notices not sent yet and stamp them, in one transaction: the
    emails are outbox rows, so the stamp and the owed email commit together. The row lock
    (SKIP LOCKED) keeps two runs from rendering the same notice."""
    claimed = list(
        BillingNotice.objects.select_for_update(skip_locked=True)
        .filter(pk__in=notice_ids, sent_at__isnull=True)
        .values_list("pk", flat=True)
    )
    BillingNotice.objects.filter(pk__in=claimed).update(sent_at=timezone.now())
    notices = BillingNotice.objects.filter(pk__in=claimed).select_related("subscriber")
    invoices = Invoice.objects.in_bulk(
        [n.context["invoice"] for n in notices if "invoice" in n.context]
    )
    sent = 0
    with emails_batched():
        for notice in notices:
            context = {
                "subscriber": notice.subscriber,
                "notice": notice,
                "invoice": invoices.get(notice.context.get("invoice")),
                "debt": debt_for(subscriber=notice.subscriber),
                "purge_on": notice.context.get("purge_on"),
                "days": notice.context.get("days"),
                "billing_url": settings.SITE_URL + reverse("billing:index"),
                "backups_url": settings.SITE_URL + reverse("infobases:backups"),
            }
            if context["purge_on"]:
                context["purge_on"] = datetime.date.fromisoformat(context["purge_on"])
            send_templated_email(
                template=f"billing-{notice.kind.replace('_', '-')}",
                to=[notice.subscriber.responsible_email],
                context=context,
            )
            sent += 1
    return sent

"""Emails about works and incidents: who gets them, the .ics attachment, the sending loops.

Run by the outbox dispatcher (kinds in operations/outbox_handlers.py), each once, in the
transaction that marks its outbox row sent: every recipient's email is an outbox row of its own
(one per recipient), written in batches, so a crash never mails a recipient twice over.
Recipients are loaded in chunks with a fixed number of queries per chunk, so a work affecting
every subscriber does not query per subscriber.
"""

from collections.abc import Iterator

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event

from onebuh.emails import send_templated_email
from subscribers.models import MemberRole, Membership, Subscriber, SubscriberStatus
from support.hooks import ticket_answer_by_staff

from .models import (
    CompensationClaim,
    Incident,
    IncidentEvent,
    StatusSubscription,
    TechnicalWork,
    WorkEvent,
)
from .selectors import work_subscriber_links

CHUNK = 500
SERVED = (SubscriberStatus.ACTIVE, SubscriberStatus.SUSPENDED)


def work_ics(work: TechnicalWork, *, cancelled: bool = False) -> bytes:
    """An iCalendar event for the work; its UID stays, SEQUENCE grows with each change."""
    calendar = Calendar()
    calendar.add("prodid", "-//ONEbuh//Technical works//RU")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"technical-work-{work.pk}@1b.kz")
    event.add("sequence", work.revision)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", work.starts_at)
    if work.ends_at is not None:
        event.add("dtend", work.ends_at)
    event.add("summary", f"ONEbuh: {work.title}")
    event.add("description", work.description or work.title)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("url", settings.SITE_URL + reverse("operations_public:index"))
    calendar.add_component(event)
    return calendar.to_ical()


def subscriber_recipients(subscriber_ids=None) -> Iterator[tuple[Subscriber, list[str]]]:
    """Each served subscriber with its responsible person's and managers' emails.

    `subscriber_ids` None means every served subscriber (a work that affects all).
    """
    subscribers = Subscriber.objects.filter(status__in=SERVED).order_by("pk")
    if subscriber_ids is not None:
        subscribers = subscribers.filter(pk__in=list(subscriber_ids))
    last_pk = 0
    while True:
        chunk = list(subscribers.filter(pk__gt=last_pk)[:CHUNK])
        if not chunk:
            return
        last_pk = chunk[-1].pk
        managers: dict[int, list[str]] = {}
        for sid, email in Membership.objects.filter(
            subscriber_id__in=[s.pk for s in chunk], role__in=(MemberRole.OWNER, MemberRole.ADMIN)
        ).values_list("subscriber_id", "user__email"):
            managers.setdefault(sid, []).append(email)
        for subscriber in chunk:
            emails = [subscriber.responsible_email, *managers.get(subscriber.pk, [])]
            yield subscriber, sorted({e.lower() for e in emails if e})


def work_send_notices(*, work_id: int, event: WorkEvent) -> int:
    """6.2: notify the work's affected subscribers (announced, rescheduled, reminder, cancelled)."""
    work = TechnicalWork.objects.filter(pk=work_id).first()
    if work is None:
        return 0
    event = WorkEvent(event)
    cancelled = event == WorkEvent.CANCELLED
    if not cancelled and work.cancelled_at is not None:
        return 0  # Cancelled meanwhile: the cancellation notice says it all.
    ics = work_ics(work, cancelled=cancelled)
    ids = None if work.affects_all else work_subscriber_links([work.pk]).get(work.pk, [])
    sent = 0
    for subscriber, emails in subscriber_recipients(ids):
        send_templated_email(
            template="operations-work",
            to=emails,
            context={"work": work, "event": event, "subscriber": subscriber},
            attachments=[("onebuh-works.ics", ics, "text/calendar")],
        )
        sent += 1
    if event != WorkEvent.REMINDER:  # the status page's followers get no reminders
        sent += status_send_update(work=work, event=f"work_{event}")
    return sent


def incident_send_notices(*, incident_id: int, event: IncidentEvent) -> int:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        return 0
    return status_send_update(incident=incident, event=f"incident_{IncidentEvent(event)}")


def status_send_update(*, event: str, incident=None, work=None) -> int:
    """Tell the status page's confirmed followers; each email has its own unsubscribe link."""
    sent = 0
    followers = StatusSubscription.objects.filter(confirmed_at__isnull=False).order_by("pk")
    for follower in followers.iterator(chunk_size=CHUNK):
        send_templated_email(
            template="operations-status-update",
            to=[follower.email],
            context={
                "event": event,
                "incident": incident,
                "work": work,
                "unsubscribe_url": settings.SITE_URL
                + reverse("operations_public:unsubscribe", args=[follower.token]),
            },
        )
        sent += 1
    return sent


def claim_send_decision(*, claim_id: int) -> int:
    """Answer the claim's ticket with the decision (9.1: claims go through the ticket system);
    the support desk emails it. Without a staff author, email the subscriber directly."""
    claim = (
        CompensationClaim.objects.select_related("subscriber", "opened_by", "decided_by", "ticket")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        return 0
    context = {
        "claim": claim,
        "credit": getattr(claim, "credit", None),
        "subscriber": claim.subscriber,
        "site_url": settings.SITE_URL,
    }
    if claim.decided_by is not None and claim.decided_by.is_staff:
        with translation.override(settings.LANGUAGE_CODE):
            text = render_to_string("emails/operations-claim-decided-body.txt", context)
        ticket_answer_by_staff(ticket=claim.ticket, author=claim.decided_by, text=text.strip())
        return 1
    emails = {claim.subscriber.responsible_email.lower()}
    if claim.opened_by is not None:
        emails.add(claim.opened_by.email.lower())
    send_templated_email(template="operations-claim-decided", to=sorted(emails), context=context)
    return 1

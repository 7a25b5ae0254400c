"""7: informing subscribers about a new release of a solution they use."""

from collections import defaultdict

from onebuh.emails import send_templated_email
from subscribers.models import Subscriber

from .models import Infobase, InfobaseStatus, Release, ScheduledUpdate


def release_notify(*, release_id: int, subscriber_ids: list[int]) -> int:
    """One email per subscriber to its responsible person; three queries whatever the count."""
    release = Release.objects.select_related("solution").get(pk=release_id)
    subscribers = Subscriber.objects.in_bulk(subscriber_ids)
    infobases = defaultdict(list)
    for infobase in Infobase.objects.filter(
        subscriber_id__in=subscriber_ids, solution_id=release.solution_id
    ).exclude(status__in=[InfobaseStatus.DELETING, InfobaseStatus.DELETED]):
        infobases[infobase.subscriber_id].append(infobase)
    scheduled = {
        update.infobase_id: update
        for update in ScheduledUpdate.objects.filter(
            release=release, infobase__subscriber_id__in=subscriber_ids
        )
    }
    sent = 0
    for pk, subscriber in subscribers.items():
        rows = [(ib, scheduled.get(ib.pk)) for ib in infobases.get(pk, [])]
        if not rows:
            continue
        send_templated_email(
            template="infobases-release",
            to=[subscriber.responsible_email],
            context={"subscriber": subscriber, "release": release, "rows": rows},
        )
        sent += 1
    return sent

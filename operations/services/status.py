"""Following the public status page by email: double opt-in and one-click unsubscribe."""

from django.db import transaction
from django.utils import timezone

from onebuh.emails import send_templated_email

from ..models import StatusSubscription


@transaction.atomic
def status_subscribe(*, email: str) -> StatusSubscription:
    """Send a confirmation link; nothing is sent to the address before it is confirmed.

    Asking again for a confirmed address changes nothing and sends nothing (no mail bombing).
    """
    email = email.strip().lower()
    subscription, _created = StatusSubscription.objects.get_or_create(email=email)
    if subscription.confirmed_at is None:
        transaction.on_commit(
            lambda: send_templated_email(
                template="operations-status-confirm",
                to=[email],
                context={"subscription": subscription},
            )
        )
    return subscription


def status_confirm(*, token: str) -> StatusSubscription | None:
    subscription = StatusSubscription.objects.filter(token=token).first()
    if subscription is not None and subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def status_unsubscribe(*, token: str) -> bool:
    deleted, _detail = StatusSubscription.objects.filter(token=token).delete()
    return bool(deleted)

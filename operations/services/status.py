"""Following the public status page by email: double opt-in and one-click unsubscribe."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from onebuh.emails import send_templated_email

from ..models import StatusSubscription

CONFIRMATION_RESEND_AFTER = timedelta(hours=1)


@transaction.atomic
def status_subscribe(*, email: str) -> StatusSubscription:
    """Send a confirmation link; nothing else is sent to the address before it is confirmed.

    Asking again for a confirmed address sends nothing, and an unconfirmed one gets at most one
    confirmation an hour, so the form cannot be used to flood someone's mailbox.
    """
    email = email.strip().lower()
    now = timezone.now()
    subscription, created = StatusSubscription.objects.get_or_create(email=email)
    if not created:
        # Conditional UPDATE: of two requests racing, only one resends.
        created = bool(
            StatusSubscription.objects.filter(
                pk=subscription.pk,
                confirmed_at__isnull=True,
                created_at__lte=now - CONFIRMATION_RESEND_AFTER,
            ).update(created_at=now)
        )
    if created:
        send_templated_email(
            template="operations-status-confirm",
            to=[email],
            context={"subscription": subscription},
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

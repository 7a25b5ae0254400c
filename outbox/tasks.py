"""The dispatcher and the delivery of one chunk (see outbox/dispatcher.py)."""

from celery import shared_task

from .dispatcher import outbox_deliver, outbox_dispatch


@shared_task(name="outbox.dispatch", ignore_result=True, soft_time_limit=240, time_limit=300)
def outbox_dispatch_task() -> dict:
    return outbox_dispatch()


@shared_task(name="outbox.deliver", ignore_result=True, soft_time_limit=600, time_limit=660)
def outbox_deliver_task(token: str) -> dict:
    return outbox_deliver(token=token)

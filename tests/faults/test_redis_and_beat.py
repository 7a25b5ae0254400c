"""A payment webhook while Redis is down is answered 200 and its unblocking is done once Redis
is back; two beats started at once send each periodic task once, and the second takes over
when the first dies."""

import datetime
import json
import subprocess
import time
import urllib.request
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Count
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from billing.services import billing_run, subscribers_suspend_overdue
from infobases.models import Infobase, Operation, OperationStatus
from infobases.provisioning.local import LocalDriver
from onebuh.webhooks import sign
from outbox.dispatcher import outbox_dispatch
from subscribers.models import SubscriberStatus
from tests.billing.factories import SubscriptionFactory, TariffFactory
from tests.infobases.factories import InfobaseFactory

from .harness import BIN, ROOT, free_port, manage, wait_for

pytestmark = pytest.mark.faults

SECRET = "faults-webhook-secret-0123456789"


def _post(url: str, body: bytes) -> tuple[int, dict]:
    stamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Onebuh-Timestamp": stamp,
            "X-Signature": sign(body=body, secret=SECRET, timestamp=stamp),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, {"body": error.read()[:500].decode(errors="replace")}


def test_payment_webhook_while_redis_is_down_unblocks_once_it_is_back(rig, settings):
    driver = LocalDriver()
    subscription = SubscriptionFactory(
        tariff=TariffFactory(monthly_fee=Decimal("30000.00")),
        billable_from=datetime.date(2026, 11, 1),
    )
    subscriber = subscription.subscriber
    for _ in range(2):
        infobase = InfobaseFactory(subscriber=subscriber)
        driver.create(ref=infobase.ref, template="", restore_from=None)
        driver.publish(ref=infobase.ref)
    tz = timezone.get_current_timezone()
    with time_machine.travel(datetime.datetime(2026, 11, 1, 9, tzinfo=tz), tick=False):
        billing_run()
    with time_machine.travel(datetime.datetime(2026, 11, 12, 1, tzinfo=tz), tick=False):
        subscribers_suspend_overdue()
    settings.CELERY_TASK_ALWAYS_EAGER = True
    outbox_dispatch()  # the blocks run here (this process, eager)
    refs = list(Infobase.objects.filter(subscriber=subscriber).values_list("ref", flat=True))
    assert all(driver.meta(ref)["blocked"] for ref in refs)

    rig.redis.stop()  # Redis (cache and broker) is down from here on
    port = free_port()
    log = rig.logs / "gunicorn.log"
    env = rig.env(ONEBUH_PAYMENT_WEBHOOK_SECRET=SECRET, DJANGO_ALLOWED_HOSTS="127.0.0.1")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", "1", "onebuh.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    try:

        def healthy():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    return True
            except OSError:
                return False

        wait_for(healthy, timeout=60, what="gunicorn to answer")
        body = json.dumps(
            {"payment_id": "pay-redis-down-1", "account": subscriber.pk, "amount": "30000.00"}
        ).encode()
        status, answer = _post(f"http://127.0.0.1:{port}/webhooks/payments/", body)
        subscriber.refresh_from_db()
        queued = dict(
            Operation.objects.filter(kind="unblock")
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        before = {
            "webhook": status,
            "answer": answer,
            "state": subscriber.status,
            "unblock": queued,
        }
        assert status == 200, (answer, log.read_text()[-3000:])
        assert subscriber.status == SubscriberStatus.ACTIVE and queued == {"queued": 2}
        status_again, answer_again = _post(f"http://127.0.0.1:{port}/webhooks/payments/", body)
        assert status_again == 200 and answer_again["status"] == "duplicate"
    finally:
        server.terminate()
        server.wait(timeout=30)

    rig.redis.start()  # Redis is back
    rig.worker()
    manage(rig.env(), "outbox_dispatch")
    wait_for(
        lambda: Operation.objects.filter(kind="unblock", status=OperationStatus.DONE).count() == 2,
        timeout=120,
        what="the unblock operations",
    )
    after = {
        "unblock": dict(
            Operation.objects.filter(kind="unblock")
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "blocked_in_1c": sum(driver.meta(ref)["blocked"] for ref in refs),
    }
    rig.record("payment_while_redis_down", before=before, after=after)
    assert after["blocked_in_1c"] == 0


def _beat(rig, name):
    log = rig.logs / f"{name}.log"
    process = subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "onebuh",
            "beat",
            "-l",
            "INFO",
            "--max-interval",
            "1",
            "-s",
            str(rig.logs / f"{name}.schedule"),
        ],
        cwd=ROOT,
        env=rig.env(),
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, log


def _sent(log) -> int:
    return log.read_text().count("Sending due task faults-tick")


def test_two_beats_send_each_periodic_task_once_and_the_second_takes_over(rig):
    every_second, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.create(name="faults-tick", task="faults.tick", interval=every_second)
    beats = [_beat(rig, "beat1"), _beat(rig, "beat2")]
    try:
        wait_for(
            lambda: sum(_sent(log) for _p, log in beats) >= 8,
            timeout=120,
            what="the ticks to be sent",
        )
        counts = [_sent(log) for _p, log in beats]
        holders = [i for i, count in enumerate(counts) if count]
        before = {"sent_by_beat": counts, "in_broker": rig.redis.queued().count("faults.tick")}
        assert len(holders) == 1, counts  # one beat sends; the other idles
        holder, _ = beats[holders[0]]
        other, other_log = beats[1 - holders[0]]
        import os
        import signal

        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait(timeout=20)
        taken_over_from = _sent(other_log)
        wait_for(
            lambda: _sent(other_log) >= taken_over_from + 3,
            timeout=60,
            what="the second beat to take over",
        )
        after = {"sent_by_second_after_kill": _sent(other_log)}
        rig.record("two_beats", before=before, after=after)
        assert "holds the scheduler lock" in other_log.read_text()
    finally:
        for process, _log in beats:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)

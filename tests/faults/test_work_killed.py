"""A backup killed mid-dump and a mailing killed mid-way: the lease runs out, the dispatcher
takes the work back, the .part file goes, every email goes out (a duplicate at most once, with
its Message-ID)."""

import collections
import os

import pytest
from django.db.models import Count

from infobases.models import Backup, BackupStatus, Operation, OperationKind, OperationStatus
from infobases.provisioning.local import LocalDriver
from onebuh.emails import send_templated_email
from outbox.models import OutboxMessage, OutboxState
from tests.factories import SubscriberFactory
from tests.infobases.factories import InfobaseFactory

from .harness import manage, sent_mail, wait_for

pytestmark = pytest.mark.faults


def test_backup_killed_mid_dump(rig):
    driver = LocalDriver()
    infobase = InfobaseFactory(subscriber=SubscriberFactory())
    driver.create(ref=infobase.ref, template="", restore_from=None)
    # 48 MB that does not compress: the dump takes long enough to be killed in the middle.
    (driver.base_dir(infobase.ref) / "data" / "big.bin").write_bytes(os.urandom(48 * 2**20))
    backup = Backup.objects.create(
        subscriber_id=infobase.subscriber_id, infobase=infobase, kind="on_demand"
    )
    op = Operation.objects.create(
        subscriber_id=infobase.subscriber_id,
        infobase=infobase,
        kind=OperationKind.BACKUP,
        params={"ref": infobase.ref, "backup_id": backup.pk},
    )
    folder = rig.data_dir / "backups" / str(infobase.subscriber_id) / infobase.ref
    first = rig.worker()
    manage(rig.env(), "outbox_dispatch")
    wait_for(lambda: list(folder.glob("*.part")), timeout=120, what="the dump to begin")
    first.kill()
    op.refresh_from_db()
    before = {
        "operation": op.status,
        "attempts": op.attempts,
        "part_files": [p.name for p in folder.glob("*.part")],
        "part_bytes": sum(p.stat().st_size for p in folder.glob("*.part")),
    }
    assert op.status == OperationStatus.RUNNING and before["part_files"]

    rig.worker()

    def reaped():
        manage(rig.env(), "outbox_dispatch")
        op.refresh_from_db()
        return op.status == OperationStatus.DONE

    wait_for(reaped, timeout=180, what="the reaper to re-queue and a worker to finish", every=2)
    backup.refresh_from_db()
    after = {
        "operation": op.status,
        "attempts": op.attempts,
        "backup": backup.status,
        "part_files": [p.name for p in folder.glob("*.part")],
        "dumps": [p.name for p in folder.glob("*.dt")],
    }
    rig.record("backup", before=before, after=after)
    assert backup.status == BackupStatus.DONE and op.attempts == 2
    assert after["part_files"] == [] and len(after["dumps"]) == 1


def test_mailing_killed_mid_way(rig):
    recipients = 400
    for n in range(recipients):
        send_templated_email(
            template="operations-status-confirm",
            to=[f"r{n}@example.kz"],
            context={"subscription": {"token": f"t{n}"}},
        )
    env = rig.env(EMAIL_BACKEND="tests.faults.backends.SlowFileBackend")
    first = rig.worker(EMAIL_BACKEND="tests.faults.backends.SlowFileBackend")
    manage(env, "outbox_dispatch")
    wait_for(lambda: len(sent_mail(rig.mail_dir)) >= 100, timeout=120, what="the mailing to start")
    first.kill()
    before = {
        "sent_files": len(sent_mail(rig.mail_dir)),
        "rows": dict(OutboxMessage.objects.values_list("state").annotate(n=Count("pk")).order_by()),
    }
    assert before["sent_files"] < recipients

    rig.worker(EMAIL_BACKEND="tests.faults.backends.SlowFileBackend")

    def all_sent():
        manage(env, "outbox_dispatch")
        return not OutboxMessage.objects.exclude(state=OutboxState.SENT).exists()

    wait_for(all_sent, timeout=240, what="every email to be sent", every=2)
    sent = collections.Counter(sent_mail(rig.mail_dir))
    owed = set(OutboxMessage.objects.values_list("message_id", flat=True))
    duplicates = sum(count - 1 for count in sent.values())
    after = {"distinct_sent": len(sent), "duplicates": duplicates, "owed": len(owed)}
    rig.record("mailing", recipients=recipients, before=before, after=after)
    assert set(sent) == owed and len(owed) == recipients
    assert max(sent.values()) <= 2  # at most one duplicate, with the same Message-ID

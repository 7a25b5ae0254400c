"""`make cluster-smoke`: every call of the cluster driver once, against a real development 1C
server, on a scratch infobase that is dropped at the end. Not part of `make test`."""

import datetime
import tempfile
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from infobases.provisioning.base import ProvisioningError
from infobases.provisioning.cluster import ClusterDriver


class Command(BaseCommand):
    help = "Smoke-test the cluster driver against a development 1C server (scratch infobase)."

    def add_arguments(self, parser):
        parser.add_argument("--template", required=True, help="a .cf on the 1C server")
        parser.add_argument("--ref", default="", help="the scratch infobase's name")
        parser.add_argument("--keep", action="store_true", help="do not drop the infobase")

    def handle(self, *args, template, ref, keep, **options):
        ref = ref or f"onebuh_smoke_{uuid.uuid4().hex[:8]}"
        driver = ClusterDriver()
        now = timezone.now()
        work = Path(tempfile.mkdtemp(prefix="onebuh-smoke-"))
        steps = [
            ("rac cluster list", lambda: driver.cluster_id()),
            (
                "create (rac infobase create, ibcmd config load/apply, agent)",
                lambda: driver.create(ref=ref, template=template),
            ),
            (
                "service account (rac infobase info)",
                lambda: driver.service_account_check(ref=ref) or "ok",
            ),
            ("publish (webinst, reload)", lambda: driver.publish(ref=ref)),
            (
                "user_set (agent)",
                lambda: driver.user_set(
                    ref=ref,
                    login="smoke@onebuh.kz",
                    full_name="Smoke",
                    role="user",
                    password=uuid.uuid4().hex,
                ),
            ),
            ("user_remove (agent)", lambda: driver.user_remove(ref=ref, login="smoke@onebuh.kz")),
            (
                "lock_set",
                lambda: driver.lock_set(
                    ref=ref,
                    starts=now + datetime.timedelta(days=1),
                    ends=None,
                    message="Smoke",
                    code="5m0ke",
                ),
            ),
            ("block", lambda: driver.block(ref=ref, message="Smoke block")),
            (
                "unblock keeps the lock",
                lambda: driver.unblock(ref=ref) or _expect(driver.layers(ref).lock, "ok"),
            ),
            ("lock_clear", lambda: driver.lock_clear(ref=ref)),
            ("sessions (rac session list)", lambda: len(driver.sessions(ref=ref))),
            (
                "licences (rac session list --licenses)",
                lambda: len(driver.session_licenses(ref=ref)),
            ),
            (
                "dump (ibcmd infobase dump under a deny)",
                lambda: driver.dump(ref=ref, path=work / "smoke.dt"),
            ),
            (
                "restore (ibcmd infobase restore)",
                lambda: driver.restore(ref=ref, path=work / "smoke.dt"),
            ),
            ("size (pg_database_size)", lambda: driver.size(ref=ref)),
            ("deny lifted", lambda: _expect(driver.layers(ref).job is None, "ok")),
        ]
        if not keep:
            steps.append(("drop", lambda: driver.drop(ref=ref)))
        failed = 0
        for name, step in steps:
            try:
                result = step()
            except (ProvisioningError, AssertionError) as error:
                failed += 1
                self.stdout.write(f"FAIL {name}: {error}")
                continue
            self.stdout.write(f"ok   {name}{'' if result is None else f': {result}'}")
        if failed:
            raise CommandError(f"{failed} step(s) failed on {ref}")


def _expect(condition, result):
    if not condition:
        raise AssertionError("unexpected state")
    return result

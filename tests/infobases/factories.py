import datetime
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from billing.models import Subscription, Tariff
from infobases.models import (
    Backup,
    BackupCopy,
    BackupKind,
    BackupStatus,
    BackupTarget,
    CopyStatus,
    Infobase,
    InfobaseAccess,
    InfobaseStatus,
    Release,
    Solution,
)
from tests.factories import SubscriberFactory

_refs = itertools.count(1)


class SolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Solution

    code = factory.Sequence(lambda n: f"solution-{n}")
    name = factory.Sequence(lambda n: f"Бухгалтерия для Казахстана {n}")
    template = "/srv/1c/templates/bk.cf"
    demo_template = ""


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    solution = factory.SubFactory(SolutionFactory)
    version = factory.Sequence(lambda n: f"3.0.{n}.1")
    released_on = datetime.date(2026, 10, 1)
    published_at = factory.LazyFunction(timezone.now)


class InfobaseFactory(factory.django.DjangoModelFactory):
    """A ready infobase row (no files: use the services for ones the driver knows)."""

    class Meta:
        model = Infobase

    subscriber = factory.SubFactory(SubscriberFactory)
    solution = factory.SubFactory(SolutionFactory)
    name = factory.Sequence(lambda n: f"Учёт {n}")
    ref = factory.LazyFunction(lambda: f"tst_{next(_refs)}")
    status = InfobaseStatus.READY


class AccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InfobaseAccess

    infobase = factory.SubFactory(InfobaseFactory)
    membership = None
    role = "user"
    login = factory.LazyAttribute(lambda o: o.membership.user.email)


class BackupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Backup

    infobase = factory.SubFactory(InfobaseFactory)
    subscriber = factory.LazyAttribute(lambda o: o.infobase.subscriber)
    kind = BackupKind.DAILY
    status = BackupStatus.DONE
    file = factory.Sequence(lambda n: f"backups/test/{n}.dt")
    size_bytes = 1024
    created_at = factory.LazyFunction(timezone.now)
    completed_at = factory.LazyAttribute(lambda o: o.created_at)


def backup_target_of(subscriber, bucket: str = "own-copies") -> BackupTarget:
    """A storage of the subscriber's own (never reached: its keys are placeholders)."""
    return BackupTarget.objects.create(
        subscriber=subscriber,
        endpoint_url="https://s3.example.kz",
        bucket=bucket,
        access_key_sealed="x",
        secret_key_sealed="x",
    )


def failed_copy_of(subscriber) -> BackupCopy:
    """A failed copy of one of the subscriber's backups to its own storage."""
    backup = BackupFactory(infobase=InfobaseFactory(subscriber=subscriber))
    return BackupCopy.objects.create(
        backup=backup, target=backup_target_of(subscriber), status=CopyStatus.FAILED
    )


def give_tariff(subscriber, *, max_infobases=3, max_users=3, backup_retention_days=7) -> Tariff:
    tariff = Tariff.objects.create(
        code=f"t-{subscriber.pk}-{max_infobases}-{max_users}-{backup_retention_days}",
        name="Тест",
        monthly_fee=Decimal("9900.00"),
        max_users=max_users,
        max_infobases=max_infobases,
        backup_retention_days=backup_retention_days,
        methodological_quota=5,
        individual_quota=1,
    )
    Subscription.objects.update_or_create(subscriber=subscriber, defaults={"tariff": tariff})
    return tariff

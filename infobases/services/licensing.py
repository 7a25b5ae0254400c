"""2.2–2.3: licence events recorded as access changes, renewals, registration numbers."""

import csv
import datetime
import io
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onebuh.dates import month_start
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.models import Subscriber, SubscriberStatus

from ..models import (
    InfobaseAccess,
    LicenceEvent,
    LicenceEventKind,
    RegistrationNumber,
    Solution,
)
from .common import LIVE_STATUSES


def _live_pairs(membership_ids: Iterable[int]) -> set[tuple[int, int]]:
    return set(
        InfobaseAccess.objects.filter(
            membership_id__in=list(membership_ids), infobase__status__in=LIVE_STATUSES
        ).values_list("membership_id", "infobase__solution_id")
    )


def licence_record_registration(*, access: InfobaseAccess) -> LicenceEvent | None:
    """2.2: the member's right to the solution begins with their first access to it."""
    others = InfobaseAccess.objects.filter(
        membership_id=access.membership_id,
        infobase__solution_id=access.infobase.solution_id,
        infobase__status__in=LIVE_STATUSES,
    ).exclude(pk=access.pk)
    if others.exists():
        return None
    user = access.membership.user
    return LicenceEvent.objects.create(
        subscriber_id=access.infobase.subscriber_id,
        solution_id=access.infobase.solution_id,
        kind=LicenceEventKind.REGISTRATION,
        user_email=user.email,
        user_full_name=user.display_name,
    )


def licence_record_terminations(*, removed: list[dict]) -> int:
    """2.2: rights end for (member, solution) pairs that kept no access. Call after removing.

    `removed` rows: membership_id, subscriber_id, solution_id, email, full_name.
    """
    if not removed:
        return 0
    remaining = _live_pairs({row["membership_id"] for row in removed})
    now, seen, events = timezone.now(), set(), []
    for row in removed:
        pair = (row["membership_id"], row["solution_id"])
        if pair in remaining or pair in seen:
            continue
        seen.add(pair)
        events.append(
            LicenceEvent(
                subscriber_id=row["subscriber_id"],
                solution_id=row["solution_id"],
                kind=LicenceEventKind.TERMINATION,
                user_email=row["email"],
                user_full_name=row["full_name"] or row["email"],
                at=now,
            )
        )
    LicenceEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


def removed_rows(accesses) -> list[dict]:
    """The rows licence_record_terminations needs, read before the accesses are deleted."""
    return [
        {
            "membership_id": row["membership_id"],
            "subscriber_id": row["infobase__subscriber_id"],
            "solution_id": row["infobase__solution_id"],
            "email": row["membership__user__email"],
            "full_name": row["membership__user__full_name"],
        }
        for row in accesses.values(
            "membership_id",
            "infobase__subscriber_id",
            "infobase__solution_id",
            "membership__user__email",
            "membership__user__full_name",
        )
    ]


@transaction.atomic
def licences_record_renewals(*, month: datetime.date) -> int:
    """2.2: each month the rights of active subscribers' users are renewed. Safe to repeat."""
    period = month_start(month)
    rows = (
        InfobaseAccess.objects.filter(
            infobase__status__in=LIVE_STATUSES,
            infobase__subscriber__status=SubscriberStatus.ACTIVE,
        )
        .values_list(
            "infobase__subscriber_id",
            "infobase__solution_id",
            "membership__user__email",
            "membership__user__full_name",
        )
        .order_by()  # The model's ordering would add columns to SELECT DISTINCT.
        .distinct()
    )
    now = timezone.now()
    events = [
        LicenceEvent(
            subscriber_id=subscriber_id,
            solution_id=solution_id,
            kind=LicenceEventKind.RENEWAL,
            user_email=email,
            user_full_name=full_name or email,
            period=period,
            at=now,
        )
        for subscriber_id, solution_id, email, full_name in rows
    ]
    created = LicenceEvent.objects.bulk_create(events, batch_size=2000, ignore_conflicts=True)
    return len(created)


IMPORT_COLUMNS = ("tax_number", "solution", "email", "number", "assigned_on")


def _parse_date(value: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(value)


@transaction.atomic
def registration_numbers_import(*, data: str, actor) -> int:
    """2.3: load the numbers the rights holder assigned, from CSV (comma or semicolon).

    Columns: tax_number (ИИН/БИН), solution (catalog code), email, number, assigned_on.
    Any bad row rejects the whole file with the row numbers; nothing is stored then.
    """
    sample = data[:2048]
    dialect = csv.Sniffer().sniff(sample, delimiters=",;") if sample.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(data.lstrip("\ufeff")), dialect=dialect)
    if reader.fieldnames is None or not set(IMPORT_COLUMNS) <= set(reader.fieldnames):
        raise ValidationError(
            _("The file must have the columns: %(columns)s.")
            % {"columns": ", ".join(IMPORT_COLUMNS)}
        )
    rows = list(reader)
    taxes = {row["tax_number"].strip() for row in rows}
    subscribers = {
        s.tax_number: s for s in Subscriber.objects.filter(Q(bin__in=taxes) | Q(iin__in=taxes))
    }
    solutions = {s.code: s for s in Solution.objects.all()}
    errors, numbers = [], []
    for line, row in enumerate(rows, start=2):
        subscriber = subscribers.get(row["tax_number"].strip())
        solution = solutions.get(row["solution"].strip())
        number = row["number"].strip()
        try:
            assigned_on = _parse_date(row["assigned_on"])
        except ValueError:
            assigned_on = None
        if subscriber is None or solution is None or not number or assigned_on is None:
            errors.append(str(line))
            continue
        numbers.append(
            RegistrationNumber(
                subscriber=subscriber,
                solution=solution,
                user_email=row["email"].strip().lower(),
                number=number,
                assigned_on=assigned_on,
            )
        )
    if errors:
        raise ValidationError(
            _(
                "Rows %(rows)s have an unknown ИИН/БИН or solution code, no number or a bad date "
                "(YYYY-MM-DD or DD.MM.YYYY). Nothing was imported."
            )
            % {"rows": ", ".join(errors)}
        )
    RegistrationNumber.objects.bulk_create(
        numbers,
        update_conflicts=True,
        unique_fields=["subscriber", "solution", "user_email"],
        update_fields=["number", "assigned_on"],
    )
    audit_record(
        action=AuditAction.LICENCE_NUMBERS_IMPORT, actor=actor, data={"rows": len(numbers)}
    )
    return len(numbers)

"""Demo data of the infobases app: the catalog, and for each demo subscriber with a tariff its
infobases (really created by the configured driver, so downloads work), backups, access.

Everything goes through the services, so the tariff limits apply; a subscriber without a tariff
(billing's demo not loaded) gets no infobases. Running it again changes nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from billing.selectors import tariff_for_subscriber
from subscribers.models import MemberRole, Membership, Subscriber

from .models import Backup, Infobase, Operation, OperationStatus, Release, Solution
from .provisioning import get_driver
from .provisioning.local import LocalDriver
from .services import access_set, backup_request, infobase_create, operation_run

CATALOG = [
    (
        "bk-kz",
        "Бухгалтерия для Казахстана",
        "Бухгалтерский и налоговый учёт по законодательству РК: ФНО, ЭСФ, зарплата для небольших "
        "организаций.",
        True,
        [
            ("3.0.44.2", "2026-09-15", "Формы 910.00 и 200.00 за 2026 год."),
            ("3.0.45.1", "2026-11-02", "Новые ставки НДС, исправления ЭСФ."),
        ],
    ),
    (
        "zup-kz",
        "Зарплата и управление персоналом для Казахстана",
        "Кадровый учёт, расчёт зарплаты, ИПН, ОПВ, СО, ОСМС.",
        True,
        [("3.1.30.5", "2026-10-20", "ОПВР работодателя с 2026 года.")],
    ),
    (
        "ut-kz",
        "Управление торговлей для Казахстана",
        "Продажи, закупки, склад, ценообразование, маркировка.",
        True,
        [("3.4.12.3", "2026-10-05", "Маркировка товаров, обмен с ИС МПТ.")],
    ),
    (
        "ka-kz",
        "Комплексная автоматизация для Казахстана",
        "Учёт всей организации: от продаж до производства и регламентированной отчётности.",
        False,
        [("2.4.9.2", "2026-09-28", "Обновлённые формы отчётности.")],
    ),
    (
        "unf-kz",
        "Управление нашей фирмой для Казахстана",
        "Простой учёт малого бизнеса: заказы, деньги, склад, производство.",
        True,
        [("1.6.28.4", "2026-10-30", "Онлайн-кассы, QR-оплаты.")],
    ),
]

# Per demo subscriber (by the owner's email): infobases (solution, name, demo data) and access.
PLAN = {
    "owner@demo-astana.kz": {
        "infobases": [
            ("bk-kz", "Бухгалтерия ТОО «Демо Астана»", True),
            ("zup-kz", "Зарплата ТОО «Демо Астана»", False),
        ],
        "access": {"owner": "full", "admin": "full", "accountant": "user", "user": "user"},
    },
    "ip@demo-shymkent.kz": {
        "infobases": [("bk-kz", "Бухгалтерия ИП Иванова", False)],
        "access": {"owner": "full", "user": "user"},
    },
}


def _catalog(log) -> dict[str, Solution]:
    solutions = {}
    for order, (code, name, description, demo, releases) in enumerate(CATALOG):
        solution, _created = Solution.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "template": f"/srv/1c/templates/{code}/1Cv8.cf",
                "demo_template": f"/srv/1c/templates/{code}/demo.dt" if demo else "",
                "sort_order": order,
            },
        )
        for version, date, notes in releases:
            Release.objects.get_or_create(
                solution=solution,
                version=version,
                defaults={
                    "released_on": datetime.date.fromisoformat(date),
                    "notes": notes,
                    "template": f"/srv/1c/templates/{code}/{version}/1Cv8.cf",
                    "published_at": timezone.now(),
                },
            )
        solutions[code] = solution
    log(f"  catalog: {len(solutions)} solutions")
    return solutions


def _run_queued(subscriber: Subscriber) -> None:
    """Run this subscriber's queued operations now, so the demo is usable at once."""
    for pk in Operation.objects.filter(
        subscriber=subscriber, status=OperationStatus.QUEUED
    ).values_list("pk", flat=True):
        operation_run(operation_id=pk)


def _try(log, action):
    try:
        with transaction.atomic():
            return action()
    except ValidationError as error:
        log(f"    skipped: {'; '.join(error.messages)}")
        return None


def _seed_subscriber(subscriber: Subscriber, plan: dict, solutions, owner, log) -> None:
    if tariff_for_subscriber(subscriber=subscriber) is None:
        log(f"  {subscriber}: no tariff yet, no infobases (load billing's demo first)")
        return
    if not Infobase.objects.filter(subscriber=subscriber).exists():
        for code, name, demo in plan["infobases"]:
            _try(
                log,
                lambda c=code, n=name, d=demo: infobase_create(
                    subscriber=subscriber,
                    solution=solutions[c],
                    name=n,
                    with_demo_data=d,
                    actor=owner,
                ),
            )
        _run_queued(subscriber)
    infobases = list(Infobase.objects.filter(subscriber=subscriber, status="ready"))
    members = Membership.objects.filter(subscriber=subscriber).select_related("user")
    for infobase in infobases:
        for membership in members:
            role = plan["access"].get(membership.role)
            if role and not (
                infobase.solution.code == "zup-kz" and membership.role == MemberRole.USER
            ):
                _try(
                    log,
                    lambda i=infobase, m=membership, r=role: access_set(
                        infobase=i, membership=m, role=r, actor=owner
                    ),
                )
        if not Backup.objects.filter(infobase=infobase).exists():
            _try(log, lambda i=infobase: backup_request(infobase=i, actor=owner))
    _run_queued(subscriber)
    driver = get_driver()
    if isinstance(driver, LocalDriver) and infobases:
        first = infobases[0]
        if not driver.sessions(ref=first.ref):
            driver.session_open(ref=first.ref, user=owner.email, client="1CV8C", host="OFFICE-1")
            driver.session_open(ref=first.ref, user="user@demo-astana.kz", client="WebClient")
    log(f"  {subscriber}: {len(infobases)} infobases ready, backups and access given")


def seed(*, log) -> None:
    solutions = _catalog(log)
    for owner_email, plan in PLAN.items():
        owner_membership = (
            Membership.objects.filter(user__email=owner_email, role=MemberRole.OWNER)
            .select_related("subscriber", "user")
            .first()
        )
        if owner_membership is None:
            continue
        _seed_subscriber(owner_membership.subscriber, plan, solutions, owner_membership.user, log)

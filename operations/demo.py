"""Demo data: a past incident, an announced planned work and an approved compensation.

Idempotent: each object is looked up by its title or by the demo subscriber first.
"""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from onebuh.dates import at_time, local_date
from subscribers.models import Subscriber, User

from .models import (
    ClaimStatus,
    CompensationClaim,
    Component,
    Fault,
    Incident,
    TechnicalWork,
    WorkKind,
)
from .services import claim_approve, claim_file, incident_record, technical_work_announce
from .services.works import PLANNED_NOTICE

INCIDENT_TITLE = "Недоступность облачной инфраструктуры 1С"
WORK_TITLE = "Обновление платформы «1С:Предприятие» до 8.3.27"
CLAIM_OWNER = "owner@demo-astana.kz"
STAFF_ACCOUNTANT = "accountant@onebuh.kz"
STAFF_ENGINEER = "engineer@onebuh.kz"


@transaction.atomic
def seed(*, log) -> None:
    engineer = User.objects.filter(email=STAFF_ENGINEER).first()
    now = timezone.now()
    if not Incident.objects.filter(title=INCIDENT_TITLE).exists():
        yesterday = timezone.localdate() - timedelta(days=1)
        start = at_time(yesterday, time(10, 5))
        incident_record(
            incident=Incident(
                title=INCIDENT_TITLE,
                description="Отказ узла кластера серверов 1С; базы были недоступны.",
                cause="Отказ дискового массива узла кластера, переключение на резервный узел.",
                level=1,
                fault=Fault.OPERATOR,
                components=[Component.CLOUD, Component.APPS],
                affects_all=True,
                starts_at=start,
                ends_at=start + timedelta(hours=3, minutes=25),
            ),
            actor=engineer,
        )
    log(f"  operations: incident «{INCIDENT_TITLE}»")
    if not TechnicalWork.objects.filter(title=WORK_TITLE).exists():
        # 6.2: the first night window at least 48 hours ahead, 02:00–04:00 GMT+5.
        day = local_date(now + PLANNED_NOTICE) + timedelta(days=1)
        start = at_time(day, time(2, 0))
        technical_work_announce(
            work=TechnicalWork(
                kind=WorkKind.PLANNED,
                title=WORK_TITLE,
                description="Плановое обновление платформы; базы будут недоступны.",
                components=[Component.CLOUD, Component.APPS],
                affects_all=True,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
            ),
            actor=engineer,
        )
    log(f"  operations: planned work «{WORK_TITLE}»")
    _approved_claim(log=log)


def _approved_claim(*, log) -> None:
    owner = User.objects.filter(email=CLAIM_OWNER).first()
    subscriber = Subscriber.objects.filter(members__user=owner).first() if owner else None
    if subscriber is None or CompensationClaim.objects.filter(subscriber=subscriber).exists():
        return
    claim = claim_file(
        subscriber=subscriber,
        opened_by=owner,
        downtime_date=timezone.localdate(),
        claimed_downtime=timedelta(hours=3, minutes=25),
        description="Базы 1С не открывались ни в тонком клиенте, ни в браузере.",
    )
    accountant = User.objects.filter(email=STAFF_ACCOUNTANT).first()
    claim = claim_approve(
        claim=claim,
        downtime=claim.claimed_downtime,
        note="Сверено с данными мониторинга оператора.",
        actor=accountant,
    )
    if claim.status == ClaimStatus.APPROVED:
        log(f"  operations: approved compensation claim #{claim.pk} for {subscriber}")

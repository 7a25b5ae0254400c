"""Demo billing: three tariffs, the demo subscribers' subscriptions, invoices, payments and a
bonus credit. ТОО «Демо Астана» is fully paid and active; the entrepreneur paid part and owes
the rest. Idempotent: every write is keyed (order once, payment ids, bonus source key)."""

from decimal import Decimal

from django.db import transaction

from subscribers.models import Subscriber

from .models import PaymentMethod, Subscription, Tariff
from .selectors import debt_for
from .services import ledger_credit_bonus, payment_record, subscription_order

TARIFFS = [
    {
        "code": "start",
        "name": "Старт",
        "description": "Для ИП и небольших компаний: одна база, два пользователя.",
        "monthly_fee": Decimal("9900.00"),
        "max_users": 2,
        "max_infobases": 1,
        "backup_retention_days": 7,
        "methodological_quota": 2,
        "individual_quota": 0,
        "sort_order": 10,
    },
    {
        "code": "standard",
        "name": "Стандарт",
        "description": "Для бухгалтерии компании: до трёх баз и пяти пользователей.",
        "monthly_fee": Decimal("24900.00"),
        "max_users": 5,
        "max_infobases": 3,
        "backup_retention_days": 14,
        "methodological_quota": 5,
        "individual_quota": 1,
        "sort_order": 20,
    },
    {
        "code": "business",
        "name": "Бизнес",
        "description": "Для групп компаний: до десяти баз и двадцати пользователей.",
        "monthly_fee": Decimal("59900.00"),
        "max_users": 20,
        "max_infobases": 10,
        "backup_retention_days": 30,
        "methodological_quota": 15,
        "individual_quota": 5,
        "sort_order": 30,
    },
]
# (owner email, tariff code, part of the first invoice paid, bonus credit)
SUBSCRIPTIONS = [
    ("owner@demo-astana.kz", "standard", Decimal("1"), Decimal("2490.00")),
    ("ip@demo-shymkent.kz", "start", Decimal("0.5"), Decimal("0")),
]


@transaction.atomic
def seed(*, log) -> None:
    for spec in TARIFFS:
        Tariff.objects.get_or_create(code=spec["code"], defaults=spec)
    log("  billing: tariffs " + ", ".join(t["name"] for t in TARIFFS))
    for email, code, paid_part, bonus in SUBSCRIPTIONS:
        subscriber = Subscriber.objects.filter(members__user__email=email).first()
        if subscriber is None:
            continue
        if not Subscription.objects.filter(subscriber=subscriber).exists():
            subscription_order(
                subscriber=subscriber, tariff=Tariff.objects.get(code=code), actor=None
            )
        if bonus:
            ledger_credit_bonus(
                subscriber=subscriber,
                amount=bonus,
                reason="Компенсация простоя 10 часов (9.3), демо",
                source_key="demo:compensation:1",
            )
        invoice = subscriber.invoices.order_by("number").first()
        if invoice is not None:
            payment_record(
                subscriber=subscriber,
                amount=(invoice.amount_due * paid_part).quantize(Decimal("0.01")),
                method=PaymentMethod.BANK_TRANSFER,
                external_id=f"demo-{subscriber.pk}-1",
                comment="Демо: платёжное поручение",
            )
        log(f"  billing: {subscriber} — {code}, debt {debt_for(subscriber=subscriber)} KZT")

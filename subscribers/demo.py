"""Demo data of the foundation: staff of each role and two subscribers of different legal forms.

`manage.py seed_demo` calls every app's demo.seed() in order; each is idempotent.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from .models import LegalForm, MemberRole, Membership, PartnerFirm, Subscriber, User
from .roles import StaffRole, sync_staff_groups, user_set_staff_role
from .services import subscriber_register, terms_publish_shipped
from .validators import with_control_digit

DEMO_PASSWORD = "onebuh-demo-2026"
# A fixed TOTP secret so demo staff can sign in: `manage.py demo_totp` prints the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

STAFF = [
    ("admin@onebuh.kz", "Администратор Портала", StaffRole.ADMINISTRATOR),
    ("engineer@onebuh.kz", "Инженер Оператора", StaffRole.OPERATOR_ENGINEER),
    ("consultant@partner1c.kz", "Консультант Партнёра", StaffRole.PARTNER_CONSULTANT),
    ("accountant@onebuh.kz", "Бухгалтер Оператора", StaffRole.ACCOUNTANT),
]
DEMO_BIN = with_control_digit("15034000123") or with_control_digit("15034000124")
DEMO_IIN = with_control_digit("85020540123") or with_control_digit("85020540124")

SUBSCRIBERS = [
    {
        "owner": ("owner@demo-astana.kz", "Сейткали Айгерим Нурлановна"),
        "data": {
            "legal_form": LegalForm.LEGAL_ENTITY,
            "name": "ТОО «Демо Астана»",
            "bin": DEMO_BIN,
            "main_activity": "Оптовая торговля (46.90)",
            "person_full_name": "Жумабеков Ерлан Серикович",
            "address": "г. Астана, пр. Мангилик Ел, 55/20, офис 12",
            "responsible_full_name": "Сейткали Айгерим Нурлановна",
            "responsible_email": "owner@demo-astana.kz",
            "responsible_phone": "+77011234567",
        },
        "members": [
            ("admin@demo-astana.kz", "Ким Виктор Олегович", MemberRole.ADMIN),
            ("buh@demo-astana.kz", "Омарова Гульнара Ержановна", MemberRole.ACCOUNTANT),
            ("user@demo-astana.kz", "Ахметов Данияр Болатович", MemberRole.USER),
        ],
    },
    {
        "owner": ("ip@demo-shymkent.kz", "Иванова Ольга Петровна"),
        "data": {
            "legal_form": LegalForm.ENTREPRENEUR,
            "name": "ИП «Иванова О. П.»",
            "iin": DEMO_IIN,
            "main_activity": "Бухгалтерские услуги (69.20)",
            "person_full_name": "Иванова Ольга Петровна",
            "address": "г. Шымкент, ул. Байтурсынова, 14, кв. 3",
            "responsible_full_name": "Иванова Ольга Петровна",
            "responsible_email": "ip@demo-shymkent.kz",
            "responsible_phone": "+77057654321",
        },
        "members": [("helper@demo-shymkent.kz", "Ли Марина Сергеевна", MemberRole.USER)],
    },
]


def _user(email: str, full_name: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name, **extra)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _give_totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


@transaction.atomic
def seed(*, log) -> None:
    sync_staff_groups()
    terms = terms_publish_shipped()
    log(f"  terms   {terms}")
    partner, _created = PartnerFirm.objects.get_or_create(
        name="ТОО «Партнёр 1С Алматы»", defaults={"email": "help@partner1c.kz"}
    )
    for email, full_name, role in STAFF:
        extra = {"partner_firm": partner} if role == StaffRole.PARTNER_CONSULTANT else {}
        user = _user(email, full_name, **extra)
        if role == StaffRole.ADMINISTRATOR and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        user_set_staff_role(user, role)
        _give_totp(user)
        log(f"  staff   {email:28} {DEMO_PASSWORD}   ({role.label})")
    for spec in SUBSCRIBERS:
        owner = _user(*spec["owner"])
        subscriber = Subscriber.objects.filter(members__user=owner).first()
        if subscriber is None:
            subscriber = subscriber_register(owner=owner, data=spec["data"])
        log(f"  owner   {owner.email:28} {DEMO_PASSWORD}   ({subscriber})")
        for email, full_name, role in spec["members"]:
            user = _user(email, full_name)
            Membership.objects.get_or_create(
                subscriber=subscriber, user=user, defaults={"role": role}
            )
            log(f"  member  {email:28} {DEMO_PASSWORD}   ({subscriber}, {role.label})")
    log(
        f"Staff sign in with a second factor: TOTP secret {DEMO_TOTP_SECRET}, "
        "or `python manage.py demo_totp` prints the current code."
    )

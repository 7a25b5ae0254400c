"""factory-boy factories shared by every app's tests. Apps add theirs in tests/<app>/factories.py."""

import datetime
import itertools

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from subscribers.models import (
    Invitation,
    LegalForm,
    MemberRole,
    Membership,
    PartnerFirm,
    Subscriber,
    TermsVersion,
    User,
)
from subscribers.validators import with_control_digit

_serials = itertools.count(1000)


def valid_bin() -> str:
    while True:
        number = with_control_digit(f"19034{next(_serials) % 400000:06d}")
        if number:
            return number


def valid_iin() -> str:
    while True:
        serial = next(_serials)
        month, day = (serial // 28) % 12 + 1, serial % 28 + 1
        number = with_control_digit(f"88{month:02d}{day:02d}3{serial % 10000:04d}")
        if number:
            return number


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.kz")
    full_name = factory.Faker("name", locale="ru_RU")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class PartnerFirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerFirm

    name = factory.Sequence(lambda n: f"ТОО «Партнёр {n}»")


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    legal_form = LegalForm.LEGAL_ENTITY
    name = factory.Sequence(lambda n: f"ТОО «Компания {n}»")
    bin = factory.LazyFunction(valid_bin)
    iin = ""
    main_activity = "Оптовая торговля"
    person_full_name = "Жумабеков Ерлан Серикович"
    address = "г. Алматы, ул. Абая, 1"
    responsible_full_name = "Омарова Гульнара"
    responsible_email = factory.Sequence(lambda n: f"resp{n}@example.kz")
    responsible_phone = "+77011234567"

    class Params:
        individual = factory.Trait(
            legal_form=LegalForm.INDIVIDUAL, name="", bin="", iin=factory.LazyFunction(valid_iin)
        )
        entrepreneur = factory.Trait(
            legal_form=LegalForm.ENTREPRENEUR,
            name=factory.Sequence(lambda n: f"ИП «Предприниматель {n}»"),
            bin="",
            iin=factory.LazyFunction(valid_iin),
        )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    subscriber = factory.SubFactory(SubscriberFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.USER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    subscriber = factory.SubFactory(SubscriberFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.kz")
    role = MemberRole.USER
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class TermsVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsVersion

    version_date = factory.Sequence(
        lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
    )
    title = "Условия использования услуги ONEbuh"
    text = "Текст условий."

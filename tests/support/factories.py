"""Support factories. Tickets are opened through the service, as every channel does."""

import factory

from support.models import Article, Category, Channel, Macro
from support.services import article_index, ticket_open
from tests.billing.factories import SubscriptionFactory, TariffFactory
from tests.factories import MembershipFactory, SubscriberFactory
from tests.infobases.factories import InfobaseFactory


def open_ticket(subscriber=None, *, opened_by=None, category=Category.TECHNICAL, **kwargs):
    subscriber = subscriber or SubscriberFactory()
    if opened_by is None and kwargs.get("channel", Channel.WEB) == Channel.WEB:
        opened_by = MembershipFactory(subscriber=subscriber).user
    kwargs.setdefault("channel", Channel.WEB)
    kwargs.setdefault("subject", "Не открывается база")
    kwargs.setdefault("text", "Ошибка при входе в базу.")
    return ticket_open(subscriber=subscriber, opened_by=opened_by, category=category, **kwargs)


def give_quotas(subscriber, *, methodological=2, individual=1):
    return SubscriptionFactory(
        subscriber=subscriber,
        tariff=TariffFactory(methodological_quota=methodological, individual_quota=individual),
    ).tariff


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Статья {n}")
    body = "Текст статьи."

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        # As the admin does after each save: the search reads the stems.
        if create:
            article_index(article=obj)


class MacroFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Macro

    name = factory.Sequence(lambda n: f"Макрос {n}")
    body = "Здравствуйте, {имя клиента}! Обращение № {номер обращения}."


__all__ = ["InfobaseFactory", "open_ticket", "give_quotas", "ArticleFactory", "MacroFactory"]

"""Operations factories: the operator's records are rows; compensation goes through services."""

from datetime import timedelta

import factory
from django.utils import timezone

from operations.models import Component, Fault, Incident, IncidentLevel, TechnicalWork, WorkKind


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Инцидент {n}")
    level = IncidentLevel.FULL
    fault = Fault.OPERATOR
    components = factory.LazyFunction(lambda: [Component.CLOUD])
    affects_all = True
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))

    @factory.post_generation
    def subscribers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.affects_all = False
            obj.save(update_fields=["affects_all"])
            obj.subscribers.set(extracted)


class WorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicalWork
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Работы {n}")
    kind = WorkKind.PLANNED
    components = factory.LazyFunction(lambda: [Component.CLOUD])
    affects_all = True
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))

    @factory.post_generation
    def subscribers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.affects_all = False
            obj.save(update_fields=["affects_all"])
            obj.subscribers.set(extracted)

"""The admin walked as a partner's consultant (4.1) with another firm's and an unassigned
subscriber's objects: every registered model admin's changelist (also searched by their name),
every URL of a model admin that takes an object id (change, history, delete and the custom ones)
and every autocomplete over a subscriber key. Never a 200 that shows them.

New model admins are walked automatically: an object that belongs to a subscriber through
`subscriber`, `ticket`, `infobase` or `message__ticket` is found here without listing it.
"""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import URLPattern, reverse

from subscribers.models import Subscriber
from support.models import Category, PartnerAssignment
from tests.factories import MembershipFactory, PartnerFirmFactory, SubscriberFactory
from tests.infobases.factories import BackupFactory, InfobaseFactory
from tests.support.factories import give_quotas, open_ticket

pytestmark = pytest.mark.django_db

# How a model's row reaches its subscriber (the first path that exists on the model).
SUBSCRIBER_PATHS = ("subscriber", "ticket__subscriber", "infobase__subscriber")


def _owner_path(model) -> str | None:
    if model is Subscriber or issubclass(model, Subscriber):
        return ""
    names = {f.name for f in model._meta.get_fields()}
    for path in SUBSCRIBER_PATHS:
        if path.split("__")[0] in names:
            return path
    if "message" in names:
        return "message__ticket__subscriber"
    return None


@pytest.fixture
def world(partner_firm):
    mine = SubscriberFactory(name="ТОО «Свой клиент»")
    theirs = SubscriberFactory(entrepreneur=True, name="ИП «Чужой клиент»")
    loose = SubscriberFactory(name="ТОО «Ничей клиент»")
    PartnerAssignment.objects.create(subscriber=mine, partner_firm=partner_firm)
    PartnerAssignment.objects.create(subscriber=theirs, partner_firm=PartnerFirmFactory())
    for subscriber in (mine, theirs, loose):
        give_quotas(subscriber)
        MembershipFactory(subscriber=subscriber)
        InfobaseFactory(subscriber=subscriber, name=f"База {subscriber.pk}")
    BackupFactory(infobase=theirs.infobases.get())
    open_ticket(mine, category=Category.METHODOLOGICAL, subject="Свой вопрос")
    open_ticket(theirs, category=Category.METHODOLOGICAL, subject="Чужой вопрос")
    open_ticket(theirs, category=Category.TECHNICAL, subject="Чужой технический")
    open_ticket(loose, category=Category.INDIVIDUAL, subject="Ничей вопрос")
    return {"mine": mine, "others": [theirs, loose]}


def _foreign_objects(model, others):
    path = _owner_path(model)
    if path is None:
        return []
    manager = model._base_manager
    if path == "":
        return list(manager.filter(pk__in=[s.pk for s in others]))
    return list(manager.filter(**{f"{path}__in": others}))


def _object_urls(model_admin, pk) -> list[str]:
    urls = []
    for pattern in model_admin.get_urls():
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        converters = list(pattern.pattern.converters)
        if len(converters) != 1:
            continue
        urls.append(reverse(f"admin:{pattern.name}", kwargs={converters[0]: pk}))
    return urls


def test_consultant_never_sees_another_firms_objects(world, staff_client, partner_consultant):
    client = staff_client(partner_consultant)
    others = world["others"]
    names = [s.display_name for s in others]
    walked_objects = 0
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for params in ({}, {"q": "Чужой"}, {"q": "Ничей"}, {"queue": "all"}):
            response = client.get(changelist, params)
            if response.status_code == 200:
                page = response.content.decode()
                assert not any(name in page for name in names), (changelist, params)
        for obj in _foreign_objects(model, others):
            for url in _object_urls(model_admin, obj.pk):
                walked_objects += 1
                response = client.get(url)
                assert response.status_code != 200, url
    assert walked_objects > 20


def test_every_subscriber_autocomplete_is_scoped(world, staff_client, partner_consultant):
    client = staff_client(partner_consultant)
    url = reverse("admin:autocomplete")
    asked = 0
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if not (isinstance(field, models.ForeignKey) and field.related_model is Subscriber):
                continue
            for term in ("Чужой", "Ничей", "клиент"):
                asked += 1
                response = client.get(
                    url,
                    {
                        "app_label": model._meta.app_label,
                        "model_name": model._meta.model_name,
                        "field_name": field.name,
                        "term": term,
                    },
                )
                if response.status_code == 200:
                    texts = [r["text"] for r in response.json()["results"]]
                    assert texts in ([], ["ТОО «Свой клиент»"]), (model, field.name, texts)
    assert asked > 10


def test_consultant_sees_own_firms_subscriber_without_personal_numbers(
    world, staff_client, partner_consultant
):
    mine = world["mine"]
    client = staff_client(partner_consultant)
    page = client.get(reverse("admin:subscribers_subscriber_change", args=[mine.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert mine.responsible_email in html
    assert mine.address not in html
    listing = client.get(reverse("admin:infobases_infobase_changelist")).content.decode()
    assert f"База {mine.pk}" in listing
    assert all(f"База {s.pk}" not in listing for s in world["others"])


def test_operator_engineer_sees_every_subscriber(world, staff_client, operator_engineer):
    page = staff_client(operator_engineer).get(reverse("admin:subscribers_subscriber_changelist"))
    html = page.content.decode()
    assert "Свой клиент" in html and "Чужой клиент" in html and "Ничей клиент" in html

"""The admin walked as a partner's consultant (4.1) with another firm's and an unassigned
subscriber's objects: every registered model admin's changelist (also searched by their name),
every URL of a model admin that takes an object id (change, history, delete and the custom ones)
and every autocomplete of every registered admin's relation fields. Never a 200 that shows them:
an object URL answers 403 (not his to see), 404 (outside his firm, like a missing id), 405, or
Django's redirect to the index for an id outside an admin's own rows.

New model admins are walked automatically, straight from `admin.site._registry`: a row that
belongs to a subscriber through one of SUBSCRIBER_PATHS is found without listing it, and rows
that hold every subscriber's data at once (EVERYONES) are walked whole.
"""

import datetime

import pytest
from django.contrib import admin
from django.db import models
from django.urls import URLPattern, reverse

from operations.models import CompensationProposal, CompensationReport
from subscribers.models import Subscriber
from support.models import Category, PartnerAssignment
from tests.factories import MembershipFactory, PartnerFirmFactory, SubscriberFactory
from tests.infobases.factories import BackupFactory, InfobaseFactory
from tests.operations.factories import IncidentFactory
from tests.support.factories import give_quotas, open_ticket

pytestmark = pytest.mark.django_db

# How a model's row reaches its subscriber: the first path whose first step the model has.
SUBSCRIBER_PATHS = (
    "subscriber",
    "subscribers",  # incidents and works naming the subscribers they hit
    "ticket__subscriber",
    "infobase__subscriber",
    "message__ticket__subscriber",
    "membership__subscriber",  # API tokens
    "memberships__subscriber",  # people
    "user__memberships__subscriber",  # a person's addresses, second factors, terms accepted
)
# Rows that hold every subscriber's data at once: a consultant opens none of them.
EVERYONES = {
    "billing.BankStatement",
    "operations.CompensationProposal",
    "operations.CompensationReport",
    "outbox.OutboxMessage",
}
FORBIDDEN = (403, 404, 405)


def _owner_path(model) -> str | None:
    if model is Subscriber or issubclass(model, Subscriber):
        return ""
    fields = {f.name: f for f in model._meta.get_fields()}
    for path in SUBSCRIBER_PATHS:
        field = fields.get(path.split("__")[0])
        # A model's own keys; of the reverse relations only a person's memberships.
        if field is not None and (not field.auto_created or path == "memberships__subscriber"):
            return path
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
    IncidentFactory(title="Сбой у чужого клиента", subscribers=[theirs, loose])
    CompensationProposal.objects.create(month=datetime.date(2026, 10, 1))
    CompensationReport.objects.create(month=datetime.date(2026, 10, 1), format="csv")
    return {"mine": mine, "others": [theirs, loose]}


def _foreign_objects(model, others):
    manager = model._base_manager
    if model._meta.label in EVERYONES:
        return list(manager.all()[:3])
    path = _owner_path(model)
    if path is None:
        return []
    if path == "":
        return list(manager.filter(pk__in=[s.pk for s in others]))
    return list(manager.filter(**{f"{path}__in": others}).distinct()[:5])


def _not_in_admins_rows(response) -> bool:
    """Django's answer for an id outside an admin's own rows (a debtor list holds only
    debtors) when its view checks the row before the right: back to the index, nothing shown.
    The partner-scoped admins answer a consultant 404 instead (onebuh.admin_scope)."""
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


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
    walked = set()
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
                walked.add(opts.label)
                response = client.get(url)
                assert response.status_code in FORBIDDEN or _not_in_admins_rows(response), (
                    url,
                    response.status_code,
                )
    # The world gives most of the walkable admins rows (a new kind of row needs no listing).
    assert {
        "subscribers.Subscriber",
        "subscribers.User",
        "subscribers.AuditEntry",
        "infobases.Infobase",
        "infobases.Backup",
        "support.Ticket",
        "support.PartnerAssignment",
        "billing.Subscription",
        "operations.Incident",
        "operations.CompensationProposal",
        "operations.CompensationReport",
        "account.EmailAddress",
    } <= walked, walked


def test_the_walk_finds_the_subscriber_of_every_admin_that_shows_one():
    """A registered admin whose rows name a subscriber (or a subscriber's person) but that the
    walk cannot trace to one would be walked by its changelist only: name its path."""
    untraced = []
    for model in admin.site._registry:
        if _owner_path(model) is not None or model._meta.label in EVERYONES:
            continue
        relations = [
            f.name
            for f in model._meta.get_fields()
            if f.is_relation
            and not f.auto_created
            and f.related_model is not None
            and f.related_model._meta.label in ("subscribers.Subscriber", "subscribers.Membership")
        ]
        if relations:
            untraced.append((model._meta.label, relations))
    assert untraced == []


def _relation_fields(model):
    for field in model._meta.get_fields():
        if (
            isinstance(field, models.ForeignKey | models.ManyToManyField)
            and not field.auto_created
            and field.related_model in admin.site._registry
        ):
            yield field


def test_every_autocomplete_is_scoped(world, staff_client, partner_consultant):
    """Django's autocomplete answers for any registered admin's relation field (not only the
    ones a form shows): ask every one for another firm's subscribers and their people."""
    client = staff_client(partner_consultant)
    url = reverse("admin:autocomplete")
    foreign_people = [m.user.email for s in world["others"] for m in s.members.all()]
    terms = ["Чужой", "Ничей", "клиент", *foreign_people]
    allowed = {"ТОО «Свой клиент»"}
    asked = answered = 0
    for model in admin.site._registry:
        for field in _relation_fields(model):
            for term in terms:
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
                assert response.status_code in (200, 403, 404), (model, field.name)
                if response.status_code == 200:
                    answered += 1
                    texts = {r["text"] for r in response.json()["results"]}
                    leaked = {t for t in texts if any(n in t for n in ("Чужой", "Ничей"))}
                    leaked |= {t for t in texts if any(e in t for e in foreign_people)}
                    assert not leaked and (
                        field.related_model is not Subscriber or texts <= allowed
                    ), (model, field.name, term, texts)
    assert asked > 100 and answered > 10, (asked, answered)


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

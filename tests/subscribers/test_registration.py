import pytest
from django.urls import reverse

from subscribers.models import (
    AuditEntry,
    LegalForm,
    MemberRole,
    Subscriber,
    SubscriberStateChange,
)
from tests.factories import UserFactory, valid_bin, valid_iin

CONTACTS = {
    "responsible_full_name": "Омарова Гульнара Ержановна",
    "responsible_email": "buh@example.kz",
    "responsible_phone": "+7 (701) 123-45-67",
}


def _post(client, data):
    return client.post(reverse("subscribers:register"), {**CONTACTS, **data})


@pytest.fixture
def newcomer(client, db):
    user = UserFactory()
    client.force_login(user)
    return user


def test_individual_registers_with_iin_activity_name_and_home_address(client, newcomer):
    iin = valid_iin()
    response = _post(
        client,
        {
            "legal_form": LegalForm.INDIVIDUAL,
            "iin": iin,
            "main_activity": "Фриланс",
            "person_full_name": "Ахметов Данияр Болатович",
            "address": "г. Алматы, ул. Абая, 10, кв. 5",
            "bin": "000000000000",  # not for this form: dropped, not validated
            "name": "ignored",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    subscriber = Subscriber.objects.get()
    assert (subscriber.legal_form, subscriber.iin, subscriber.bin, subscriber.name) == (
        LegalForm.INDIVIDUAL,
        iin,
        "",
        "",
    )
    assert subscriber.responsible_phone == "+77011234567"
    assert subscriber.members.get().user == newcomer
    assert subscriber.members.get().role == MemberRole.OWNER
    assert SubscriberStateChange.objects.filter(subscriber=subscriber, event="registered").exists()
    assert AuditEntry.objects.filter(subscriber=subscriber, action="subscriber.register").exists()


def test_entrepreneur_needs_a_name_and_iin(client, newcomer):
    data = {
        "legal_form": LegalForm.ENTREPRENEUR,
        "iin": valid_iin(),
        "main_activity": "Торговля",
        "person_full_name": "Иванова Ольга Петровна",
        "address": "г. Шымкент, ул. Байтурсынова, 14",
    }
    response = _post(client, data)
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Обязательно для этой организационно-правовой формы."
    ]
    assert not Subscriber.objects.exists()
    response = _post(client, {**data, "name": "ИП «Иванова»"})
    assert response.status_code == 302
    assert Subscriber.objects.get().name == "ИП «Иванова»"


def test_legal_entity_needs_bin_director_and_registered_address(client, newcomer):
    response = _post(client, {"legal_form": LegalForm.LEGAL_ENTITY, "name": "ТОО «Ромашка»"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"bin", "main_activity", "person_full_name", "address"}
    assert not Subscriber.objects.exists()
    bin_ = valid_bin()
    response = _post(
        client,
        {
            "legal_form": LegalForm.LEGAL_ENTITY,
            "name": "ТОО «Ромашка»",
            "bin": bin_,
            "main_activity": "Оптовая торговля",
            "person_full_name": "Жумабеков Ерлан Серикович",
            "address": "г. Астана, пр. Мангилик Ел, 55",
        },
    )
    assert response.status_code == 302
    assert Subscriber.objects.get().bin == bin_


def test_wrong_bin_gets_a_russian_error_and_nothing_is_stored(client, newcomer):
    bin_ = valid_bin()
    wrong = bin_[:-1] + str((int(bin_[-1]) + 1) % 10)
    response = _post(
        client,
        {
            "legal_form": LegalForm.LEGAL_ENTITY,
            "name": "ТОО «Ошибка»",
            "bin": wrong,
            "main_activity": "Услуги",
            "person_full_name": "Ким Виктор",
            "address": "г. Алматы",
        },
    )
    assert response.status_code == 200
    assert "неверная контрольная цифра" in response.context["form"].errors["bin"][0]
    assert not Subscriber.objects.exists()
    assert "неверная контрольная цифра" in response.content.decode()


def test_wrong_phone_is_refused(client, newcomer):
    response = _post(
        client,
        {
            "legal_form": LegalForm.INDIVIDUAL,
            "iin": valid_iin(),
            "main_activity": "Фриланс",
            "person_full_name": "Ли Марина",
            "address": "г. Алматы",
            "responsible_phone": "12345",
        },
    )
    assert "responsible_phone" in response.context["form"].errors
    assert not Subscriber.objects.exists()


def test_same_bin_cannot_register_twice(client, newcomer, subscriber):
    response = _post(
        client,
        {
            "legal_form": LegalForm.LEGAL_ENTITY,
            "name": "ТОО «Двойник»",
            "bin": subscriber.bin,
            "main_activity": "Услуги",
            "person_full_name": "Ким Виктор",
            "address": "г. Алматы",
        },
    )
    assert response.status_code == 200
    assert "уже зарегистрирован" in response.content.decode()
    assert Subscriber.objects.count() == 1


def test_person_without_subscriber_is_sent_to_registration(client, newcomer):
    response = client.get(reverse("subscribers:dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("subscribers:register")


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("subscribers:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_owner_updates_registration_data_but_not_the_legal_form(client, owner, subscriber):
    client.force_login(owner)
    response = client.post(
        reverse("subscribers:profile"),
        {
            "legal_form": LegalForm.INDIVIDUAL,
            "name": subscriber.name,
            "bin": subscriber.bin,
            "main_activity": "Новая деятельность",
            "person_full_name": subscriber.person_full_name,
            "address": "г. Астана, новый адрес",
            "responsible_full_name": subscriber.responsible_full_name,
            "responsible_email": subscriber.responsible_email,
            "responsible_phone": subscriber.responsible_phone,
        },
    )
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.legal_form == LegalForm.LEGAL_ENTITY
    assert subscriber.address == "г. Астана, новый адрес"
    entry = AuditEntry.objects.get(action="subscriber.update")
    assert set(entry.data["changed"]) == {"main_activity", "address"}


def test_plain_member_sees_data_but_cannot_change_it(client, member, subscriber):
    client.force_login(member)
    response = client.post(reverse("subscribers:profile"), {"address": "взлом"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.address != "взлом"
    assert response.context["form"] is None

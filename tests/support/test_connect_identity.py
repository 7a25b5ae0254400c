"""1C-Connect identity and hostile inputs (issue 11, items 6 and 7): a client acts as a member only
once bound — by a one-time code from the panel or by staff — and a dialog stays with its client."""

import json

import pytest
from django.urls import reverse

from onebuh.webhooks import signed_headers
from support.models import ConnectClient, InboundMessage, SenderCheck, Ticket

pytestmark = pytest.mark.django_db
Outcome = InboundMessage.Outcome


def post(client, payload, *, raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(payload).encode()
    return client.post(
        reverse("support_webhooks:connect"),
        body,
        content_type="application/json",
        **signed_headers(body=body, secret="connect-secret"),
    )


def message(message_id, text, *, client_id="c-1", dialog="d-1", **client_data):
    return {
        "message_id": message_id,
        "dialog_id": dialog,
        "text": text,
        "client": {"id": client_id, "name": "Айгерим", **client_data},
    }


def test_the_member_binds_the_chat_with_a_code_from_the_panel(client, owner, subscriber):
    client.force_login(owner)
    url = reverse("support:connect")
    assert client.get(url).status_code == 200
    page = client.post(url).content.decode()
    code = page.split('class="mono">')[1].split("<")[0]
    assert len(code) == 9 and code[4] == "-"
    client.logout()
    response = post(client, message("m-1", f"  {code.lower()} "))
    assert response.status_code == 201 and response.json()["outcome"] == Outcome.BOUND
    bound = ConnectClient.objects.get(external_id="c-1")
    assert (bound.member, bound.subscriber, bound.bound_via) == (owner, subscriber, "code")
    # Used once: another client sending the same code binds nothing.
    assert post(client, message("m-2", code, client_id="c-2")).json()["outcome"] == "rejected"
    assert not ConnectClient.objects.get(external_id="c-2").is_bound
    opened = post(client, message("m-3", "База не открывается"))
    ticket = Ticket.objects.get(pk=opened.json()["ticket"])
    assert (ticket.opened_by, ticket.sender_check) == (owner, SenderCheck.VERIFIED)
    client.force_login(owner)
    assert "Айгерим" in client.get(url).content.decode()


def test_an_unbound_client_naming_the_owner_opens_an_unverified_ticket(client, owner, subscriber):
    response = post(client, message("m-1", "Дайте доступ outsider", email=owner.email))
    assert response.json()["outcome"] == Outcome.UNVERIFIED
    ticket = Ticket.objects.get()
    assert (ticket.subscriber, ticket.opened_by) == (subscriber, None)
    assert ticket.sender_check == SenderCheck.UNVERIFIED


def test_a_dialog_stays_with_the_client_that_opened_it(client, owner):
    post(client, message("m-1", "Первое", email=owner.email))
    ticket = Ticket.objects.get()
    other = post(
        client, message("m-2", "Чужое в том же диалоге", client_id="c-evil", email=owner.email)
    )
    assert other.json()["ticket"] != ticket.pk
    assert ticket.messages.count() == 1
    post(client, message("m-3", "Продолжение", email=owner.email))
    assert ticket.messages.count() == 2


def test_staff_confirm_a_client_in_the_admin(client, owner, staff_client, operator_engineer):
    post(client, message("m-1", "Вопрос", email=owner.email))
    connect_client = ConnectClient.objects.get()
    admin = staff_client(operator_engineer)
    changelist = reverse("admin:support_connectclient_changelist")
    assert admin.get(changelist).status_code == 200
    admin.post(changelist, {"action": "confirm_declared", "_selected_action": [connect_client.pk]})
    connect_client.refresh_from_db()
    assert (connect_client.member, connect_client.bound_via) == (owner, "staff")
    assert connect_client.bound_by == operator_engineer


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (message("x" * 501, "текст"), "message_id"),
        (message("m-1", "текст", dialog="d" * 101), "dialog_id"),
        (message("m-1", "текст", client_id="c" * 101), "client.id"),
        (message("m-1", {"nested": "object"}), "text"),
        (message("m-1", ["list"]), "text"),
        ({"message_id": "m-1", "dialog_id": "d-1", "text": "без клиента"}, "client.id"),
        ([1, 2, 3], "JSON"),
        (message("m-1", "x" * 100_001), "длинный"),
    ],
    ids=[
        "long-message-id",
        "long-dialog",
        "long-client-id",
        "dict-text",
        "list-text",
        "no-client",
        "not-object",
        "huge-text",
    ],
)
def test_hostile_connect_payloads_are_refused_in_russian_and_store_nothing(
    client, owner, payload, fragment
):
    response = post(client, payload)
    assert response.status_code == 400 and fragment in response.json()["detail"]
    assert not InboundMessage.objects.exists() and not Ticket.objects.exists()


def test_deeply_nested_json_is_a_400_not_a_500(client):
    assert post(client, None, raw=b"[" * 100_000 + b"]" * 100_000).status_code == 400


def test_control_characters_in_connect_text_are_stripped(client, owner):
    response = post(client, message("m-\x00-1", "До\x00после\x07", email=owner.email))
    assert response.status_code == 201
    assert Ticket.objects.get().messages.get().body == "Допосле"

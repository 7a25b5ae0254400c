"""Desk journey: a partner firm's consultant (4.1, issue 13) signs in and finds only his firm's
subscriber, its infobase and its ticket; another firm's subscriber, infobase and ticket answer
404 by their URLs, and the autocompletes never offer them."""

import re

from django.urls import reverse

from .helpers import E2E, desk_page

JOURNEY = "desk-consultant"
# The 404s the journey asks for are logged by the browser as failed loads.
EXPECTED_CONSOLE = r"status of 404 \(Not Found\)"

pytestmark = E2E


def rows(page) -> list[str]:
    return page.locator("#result_list tbody tr").all_inner_texts()


def test_consultant_sees_only_his_firms_subscribers_and_nothing_of_another_firm(
    open_page, shot, desk_world, partner_consultant
):
    world = desk_world
    page = desk_page(open_page, partner_consultant)
    shot(page, "admin-index")

    # The queue: his firm's ticket only — not another firm's, not the operator's technical ones.
    page.get_by_role("link", name="Обращения").first.click()
    page.wait_for_url(re.compile(r"/admin/support/ticket/"))
    assert [r for r in rows(page) if "Как закрыть месяц" in r] and len(rows(page)) == 1
    queue = page.locator("#result_list").inner_text()
    for foreign in ("Чужой вопрос", "Не открывается база", "Ничей вопрос"):
        assert foreign not in queue
    shot(page, "queue-own-firm-only")
    page.get_by_role("link", name="Все обращения").click()
    page.wait_for_url(re.compile(r"queue=all"))
    assert len(rows(page)) == 1

    # Subscribers and infobases: his firm's subscriber only.
    page.goto(reverse("admin:subscribers_subscriber_changelist"))
    assert len(rows(page)) == 1 and "ИП «Свой клиент»" in rows(page)[0]
    shot(page, "subscribers-own-firm-only")
    page.goto(reverse("admin:infobases_infobase_changelist"))
    assert len(rows(page)) == 1 and "Бухгалтерия ИП «Свой клиент»" in rows(page)[0]
    shot(page, "infobases-own-firm-only")

    # His firm's ticket: he takes it himself from the assignee box (his firm's people only).
    page.goto(reverse("admin:support_ticket_changelist"))
    page.get_by_role("link", name="Как закрыть месяц в 1С").click()
    page.wait_for_url(re.compile(rf"/ticket/{world.mine_ticket.pk}/change/"))
    assignee = page.locator("select#id_assignee")
    assert assignee.locator("option").all_inner_texts() == ["---------", str(partner_consultant)]
    assignee.select_option(label=str(partner_consultant))
    shot(page, "own-ticket-assign-himself")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/support/ticket/(\?.*)?$"))
    world.mine_ticket.refresh_from_db()
    assert world.mine_ticket.assignee == partner_consultant

    # His own subscriber, an entrepreneur: whom to talk to, never the ИИН or home address.
    page.goto(reverse("admin:subscribers_subscriber_changelist"))
    page.get_by_role("link", name="ИП «Свой клиент»").click()
    page.wait_for_url(re.compile(rf"/subscriber/{world.mine.pk}/change/$"))
    content = page.locator("#content").inner_text()
    assert world.mine.responsible_email in content
    assert world.mine.iin not in page.content() and world.mine.address not in page.content()
    shot(page, "own-subscriber-without-iin-and-address")

    # Another firm's (and nobody's) objects by their URLs: 404, the same as a missing id.
    foreign = {
        "subscriber": reverse("admin:subscribers_subscriber_change", args=[world.theirs.pk]),
        "unassigned-subscriber": reverse(
            "admin:subscribers_subscriber_change", args=[world.loose.pk]
        ),
        "infobase": reverse("admin:infobases_infobase_change", args=[world.theirs_infobase.pk]),
        "ticket": reverse("admin:support_ticket_change", args=[world.theirs_question.pk]),
        "ticket-reply": reverse("admin:support_ticket_reply", args=[world.theirs_question.pk]),
        "technical-ticket": reverse("admin:support_ticket_change", args=[world.theirs_outage.pk]),
        "missing-ticket": reverse("admin:support_ticket_change", args=[987654]),
    }
    for name, url in foreign.items():
        response = page.goto(url)
        assert response.status == 404, (name, url, response.status)
        assert "Чужой" not in page.content() and "Ничей" not in page.content()
        if name in ("subscriber", "infobase", "ticket"):
            shot(page, f"another-firms-{name}-404")

    # Autocompletes: a subscriber's box offers his firm's subscriber only (asked for another
    # firm's name it finds nothing); the staff list is not his to search (403).
    autocomplete = reverse("admin:autocomplete")
    subscriber_box = {
        "app_label": "support",
        "model_name": "partnerassignment",
        "field_name": "subscriber",
    }
    for term, expected in (("Чужой", []), ("Ничей", []), ("клиент", ["ИП «Свой клиент»"])):
        response = page.request.get(autocomplete, params={**subscriber_box, "term": term})
        assert response.status == 200, term
        assert [r["text"] for r in response.json()["results"]] == expected, term
    response = page.request.get(
        autocomplete,
        params={
            "app_label": "infobases",
            "model_name": "infobase",
            "field_name": "subscriber",
            "term": "Чужой",
        },
    )
    assert (response.status, response.json()["results"]) == (200, [])
    staff_box = {"app_label": "support", "model_name": "ticket", "field_name": "assignee"}
    response = page.request.get(autocomplete, params={**staff_box, "term": "a"})
    assert response.status == 403

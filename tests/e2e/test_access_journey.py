"""Journey 6 (issue 14): the owner adds a base and has full rights to it at once; the 1C
password is never mailed: he sees it once in the panel (an expiring one-time reveal), copies
the connection string, downloads the .v8i; a colleague given access sets her own password.
Screenshots of each step at 1366 and 375 px."""

import hashlib
import re

from django.core import mail

from infobases.models import Infobase, InfobaseAccess, InfobaseStatus
from infobases.provisioning.local import LocalDriver
from tests.infobases.factories import ReleaseFactory, SolutionFactory, give_tariff

from .helpers import E2E, sign_in, submit

JOURNEY = "6-access"

pytestmark = E2E


def _both(shot, page, name: str) -> None:
    """The step as seen on a desktop (1366 px) and on a phone (375 px)."""
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        shot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_creator_has_access_sees_the_password_once_and_a_colleague_sets_her_own(
    open_page, shot, owner, subscriber, member
):
    give_tariff(subscriber)
    solution = SolutionFactory(name="Бухгалтерия для Казахстана", demo_template="")
    ReleaseFactory(solution=solution, version="3.0.45.1")

    page = open_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, owner.email)
    page.goto("/apps/add/")
    page.get_by_label("Решение").select_option(label="Бухгалтерия для Казахстана")
    page.get_by_label("Название").fill("Бухгалтерия ТОО")
    submit(page)
    infobase = Infobase.objects.get(subscriber=subscriber)
    page.wait_for_url(re.compile(rf"/apps/{infobase.pk}/$"))
    infobase.refresh_from_db()
    assert infobase.status == InfobaseStatus.READY, infobase.status_message

    # The creator has full rights at once; the card names his login and offers the password.
    access = InfobaseAccess.objects.get(infobase=infobase, membership__user=owner)
    assert access.role == "full"
    card = page.locator("main").inner_text()
    assert access.login in card and "Доступа пока ни у кого нет" not in card
    assert "из письма" not in card
    _both(shot, page, "card-with-access")
    for message in mail.outbox:
        assert "Пароль:" not in message.body

    # Copy the thin client's connection string: the button says it did.
    copy = page.locator("dd", has_text='ws="').get_by_role("button", name="Копировать")
    copy.click()
    page.get_by_role("button", name="Скопировано").first.wait_for()

    # The one-time reveal (the confirm dialog is accepted).
    page.get_by_role("link", name="Показать или задать пароль").click()
    _both(shot, page, "password-page")
    page.get_by_role("button", name="Показать пароль один раз").click()
    page.wait_for_load_state()
    password = page.locator("#revealed-password").inner_text().strip()
    one_c = LocalDriver().meta(infobase.ref)["users"][access.login]
    assert one_c["password_sha256"] == _sha(password)
    _both(shot, page, "password-shown-once")
    page.get_by_role("link", name="Готово, я сохранил(а) пароль").click()
    page.get_by_role("link", name=re.compile("Пароль 1С: задать свой")).click()
    assert page.get_by_role("button", name="Показать пароль один раз").count() == 0
    assert password not in page.content()

    # The thin client's list file for this base.
    page.goto(infobase.get_absolute_url())
    with page.expect_download() as info:
        page.get_by_role("link", name="Скачать файл .v8i").click()
    text = info.value.path().read_text(encoding="utf-8-sig")
    assert f'/{infobase.ref}";' in text and "[Бухгалтерия ТОО]" in text

    # A colleague is given access: her email has the login and the way to the password only.
    page.goto("/apps/access/")
    row = page.locator("tr", has_text=member.display_name)
    row.locator("select[name=role]").select_option("user")
    row.get_by_role("button", name="Дать доступ").click()
    page.wait_for_load_state()
    (letter,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "/password/" in letter.body and "Пароль:" not in letter.body

    colleague = open_page()
    colleague.set_viewport_size({"width": 1366, "height": 900})
    sign_in(colleague, member.email)
    colleague.goto(f"/apps/{infobase.pk}/password/")
    colleague.get_by_label("Новый пароль 1С").fill("Svoi-parol-2026")
    colleague.get_by_label("Пароль ещё раз").fill("Svoi-parol-2026")
    _both(shot, colleague, "colleague-sets-her-password")
    colleague.get_by_role("button", name="Задать пароль").click()
    colleague.wait_for_load_state()
    her = InfobaseAccess.objects.get(infobase=infobase, membership__user=member)
    one_c = LocalDriver().meta(infobase.ref)["users"][her.login]
    assert one_c["password_sha256"] == _sha("Svoi-parol-2026")
    assert her.password_sealed == ""
    _both(shot, colleague, "colleague-card")

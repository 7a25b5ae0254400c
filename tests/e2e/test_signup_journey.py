"""Journey 1: a legal entity signs up, verifies the email, registers with its БИН, signs in."""

import re

from django.core import mail

from subscribers.models import LegalForm, MemberRole, Subscriber, User
from tests.factories import valid_bin

from .helpers import E2E, link_in_email, sign_in, submit

JOURNEY = "1-signup"
EMAIL = "director@kaspiy-trade.kz"
NEW_PASSWORD = "Kaspiy-Trade-2026!"

pytestmark = E2E


def wrong_control_digit(number: str) -> str:
    return number[:11] + str((int(number[11]) + 1) % 10)


def test_legal_entity_signs_up_verifies_email_and_signs_in(open_page, shot):
    page = open_page()
    page.goto("/")
    assert re.search(r"/accounts/login/", page.url), "the panel is closed to strangers"
    page.get_by_role("link", name="Регистрация").click()
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    # The terms the customer is bound by are on the form: readable, and accepted explicitly.
    terms_link = page.locator("label[for=id_accept_terms] a")
    assert terms_link.get_attribute("href").startswith("/terms/")
    page.get_by_label(re.compile("принимаю условия")).check()
    shot(page, "signup-form")
    submit(page)
    assert "/accounts/confirm-email/" in page.url
    shot(page, "verification-sent")
    user = User.objects.get(email=EMAIL)
    assert not user.emailaddress_set.get().verified
    assert user.terms_acceptances.get().accepted_at_signup is not None

    # The verification email: follow its link in the same browser and confirm.
    (message,) = [m for m in mail.outbox if EMAIL in m.to]
    page.goto(link_in_email(message, "/accounts/confirm-email/"))
    shot(page, "confirm-email")
    submit(page)
    assert user.emailaddress_set.get().verified

    # Verified and signed in, the person is asked for the subscriber's 2.2 data.
    page.wait_for_url(re.compile(r"/register/"))
    page.get_by_label("Юридическое лицо").check()
    assert page.locator("[data-field=iin]").is_hidden(), "a legal entity gives a БИН, not an ИИН"
    good_bin = valid_bin()
    page.fill("input[name=name]", "ТОО «Каспий Трейд»")
    page.fill("input[name=bin]", wrong_control_digit(good_bin))
    page.fill("input[name=main_activity]", "Оптовая торговля продуктами питания")
    page.fill("input[name=person_full_name]", "Сапаров Нурлан Ерикович")
    page.fill("[name=address]", "г. Актау, 14 мкр., д. 5")
    page.fill("input[name=responsible_full_name]", "Ахметова Айгерим Болатовна")
    page.fill("input[name=responsible_phone]", "+7 701 555 12 34")
    submit(page, "#subscriber-form")

    # A wrong БИН is refused with a Russian message and nothing is stored.
    error = page.locator("[data-field=bin] .error")
    assert error.inner_text() == "БИН: неверная контрольная цифра, проверьте номер."
    assert not Subscriber.objects.exists()
    shot(page, "wrong-bin-refused")

    page.fill("input[name=bin]", good_bin)
    submit(page, "#subscriber-form")
    page.wait_for_url(re.compile(r"/$"))
    subscriber = Subscriber.objects.get()
    assert (subscriber.legal_form, subscriber.bin) == (LegalForm.LEGAL_ENTITY, good_bin)
    assert subscriber.members.get().role == MemberRole.OWNER
    assert page.locator("h1").inner_text() == "ТОО «Каспий Трейд»"
    shot(page, "registered-dashboard")

    # Sign out, then back in with the email and password.
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url or page.get_by_role("link", name="Войти").is_visible()
    sign_in(page, EMAIL, NEW_PASSWORD)
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("h1").inner_text() == "ТОО «Каспий Трейд»"
    assert good_bin in page.locator(".facts").first.inner_text()
    shot(page, "signed-in-dashboard")

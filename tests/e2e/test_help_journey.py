"""Journey: a visitor who is not signed in finds the answer in the public help by typing words
in other forms than the article's («тонкий клиент» → «…в тонком клиенте»), opens it and follows
its link; a signed-in owner writing a ticket sees the right article first among the
suggestions — at 1366 and at 375 px."""

from support import demo

from .helpers import E2E, sign_in

JOURNEY = "8-help"
THIN_CLIENT = "Не открывается база в тонком клиенте"

pytestmark = E2E


def _search_as_visitor(open_page, shot, width):
    page = open_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")  # signed out: the panel sends the visitor to sign in; the footer has help
    page.get_by_role("link", name="Помощь").click()
    page.wait_for_url("**/help/")
    assert page.get_by_role("heading", name="Начало работы").is_visible()
    shot(page, f"{width}-help-sections")
    page.get_by_label("Поиск по справке").fill("тонкий клиент")
    page.get_by_role("button", name="Найти").click()
    page.wait_for_load_state()
    results = page.locator(".help-results li a")
    assert results.first.inner_text() == THIN_CLIENT
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"{width}-search-results")
    results.first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=THIN_CLIENT).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"{width}-article")
    # The article's link to the panel works (signed out: the sign-in page first).
    page.locator(".help-article a", has_text="Приложения 1С").click()
    page.wait_for_url("**/accounts/login/?next=/apps/")


def _suggestions_on_the_ticket_form(open_page, shot, owner, width):
    page = open_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, owner.email)
    page.goto("/support/new/")
    page.get_by_label("Тема").press_sequentially("Не открывается база в тонком клиенте", delay=5)
    suggestions = page.locator("#article-suggestions li a")
    suggestions.first.wait_for()
    assert suggestions.first.inner_text() == THIN_CLIENT
    assert suggestions.count() > 1  # ranked among others, not alone
    shot(page, f"{width}-ticket-form-suggestions")


def test_public_help_search_and_ticket_form_suggestions(open_page, shot, owner):
    demo.seed(log=lambda *args: None)
    for width in (1366, 375):
        _search_as_visitor(open_page, shot, width)
        _suggestions_on_the_ticket_form(open_page, shot, owner, width)

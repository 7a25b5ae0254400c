"""Journey: a developer without an account finds the API (issue 14): the Russian landing page
/api/, then Swagger UI and Redoc with the Russian descriptions, at 1366 and at 375 px — all from
the portal's own static files (the Content-Security-Policy would refuse anything else)."""

import pytest

from .helpers import E2E

JOURNEY = "api-docs"
# Redoc's side menu always asks for its maker's logo from cdn.redoc.ly; the portal's
# Content-Security-Policy refuses it (nothing leaves the portal) and Chromium logs the refusal.
EXPECTED_CONSOLE = r"cdn\.redoc\.ly/redoc/logo-mini\.svg.*Content Security Policy"
pytestmark = E2E


@pytest.mark.parametrize("width", [1366, 375])
def test_a_visitor_reads_the_api_landing_page_and_its_documentation(open_page, shot, width):
    page = open_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/api/")
    assert page.get_by_role("heading", name="API ONEbuh").is_visible()
    assert page.get_by_role("heading", name="Как получить токен").is_visible()
    assert "Authorization: Bearer obk_" in page.locator("pre.code").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"{width}-landing")

    page.get_by_role("link", name="Swagger UI").click()
    page.wait_for_selector(".swagger-ui .opblock-tag")
    swagger = page.locator(".swagger-ui")
    tags = [text.split("\n")[0] for text in swagger.locator(".opblock-tag").all_inner_texts()]
    assert "Информационные базы" in tags
    assert swagger.get_by_text("Переименовать информационную базу").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"{width}-swagger")

    page.goto("/api/redoc/")
    page.locator(".api-content").wait_for()
    assert page.get_by_text("Обращения в поддержку: открыть").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"{width}-redoc")

"""/api/: the API's Russian landing page, public, pointing to the docs, the schema and the
token page, with the authentication header, the configured limits and the error format."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_visitor_finds_the_docs_the_schema_and_how_to_get_a_token(client):
    response = client.get("/api/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>API ONEbuh</h1>" in page
    for url in (
        reverse("api_public:swagger"),
        reverse("api_public:redoc"),
        reverse("api_public:schema"),
        reverse("apitokens:index"),
        reverse("support:tokens"),
    ):
        assert f'href="{url}' in page, url
    assert "Как получить токен" in page
    assert 'curl -H "Authorization: Bearer obk_…" http://testserver/api/v1/me/' in page
    # The limits as configured, the error shape with a real Russian message, every code.
    assert "120 запросов в минуту на токен" in page
    assert "300 запросов в минуту с адреса клиента" in page
    assert "&quot;code&quot;: &quot;invalid&quot;" in page and "Обязательное поле." in page
    for code in ("400", "401", "403", "404", "409", "415", "429"):
        assert f'<td class="mono">{code}</td>' in page, code
    assert "Информационные базы" in page and "Резервные копии" in page


def test_the_limits_shown_follow_the_settings(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": "61/min", "api_ip": "1000/hour"},
    }
    page = client.get("/api/").content.decode()
    assert "61 запрос в минуту на токен" in page
    assert "1000 запросов в час с адреса клиента" in page


def test_the_page_loads_nothing_from_elsewhere(client, owner):
    client.force_login(owner)
    page = client.get("/api/").content.decode()
    assert 'src="http' not in page and 'href="http' not in page

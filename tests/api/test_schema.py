"""The OpenAPI schema validates without warnings and the documentation pages use local files."""

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/infobases/{id}/:" in text and "bearer" in text


def test_schema_is_served_and_documents_the_error_shape(client):
    schema = client.get(reverse("api_public:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/tickets/"]["post"]
    assert {"201", "400", "401", "403", "404", "415", "429"} <= set(operation["responses"])
    assert "ApiToken" in schema["components"]["securitySchemes"]


@pytest.mark.parametrize("name", ["api_public:swagger", "api_public:redoc"])
def test_documentation_pages_load_only_local_static_files(client, name):
    page = client.get(reverse(name)).content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn." not in page and "unpkg" not in page and "https://" not in page
    script = (
        "swagger-ui-dist/swagger-ui-bundle.js"
        if "swagger" in name
        else "redoc/bundles/redoc.standalone.js"
    )
    assert client.get(f"/static/drf_spectacular_sidecar/{script}").status_code == 200


def test_unknown_paths_and_wrong_id_types_answer_json_404(owner_api):
    for url in ("/api/v1/infobases/abc/", "/api/v1/nothing/"):
        response = owner_api.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"

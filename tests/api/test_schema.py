"""The OpenAPI schema validates without warnings, is in Russian, documents every answer an
operation can give, and the documentation pages use local files."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/infobases/{id}/:" in text and "bearer" in text


def test_schema_is_served_and_documents_the_error_shape(client):
    schema = client.get(reverse("api_public:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/tickets/"]["post"]
    assert {"201", "400", "401", "403", "404", "409", "415", "429"} <= set(operation["responses"])
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


def test_every_operation_is_described_in_russian(schema):
    missing = []
    for label, operation in _operations(schema):
        for key in ("summary", "description"):
            if not CYRILLIC.search(str(operation.get(key, ""))):
                missing.append(f"{label}: {key} {operation.get(key)!r}")
        if not operation.get("tags") or not all(CYRILLIC.search(t) for t in operation["tags"]):
            missing.append(f"{label}: tags {operation.get('tags')!r}")
        for code, response in operation["responses"].items():
            if not CYRILLIC.search(response.get("description", "")):
                missing.append(f"{label}: answer {code} {response.get('description')!r}")
    assert not missing, "\n".join(missing)
    assert len(list(_operations(schema))) >= 44


def test_the_document_its_tags_and_error_shape_are_in_russian(schema):
    assert CYRILLIC.search(schema["info"]["title"] + schema["info"]["description"])
    assert "/api-tokens/" in schema["info"]["description"]
    assert "120 запросов в минуту" in schema["info"]["description"]
    used = {tag for _label, operation in _operations(schema) for tag in operation["tags"]}
    assert {tag["name"] for tag in schema["tags"]} == used
    assert all(CYRILLIC.search(tag["description"]) for tag in schema["tags"])
    fields = schema["components"]["schemas"]["ErrorBody"]["properties"]
    assert all(CYRILLIC.search(field["description"]) for field in fields.values())


ERROR = {"$ref": "#/components/schemas/Error"}


def test_errors_are_documented_wherever_they_can_occur(schema):
    for label, operation in _operations(schema):
        responses = operation["responses"]
        path = label.split(" ", 1)[1]
        if path.startswith("/api/v1/") and path != "/api/v1/status/":
            expected = {"400", "401", "403", "404", "429"}
            if not label.startswith("GET"):
                expected.add("409")
            assert expected <= set(responses), label
        for code in [c for c in responses if c >= "400"]:
            assert responses[code]["content"]["application/json"]["schema"] == ERROR, label
        assert "Retry-After" in responses["429"]["headers"], label
    status = dict(_operations(schema))["GET /api/v1/status/"]
    assert set(status["responses"]) == {"200", "429"} and not status.get("security")


def test_the_1c_form_documents_its_401_and_its_token(schema):
    operation = schema["paths"]["/api/1c/tickets/"]["post"]
    assert {"201", "400", "401", "409", "415", "429"} <= set(operation["responses"])
    assert operation["security"] == [{"OneCFormToken": []}]


def test_files_are_documented_with_the_types_they_are_served_as(schema):
    attachment = schema["paths"]["/api/v1/attachments/{id}/"]["get"]["responses"]
    types = set(attachment["200"]["content"])
    assert {"application/pdf", "image/png", "text/plain", "application/octet-stream"} <= types
    assert attachment["200"]["content"]["application/pdf"]["schema"] == {
        "type": "string",
        "format": "binary",
    }
    pdf = schema["paths"]["/api/v1/invoices/{id}/pdf/"]["get"]["responses"]["200"]
    assert set(pdf["content"]) == {"application/pdf"}
    backup = schema["paths"]["/api/v1/backups/files/{token}/"]["get"]["responses"]
    assert set(backup["200"]["content"]) == {"application/octet-stream"}
    for responses in (attachment, backup):
        assert "Location" in responses["302"]["headers"]

"""The OpenAPI 3 schema: valid, complete (every endpoint, every body), and
its Swagger UI served by the app with no inline script and nothing from
another site."""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import URLResolver, reverse

from learning_platform import api as api_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(tmp_path) -> dict:
    out = tmp_path / "schema.json"
    # --validate checks the document against the OpenAPI 3 JSON schema;
    # --fail-on-warn fails on anything drf-spectacular could not describe.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", out
    )
    return json.loads(out.read_text())


def _schema_path(route: str) -> str:
    return "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _routes(patterns, prefix: str = ""):
    """Every route under /api/v1/, through the apps' included ``api_urls``."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_schema_validates_as_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Grains numériques API"


def test_schema_describes_every_endpoint(schema):
    routes = {_schema_path(r) for r in _routes(api_module.v1)}
    assert routes == set(schema["paths"])


def test_every_operation_describes_its_request_and_response_bodies(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success, (method, path)
            for code, response in responses.items():
                if code == "204":
                    assert "content" not in response
                    continue
                assert response["content"]["application/json"]["schema"], (method, path, code)
                if not code.startswith("2"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/Error", (method, path, code)
            assert "401" in responses and "429" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
    submit = schema["paths"]["/api/v1/attempts/{attempt_id}/submit/"]["post"]
    assert submit["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AttemptSubmitRequest"
    }
    assert {"200", "400", "401", "403", "404", "409", "415", "429"} <= set(submit["responses"])
    start = schema["paths"]["/api/v1/quizzes/{unit_id}/attempts/"]["post"]
    assert "requestBody" not in start and {"200", "201", "409"} <= set(start["responses"])
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"message", "errors"}


def test_schema_says_who_may_call_each_endpoint(schema):
    public = {"/api/v1/", "/api/v1/courses/", "/api/v1/courses/{slug}/"}
    public.add("/api/v1/competence-areas/")
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            anonymous_allowed = {} in operation["security"]
            assert anonymous_allowed == (path in public), path
            assert {"tokenAuth": []} in operation["security"]
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }


def test_the_schema_is_served(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/courses/" in json.loads(response.content)["paths"]


def test_the_docs_use_only_the_apps_own_script_and_style_files(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert len(scripts) == 3
    for attributes, body in scripts:
        assert 'src="' in attributes and body.strip() == ""
    assert "<style" not in page and " style=" not in page
    assert "http://" not in page and "https://" not in page  # no CDN, no font service
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        url = url.replace("&amp;", "&")
        asset = client.get(url)
        assert asset.status_code == 200, url
        if "script" in url:
            assert asset["Content-Type"].startswith("application/javascript")
            init = b"".join(asset.streaming_content) if asset.streaming else asset.content
            assert b"SwaggerUIBundle" in init and b"/api/schema/" in init

"""The OpenAPI schema and the offline documentation pages."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

EXTERNAL_URL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def test_schema_documents_every_endpoint_and_negotiation(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert set(schema["paths"]) >= {
        "/api/v1/",
        "/api/v1/articles/",
        "/api/v1/articles/{slug}/",
        "/api/v1/languages/",
        "/api/v1/topics/",
        "/api/v1/glossary/",
        "/api/v1/glossary/{slug}/",
    }
    detail = schema["paths"]["/api/v1/articles/{slug}/"]["get"]
    parameter_names = {parameter["name"] for parameter in detail["parameters"]}
    assert {"lang", "level", "Accept-Language", "If-None-Match", "If-Modified-Since"} <= parameter_names
    assert {"200", "304", "400", "404"} <= set(detail["responses"])
    assert {"ETag", "Content-Language", "Last-Modified"} <= set(detail["responses"]["200"]["headers"])
    listing = schema["paths"]["/api/v1/articles/"]["get"]
    assert {"topic", "level", "q", "updated_since", "page"} <= {p["name"] for p in listing["parameters"]}


def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--api-version", "v1", "--file", str(out))
    assert "/api/v1/articles/" in out.read_text()


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_pages_load_nothing_from_the_internet(client, path):
    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert not EXTERNAL_URL.search(html), EXTERNAL_URL.search(html)
    assert "fonts.googleapis" not in html
    for asset in re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html):
        assert client.get(asset).status_code == 200, asset

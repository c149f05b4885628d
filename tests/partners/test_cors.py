"""A partner's web page on another origin can read the API (GET, and the preflight for X-API-Key); never the admin."""

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db

ORIGIN = "https://portal.hospital.example"
EXPOSED = {"content-language", "etag", "last-modified", "ratelimit", "ratelimit-policy", "retry-after"}


def exposed(response):
    return {name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")}


def test_a_page_on_any_origin_can_read_fresh_and_stored_answers(client):
    article = make_article(slug="bone-sarcoma")
    fresh = client.get(f"/api/v1/articles/{article.slug}/", HTTP_ORIGIN=ORIGIN)
    stored = client.get(f"/api/v1/articles/{article.slug}/", HTTP_ORIGIN=ORIGIN)

    for response in (fresh, stored):
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert exposed(response) >= EXPOSED
        assert "Access-Control-Allow-Credentials" not in response


def test_the_preflight_for_a_keyed_get_is_allowed(client):
    response = client.options(
        "/api/v1/articles/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-api-key, if-none-match",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "x-api-key" in response["Access-Control-Allow-Headers"]
    assert set(response["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


def test_a_429_is_readable_by_the_page_too(client, settings):
    settings.BONECARE_ANONYMOUS_LIMIT = 1
    client.get("/api/v1/languages/", HTTP_ORIGIN=ORIGIN)

    refused = client.get("/api/v1/languages/", HTTP_ORIGIN=ORIGIN)

    assert refused.status_code == 429
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert "retry-after" in exposed(refused)


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/"])
def test_the_admin_never_answers_other_origins(client, path):
    get = client.get(path, HTTP_ORIGIN=ORIGIN)
    preflight = client.options(path, HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")

    for response in (get, preflight):
        assert not any(name.lower().startswith("access-control-") for name in response.headers)


def test_the_allowed_origins_can_be_narrowed(client, settings):
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]

    allowed = client.get("/api/v1/languages/", HTTP_ORIGIN=ORIGIN)
    other = client.get("/api/v1/languages/", HTTP_ORIGIN="https://elsewhere.example")

    assert allowed["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Origin" not in other


def test_the_origins_come_from_the_environment(monkeypatch):
    import importlib

    import bonecare.settings as module

    monkeypatch.setenv("BONECARE_CORS_ORIGINS", f"{ORIGIN}, https://app.charity.example")
    narrowed = importlib.reload(module)
    try:
        assert narrowed.CORS_ALLOW_ALL_ORIGINS is False
        assert narrowed.CORS_ALLOWED_ORIGINS == [ORIGIN, "https://app.charity.example"]
    finally:
        monkeypatch.delenv("BONECARE_CORS_ORIGINS")
        importlib.reload(module)

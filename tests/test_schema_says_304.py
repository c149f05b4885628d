"""The schema declares 304 and If-None-Match on exactly the endpoints that answer it, found by asking each one.

A generated client (openapi-python-client) raises UnexpectedStatus on a status
the schema does not declare, so a 304 the server sends but the schema omits
breaks every client that sends back the ETag it was given.
"""

import pytest
from django.utils import timezone

from content.models import AudioReading, Rendition

from tests.factories import make_article, make_term
from tests.openapi_contract import assert_matches_schema, published_schema

pytestmark = pytest.mark.django_db

# What fills each path parameter, and what each operation needs to answer 200.
REQUIRED_QUERY = {
    "/api/v1/search/": {"q": "bone"},
    "/api/v1/search/suggest/": {"q": "bo"},
    "/api/v1/infobutton/": {"mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90", "mainSearchCriteria.v.c": "C40",
                            "knowledgeResponseType": "application/json"},
}
SPOKEN_HASH = "a" * 64
NOT_JSON = {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"}


@pytest.fixture
def content():
    article = make_article("bone-sarcoma", languages=("en", "es"))
    # A reading as the audio queue leaves it (content/audio/), so the audio endpoints have a file to answer with.
    AudioReading.objects.create(
        rendition=Rendition.objects.filter(variant__article=article).first(), spoken_hash=SPOKEN_HASH, voice="en-us", content_type="audio/mpeg",
        data=b"\xff\xfb" + bytes(400), size=402, duration_ms=1000, words=[], synthesis_ms=1, made_at=timezone.now(),
    )
    make_term("biopsy", en=("biopsy", "A sample of tissue.", "A small piece."))


def concrete(path):
    path = path.replace("{spoken_hash}", SPOKEN_HASH)
    if "{slug}" not in path:
        return path
    return path.replace("{slug}", "biopsy" if path.startswith("/api/v1/glossary/") else "bone-sarcoma")


def get_operations():
    openapi = published_schema()
    return [(path, operations["get"]) for path, operations in openapi["paths"].items() if "get" in operations]


@pytest.mark.parametrize("path, operation", get_operations(), ids=[path for path, _ in get_operations()])
def test_an_endpoint_answers_304_exactly_when_its_schema_says_so(client, content, path, operation):
    if path in NOT_JSON:
        pytest.skip("the schema and its documentation pages are not content")
    url, query = concrete(path), REQUIRED_QUERY.get(path, {})
    first = client.get(url, {**query, "lang": "es"})
    assert first.status_code == 200, first.content[:300]

    again = client.get(url, {**query, "lang": "es"}, HTTP_IF_NONE_MATCH=first.get("ETag", '"none"'))

    declared = "304" in operation["responses"]
    headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
    assert (again.status_code == 304) == declared, f"{path} answered {again.status_code}; 304 declared: {declared}"
    assert ("If-None-Match" in headers) == declared
    if declared:
        assert_matches_schema(published_schema(), again, path)
        assert again["ETag"] == first["ETag"]


def test_every_content_endpoint_a_partner_caches_declares_304():
    declared = {path for path, operation in get_operations() if "304" in operation["responses"]}

    assert {
        "/api/v1/articles/", "/api/v1/articles/{slug}/", "/api/v1/glossary/", "/api/v1/glossary/{slug}/",
        "/api/v1/topics/", "/api/v1/languages/", "/api/v1/sync/", "/api/v1/bundle/", "/api/v1/search/",
    } <= declared

"""What the API promises is what it does: every kind of response, checked against the published schema."""

import pytest
from django.conf import settings

from content.delivery.preview import preview_token
from content.models import ArticleStatus
from tests.factories import make_article, make_term, make_topic, set_texts
from tests.openapi_contract import assert_matches_schema, published_schema, resolve

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
LEVELS = ["standard", "plain"]
# Each operation, and an address that answers 200 with the `content` fixture.
OPERATIONS = {
    "/api/v1/articles/": "/api/v1/articles/",
    "/api/v1/articles/{slug}/": "/api/v1/articles/everywhere/",
    "/api/v1/languages/": "/api/v1/languages/",
    "/api/v1/topics/": "/api/v1/topics/",
    "/api/v1/glossary/": "/api/v1/glossary/",
    "/api/v1/glossary/{slug}/": "/api/v1/glossary/biopsy/",
}


@pytest.fixture(scope="module")
def openapi():
    return published_schema()


@pytest.fixture
def content():
    """Published articles in every language, in English only, and with only a French title; a draft; a term."""
    topic = make_topic("surgery", name="Surgery", name_es="Cirugía")
    everywhere = make_article("everywhere", topic=topic, languages=LANGUAGES, reviewed=("en", "es"))
    make_article("english-only", topic=topic, languages=("en",))
    partly = make_article("partly-french", topic=topic, languages=("en",))
    variant = partly.variants.get(level="standard")
    set_texts(variant, "fr", title="Titre en français")
    variant.save()
    draft = make_article("a-draft", topic=topic, status=ArticleStatus.DRAFT)
    make_term(
        "biopsy",
        en=("biopsy", "Removal of tissue to examine it.", "Taking a small piece to test."),
        es=("biopsia", "Extracción de tejido para examinarlo.", "Sacar un trocito para analizarlo."),
    )
    return {"everywhere": everywhere, "draft": draft}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_articles_match_the_schema_in_every_language_and_level(client, openapi, content, language, level):
    query = {"lang": language, "level": level}

    listing = client.get("/api/v1/articles/", query)
    assert listing.status_code == 200
    assert {item["slug"] for item in listing.json()["results"]} == {"everywhere", "english-only", "partly-french"}
    assert_matches_schema(openapi, listing, "/api/v1/articles/")

    for slug in ("everywhere", "english-only", "partly-french"):
        detail = client.get(f"/api/v1/articles/{slug}/", query)
        assert detail.status_code == 200
        assert_matches_schema(openapi, detail, "/api/v1/articles/{slug}/")


def test_a_fallback_article_matches_the_schema_and_says_it_fell_back(client, openapi, content):
    response = client.get("/api/v1/articles/english-only/", {"lang": "ar", "level": "plain"})

    assert response.json()["language"]["served"] == "en"
    assert response.json()["readability"]["language"] == "en"
    assert_matches_schema(openapi, response, "/api/v1/articles/{slug}/")


def test_readability_documents_what_a_long_word_is(client, openapi, content):
    response = client.get("/api/v1/articles/everywhere/", {"lang": "es"})

    assert "7 or more letters" in response.json()["readability"]["long_word_definition"]
    assert_matches_schema(openapi, response, "/api/v1/articles/{slug}/")


def test_a_preview_of_a_draft_matches_the_schema(client, openapi, content):
    response = client.get("/api/v1/articles/a-draft/", {"preview": preview_token(content["draft"])})

    assert response.json()["status"] == "draft"
    assert_matches_schema(openapi, response, "/api/v1/articles/{slug}/")


def test_not_modified_matches_the_schema(client, openapi, content):
    etag = client.get("/api/v1/articles/everywhere/")["ETag"]

    response = client.get("/api/v1/articles/everywhere/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert_matches_schema(openapi, response, "/api/v1/articles/{slug}/")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path, url",
    [
        ("/api/v1/languages/", "/api/v1/languages/"),
        ("/api/v1/topics/", "/api/v1/topics/"),
        ("/api/v1/glossary/", "/api/v1/glossary/"),
        ("/api/v1/glossary/{slug}/", "/api/v1/glossary/biopsy/"),
    ],
)
def test_reference_endpoints_match_the_schema(client, openapi, content, path, url, language):
    response = client.get(url, {"lang": language})

    assert response.status_code == 200
    assert response.json()
    assert_matches_schema(openapi, response, path)


@pytest.mark.parametrize(
    "path, url, query, status, code",
    [
        ("/api/v1/articles/", "/api/v1/articles/", {"lang": "xx"}, 400, "unsupported_language"),
        ("/api/v1/articles/", "/api/v1/articles/", {"level": "expert"}, 400, "unsupported_level"),
        ("/api/v1/articles/", "/api/v1/articles/", {"page": "0"}, 400, "invalid_page"),
        ("/api/v1/articles/", "/api/v1/articles/", {"page_size": "101"}, 400, "invalid_page_size"),
        ("/api/v1/articles/", "/api/v1/articles/", {"updated_since": "yesterday"}, 400, "invalid_parameter"),
        ("/api/v1/articles/", "/api/v1/articles/", {"page": "99"}, 404, "page_out_of_range"),
        ("/api/v1/articles/{slug}/", "/api/v1/articles/nothing-here/", {}, 404, "article_not_found"),
        ("/api/v1/articles/{slug}/", "/api/v1/articles/a-draft/", {"preview": "forged"}, 403, "invalid_preview_token"),
        ("/api/v1/articles/{slug}/", "/api/v1/articles/everywhere/", {"lang": "klingon"}, 400, "unsupported_language"),
        ("/api/v1/languages/", "/api/v1/languages/", {"level": "expert"}, 400, "unsupported_level"),
        ("/api/v1/topics/", "/api/v1/topics/", {"lang": "xx"}, 400, "unsupported_language"),
        ("/api/v1/glossary/", "/api/v1/glossary/", {"lang": "xx"}, 400, "unsupported_language"),
        ("/api/v1/glossary/", "/api/v1/glossary/", {"page": "0"}, 400, "invalid_page"),
        ("/api/v1/glossary/", "/api/v1/glossary/", {"page_size": "0"}, 400, "invalid_page_size"),
        ("/api/v1/glossary/", "/api/v1/glossary/", {"page": "99"}, 404, "page_out_of_range"),
        ("/api/v1/glossary/{slug}/", "/api/v1/glossary/no-such-term/", {}, 404, "glossary_term_not_found"),
    ],
)
def test_errors_match_the_schema(client, openapi, content, path, url, query, status, code):
    response = client.get(url, query)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert_matches_schema(openapi, response, path)


@pytest.mark.parametrize("path", OPERATIONS)
def test_asking_for_something_other_than_json_is_a_documented_406(client, openapi, content, path):
    response = client.get(OPERATIONS[path], HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"
    assert_matches_schema(openapi, response, path)


def test_an_undocumented_field_fails_the_contract(client, openapi, content, monkeypatch):
    """The check itself can fail: a field the schema does not name is caught."""
    from content.delivery.api import views

    article_details = views.article_details
    monkeypatch.setattr(
        views, "article_details", lambda *args: [{**body, "surprise": 1} for body in article_details(*args)]
    )
    response = client.get("/api/v1/articles/everywhere/")

    with pytest.raises(AssertionError, match="surprise"):
        assert_matches_schema(openapi, response, "/api/v1/articles/{slug}/")



def test_the_index_matches_the_schema(client, openapi):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert_matches_schema(openapi, response, "/api/v1/")
    assert client.get("/api/v1/", HTTP_ACCEPT="application/xml").status_code == 406
    assert_matches_schema(openapi, client.get("/api/v1/", HTTP_ACCEPT="application/xml"), "/api/v1/")


def test_lists_are_paginated_the_same_way_in_the_schema(openapi):
    def page_schema(path):
        ok = resolve(openapi, openapi["paths"][path]["get"]["responses"]["200"])
        body = resolve(openapi, ok["content"]["application/json"]["schema"])
        return {name: prop for name, prop in body["properties"].items() if name != "results"}, body["required"]

    assert page_schema("/api/v1/glossary/") == page_schema("/api/v1/articles/")
    assert set(page_schema("/api/v1/glossary/")[1]) == {"count", "results"}


@pytest.mark.parametrize(
    "component, fields",
    [
        ("Source", ["publisher", "url", "reviewed_by"]),
        ("Review", ["translated_by", "reviewed_by"]),
        ("TopicWithCount", ["description"]),
    ],
)
def test_absent_strings_are_documented_as_nullable(openapi, component, fields):
    properties = openapi["components"]["schemas"][component]["properties"]
    assert all(properties[name].get("nullable") is True for name in fields)


def parameter_schema(openapi, path, name):
    parameters = {parameter["name"]: parameter for parameter in openapi["paths"][path]["get"]["parameters"]}
    return resolve(openapi, parameters[name]["schema"])


@pytest.mark.parametrize("path", OPERATIONS)
def test_lang_and_level_are_documented_as_the_supported_values(openapi, path):
    assert parameter_schema(openapi, path, "lang")["enum"] == LANGUAGES
    assert sorted(parameter_schema(openapi, path, "level")["enum"]) == sorted(LEVELS)


@pytest.mark.parametrize("path", ["/api/v1/articles/", "/api/v1/glossary/"])
def test_paging_parameters_state_their_bounds(openapi, path):
    assert parameter_schema(openapi, path, "page") == {
        "type": "integer",
        "format": "int64",
        "minimum": 1,
        "default": 1,
    }
    assert parameter_schema(openapi, path, "page_size") == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 20,
    }


@pytest.mark.parametrize("path", OPERATIONS)
def test_every_documented_language_is_accepted_and_nothing_else(client, openapi, content, path):
    url = OPERATIONS[path]
    for code in parameter_schema(openapi, path, "lang")["enum"]:
        assert client.get(url, {"lang": code}).status_code == 200, code
    for outside in ("fr-CA", "zh-Hans-CN", "es_ES", "", "de", "EN", "zh-Hans"):
        response = client.get(url, {"lang": outside})
        assert response.status_code == 400, outside
        assert response.json()["error"]["details"]["supported"] == LANGUAGES


@pytest.mark.parametrize(
    "query, status",
    [
        ({"page": "1"}, 200),
        ({"page": "0"}, 400),
        ({"page_size": "1"}, 200),
        ({"page_size": "100"}, 200),
        ({"page_size": "0"}, 400),
        ({"page_size": "101"}, 400),
        ({"q": "x" * 200}, 200),
        ({"q": "x" * 201}, 400),
    ],
)
def test_paging_and_search_bounds_are_the_documented_ones(client, content, query, status):
    assert client.get("/api/v1/articles/", query).status_code == status


@pytest.mark.parametrize("language", LANGUAGES)
def test_sync_answers_match_the_schema(client, openapi, content, language):
    from content.editorial import services
    from content.models import Article

    initial = client.get("/api/v1/sync/", {"lang": language, "level": "plain"})
    assert_matches_schema(openapi, initial, "/api/v1/sync/")
    services.move_article(Article.objects.get(slug="everywhere"), ArticleStatus.ARCHIVED)
    delta = client.get("/api/v1/sync/", {"lang": language, "level": "plain", "cursor": initial.json()["cursor"]})
    assert delta.json()["tombstones"]
    assert_matches_schema(openapi, delta, "/api/v1/sync/")
    bad = client.get("/api/v1/sync/", {"cursor": "nonsense"})
    assert_matches_schema(openapi, bad, "/api/v1/sync/")

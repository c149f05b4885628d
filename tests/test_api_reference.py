"""Languages, topics and glossary endpoints."""

import pytest

from content.models import ArticleStatus
from tests.factories import make_article, make_term, make_topic

pytestmark = pytest.mark.django_db


def test_languages_list_names_directions_and_counts(client):
    make_article("a", languages=("en", "es", "ar"), reviewed=("en",))

    rows = {row["code"]: row for row in client.get("/api/v1/languages/").json()}

    assert list(rows) == ["en", "es", "fr", "zh-hans", "ar"]
    assert rows["ar"]["direction"] == "rtl"
    assert rows["ar"]["native_name"] == "العربيّة"
    assert rows["zh-hans"]["tag"] == "zh-Hans"
    assert rows["es"]["articles"] == 1
    assert rows["fr"]["articles"] == 0
    assert rows["en"]["levels"]["plain"] == {"articles": 1, "clinician_reviewed": 1, "clinician_reviewed_share": 1.0}
    assert rows["es"]["levels"]["plain"] == {"articles": 1, "clinician_reviewed": 0, "clinician_reviewed_share": 0.0}


def test_topics_are_named_in_the_negotiated_language(client):
    make_topic("surgery", name="Surgery", name_es="Cirugía")

    assert client.get("/api/v1/topics/", {"lang": "es"}).json()[0]["name"] == "Cirugía"
    assert client.get("/api/v1/topics/").json()[0]["name"] == "Surgery"


def test_glossary_term_in_negotiated_language_with_articles_using_it(client):
    make_term(
        "biopsy",
        en=("biopsy", "Removal of tissue to examine it.", "Taking a small piece to test."),
        es=("biopsia", "Extracción de tejido para examinarlo.", "Sacar un trocito para analizarlo."),
    )
    make_article("uses-it", languages=("en", "es"))
    make_article("draft-uses-it", status=ArticleStatus.DRAFT)

    body = client.get("/api/v1/glossary/biopsy/", {"lang": "es"}).json()

    assert body["term"] == "biopsia"
    assert body["language"]["served"] == "es"
    assert [article["slug"] for article in body["articles"]] == ["uses-it"]
    assert body["articles"][0]["languages"] == ["en", "es"]


def test_glossary_term_not_translated_falls_back_and_says_so(client):
    make_term("biopsy", en=("biopsy", "Removal of tissue.", "Taking a small piece."))

    body = client.get("/api/v1/glossary/", {"lang": "fr"}).json()["results"][0]

    assert body["term"] == "biopsy"
    assert body["language"]["served"] == "en"
    assert body["language"]["fell_back"] is True
    assert body["language"]["fallback_fields"] == ["definition", "plain_definition", "term"]


def test_unknown_glossary_term_is_a_json_404(client):
    for slug in ("no-such-term", "%00", "ostéo sarcome", "x" * 300):
        response = client.get(f"/api/v1/glossary/{slug}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "glossary_term_not_found"


def test_unknown_api_address_is_a_json_404(client):
    for path in ("/api/v1/nothing/", "/api/v2/articles/", "/api/v1/articles/a/b/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] in {"not_found", "article_not_found"}


def test_the_api_is_read_only(client):
    response = client.post("/api/v1/articles/", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


ODD_VALUES = [
    "\x00", "'; DROP TABLE content_article; --", "%", "😀", "ا" * 300, "x" * 5000, " ", "", "-1", "1e9", "²", "٣",
    "9" * 5000, "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
]
ENDPOINTS = ["/api/v1/articles/", "/api/v1/languages/", "/api/v1/topics/", "/api/v1/glossary/", "/api/v1/articles/a/"]
PARAMETERS = ["lang", "level", "q", "topic", "updated_since", "page", "page_size", "preview"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_odd_parameter_values_never_cause_a_server_error(client, endpoint):
    make_article("a")
    for name in PARAMETERS:
        for value in ODD_VALUES:
            response = client.get(endpoint, {name: value}, HTTP_ACCEPT_LANGUAGE=value[:100])
            assert response.status_code < 500, (endpoint, name, value[:20], response.status_code)
            if response.status_code >= 400:
                assert response.json()["error"]["code"]


@pytest.mark.parametrize("path", ["/api/v1/languages/", "/api/v1/topics/", "/api/v1/glossary/", "/api/v1/glossary/biopsy/"])
@pytest.mark.parametrize("article_count", [3, 15])
def test_reference_endpoints_use_a_fixed_number_of_queries(client, django_assert_max_num_queries, path, article_count):
    for number in range(article_count):
        make_term(f"term-{number}", en=(f"term {number}", "A definition.", "A plain one."))
        make_article(f"article-{number}", languages=("en", "es"))
    make_term("biopsy", en=("biopsy", "Removal of tissue.", "Taking a small piece."))

    # Built and stored; 8: a term's detail also reads its pronunciations (one query, however many terms there are).
    with django_assert_max_num_queries(8):
        first = client.get(path)
    assert first.status_code == 200
    with django_assert_max_num_queries(1):  # served from storage
        assert client.get(path).json() == first.json()

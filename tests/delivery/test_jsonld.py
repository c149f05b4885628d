"""`Accept: application/ld+json` on an article: a schema.org MedicalWebPage that a JSON-LD processor expands.

Every document is expanded with pyld, offline: schema.org's context comes from
content/delivery/schema_org_context.py through a document loader, and any
attempt to open a connection fails the test. The assertions read the
expanded terms (http://schema.org/...), as a partner's processor would.
"""

import json
import socket

import pytest
from pyld import jsonld

from content.delivery.jsonld import medical_web_page
from content.delivery.schema_org_context import SCHEMA_ORG_CONTEXT, offline_document_loader
from content.editorial import services
from content.models import Article, ArticleStatus, ReviewStatus, TranslationReview
from tests.factories import make_article, make_source
from tests.openapi_contract import closed, published_schema

pytestmark = pytest.mark.django_db

LD = "application/ld+json"
S = "http://schema.org/"


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("JSON-LD expansion tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def expanded(document):
    """The one node of the expanded document, keyed by full IRIs."""
    (node,) = jsonld.expand(document, {"documentLoader": offline_document_loader})
    return node


def values(node, term):
    return [item.get("@value", item.get("@id")) for item in node.get(S + term, [])]


def value(node, term):
    (only,) = values(node, term)
    return only


def terms_used(document):
    """Every term and type name in a compact document (not the @-keywords)."""
    if isinstance(document, list):
        return set().union(*(terms_used(item) for item in document)) if document else set()
    if not isinstance(document, dict):
        return set()
    used = {key for key in document if not key.startswith("@")}
    if "@type" in document:
        used.add(document["@type"])
    return used.union(*(terms_used(item) for key, item in document.items() if key != "@context"))


@pytest.fixture
def article():
    sources = [
        make_source(publisher="American Cancer Society", title="Bone Metastasis", url="https://example.org/bone-mets",
                    last_medical_review="2024-05-03"),
        make_source(publisher="", title="A hospital page"),
    ]
    return make_article("osteo", languages=("en", "es", "fr", "zh-hans", "ar"), sources=sources)


ASKED = [
    ("?lang=es&level=plain", {}, "es", "plain"),
    ("?lang=zh-hans", {}, "zh-Hans", "standard"),
    ("?level=plain", {"HTTP_ACCEPT_LANGUAGE": "ar-EG, en;q=0.5"}, "ar", "plain"),
    ("", {"HTTP_ACCEPT_LANGUAGE": "fr-CA"}, "fr", "standard"),
    ("", {}, "en", "standard"),
]


@pytest.mark.parametrize("query, headers, tag, level", ASKED)
def test_the_article_is_a_medical_web_page_in_the_served_language(client, no_network, article, query, headers, tag, level):
    as_json = client.get(f"/api/v1/articles/osteo/{query}", **headers).json()
    answer = client.get(f"/api/v1/articles/osteo/{query}", HTTP_ACCEPT=LD, **headers)

    assert answer.status_code == 200
    assert answer["Content-Type"] == LD
    assert answer["Content-Language"] == tag
    document = json.loads(answer.content)
    assert document["@context"] == "https://schema.org"
    node = expanded(document)
    assert node["@type"] == [S + "MedicalWebPage"]
    assert node["@id"] == as_json["url"] == value(node, "url")
    assert value(node, "inLanguage") == tag == as_json["language"]["tag"]
    assert value(node, "name") == as_json["title"]
    assert value(node, "description") == as_json["summary"]
    (audience,) = node[S + "audience"]
    assert audience["@type"] == [S + "MedicalAudience"] and value(audience, "audienceType") == "Patient"
    (reading_level,) = node[S + "educationalLevel"]
    assert value(reading_level, "termCode") == level == as_json["level"]["served"]
    assert node[S + "dateModified"] == [{"@type": S + "Date", "@value": as_json["updated_at"]}]
    # Nobody reviewed these texts: the page claims no review.
    assert S + "reviewedBy" not in node and S + "lastReviewed" not in node
    cited = {value(work, "name"): work for work in node[S + "isBasedOn"]}
    assert set(cited) == {"Bone Metastasis", "A hospital page"}
    acs = cited["Bone Metastasis"]
    assert value(acs["http://schema.org/publisher"][0], "name") == "American Cancer Society"
    assert value(acs, "url") == "https://example.org/bone-mets"
    assert value(acs, "dateModified") == "2024-05-03"
    assert value(acs, "creditText") == next(s["attribution"] for s in as_json["sources"] if s["title"] == "Bone Metastasis")
    assert S + "publisher" not in cited["A hospital page"]


def test_the_reading_level_is_named_in_the_served_language(client, article):
    spanish = json.loads(client.get("/api/v1/articles/osteo/?lang=es&level=plain", HTTP_ACCEPT=LD).content)
    english = json.loads(client.get("/api/v1/articles/osteo/?lang=en&level=plain", HTTP_ACCEPT=LD).content)

    assert english["educationalLevel"]["name"] == "Plain language"
    assert spanish["educationalLevel"]["name"] not in ("", "Plain language")


def test_every_term_a_page_uses_is_defined_in_the_embedded_context(client, article):
    """A term missing from the offline context would still expand (by @vocab), hiding a coercion schema.org makes."""
    payload = client.get("/api/v1/articles/osteo/?lang=es").json()
    payload["codes"] = [{"system": "ICD-10-CM", "code": "C79.51", "display": "Secondary malignant neoplasm of bone"}]
    payload["license"] = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/", "attribution": "x"}
    payload["review"] = {"status": "clinician_reviewed", "reviewed_by": "Dr Example", "reviewed_on": "2026-11-02"}

    used = terms_used(medical_web_page(payload))

    assert {"about", "license", "reviewedBy", "isBasedOn"} <= used
    assert used - set(SCHEMA_ORG_CONTEXT["@context"]) == set()


def test_review_is_claimed_only_for_text_a_clinician_reviewed(client, no_network):
    article = make_article("reviewed", languages=("en", "es"), status=ArticleStatus.DRAFT)
    reviews = TranslationReview.objects.filter(variant__article=article)
    reviews.filter(language="en").update(
        status=ReviewStatus.CLINICIAN_REVIEWED, reviewed_by="Dr Ana Ortiz", reviewed_on="2026-11-02"
    )
    # A name and a date recorded on a text whose status says it is not reviewed (say, set back after an edit).
    reviews.filter(language="es").update(
        status=ReviewStatus.UNREVIEWED, reviewed_by="Dr Ana Ortiz", reviewed_on="2026-11-02"
    )
    services.publish_article(Article.objects.get(pk=article.pk))

    english = expanded(json.loads(client.get("/api/v1/articles/reviewed/?lang=en", HTTP_ACCEPT=LD).content))
    spanish = expanded(json.loads(client.get("/api/v1/articles/reviewed/?lang=es", HTTP_ACCEPT=LD).content))

    (reviewer,) = english[S + "reviewedBy"]
    assert reviewer["@type"] == [S + "Person"] and value(reviewer, "name") == "Dr Ana Ortiz"
    assert english[S + "lastReviewed"] == [{"@type": S + "Date", "@value": "2026-11-02"}]
    # The Spanish text is not reviewed, whatever else its record holds.
    spanish_json = client.get("/api/v1/articles/reviewed/?lang=es").json()["review"]
    assert (spanish_json["status"], spanish_json["reviewed_by"]) == ("unreviewed", "Dr Ana Ortiz")
    assert S + "reviewedBy" not in spanish and S + "lastReviewed" not in spanish


def test_codes_are_the_conditions_it_is_about_and_the_licence_is_a_link(client, no_network, article):
    """`codes` and `license` come from other parts of the payload: given, they are expanded as schema.org says."""
    payload = client.get("/api/v1/articles/osteo/?lang=es").json()
    payload["codes"] = [
        {"system": "ICD-10-CM", "code": "C79.51", "display": "Secondary malignant neoplasm of bone"},
        {"system": "ICD-O-3", "code": "9180/3", "display": "Osteosarcoma, NOS"},
    ]
    payload["license"] = {
        "name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/", "attribution": "Fuente: BoneCare",
    }

    node = expanded(json.loads(json.dumps(medical_web_page(payload))))

    conditions = {value(item, "name"): item for item in node[S + "about"]}
    assert set(conditions) == {"Secondary malignant neoplasm of bone", "Osteosarcoma, NOS"}
    for name, system, code in [("Secondary malignant neoplasm of bone", "ICD-10-CM", "C79.51"),
                               ("Osteosarcoma, NOS", "ICD-O-3", "9180/3")]:
        assert conditions[name]["@type"] == [S + "MedicalCondition"]
        (medical_code,) = conditions[name][S + "code"]
        assert medical_code["@type"] == [S + "MedicalCode"]
        assert (value(medical_code, "codingSystem"), value(medical_code, "codeValue")) == (system, code)
    (licence,) = node[S + "license"]
    assert value(licence, "url") == "https://creativecommons.org/licenses/by/4.0/"
    assert value(licence, "name") == "CC BY 4.0"
    assert value(node, "creditText") == "Fuente: BoneCare"


def test_an_article_without_codes_or_licence_claims_neither(client, article):
    payload = client.get("/api/v1/articles/osteo/").json()
    payload.pop("codes", None), payload.pop("license", None)

    page = medical_web_page(payload)

    assert "about" not in page and "license" not in page and "creditText" not in page


def test_a_field_that_fell_back_is_tagged_as_english(client, no_network, article):
    payload = client.get("/api/v1/articles/osteo/?lang=es").json()
    payload["language"]["fallback_fields"] = ["title"]

    node = expanded(json.loads(json.dumps(medical_web_page(payload))))

    assert node[S + "name"] == [{"@value": payload["title"], "@language": "en"}]
    assert node[S + "description"] == [{"@value": payload["summary"]}]
    assert value(node, "inLanguage") == "es"


def test_expansion_never_fetches_another_context(no_network):
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": "https://example.org/context.jsonld", "name": "x"},
                      {"documentLoader": offline_document_loader})


def test_json_ld_has_the_json_answers_caching_with_its_own_etag(client, article):
    path = "/api/v1/articles/osteo/?lang=es"
    as_json = client.get(path)
    as_ld = client.get(path, HTTP_ACCEPT=LD)

    for name in ("Cache-Control", "Last-Modified", "Content-Language"):
        assert as_ld[name] == as_json[name], name
    assert {"Accept", "Accept-Language"} <= {part.strip() for part in as_ld["Vary"].split(",")}
    assert as_ld["ETag"] and as_ld["ETag"] != as_json["ETag"]

    assert client.get(path, HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=as_ld["ETag"]).status_code == 304
    # The JSON answer's ETag names another representation.
    assert client.get(path, HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=as_json["ETag"]).status_code == 200
    assert client.get(path, HTTP_IF_NONE_MATCH=as_ld["ETag"]).status_code == 200
    assert client.get(path, HTTP_ACCEPT=LD, HTTP_IF_MODIFIED_SINCE=as_ld["Last-Modified"]).status_code == 304


def test_a_publication_changes_the_json_ld_and_its_etag(client, article):
    path = "/api/v1/articles/osteo/?lang=es"
    before = client.get(path, HTTP_ACCEPT=LD)
    variant = Article.objects.get(slug="osteo").variants.get(level="standard")
    variant.title_es = "Osteosarcoma: lo esencial"
    services.save_variant(variant)
    services.publish_article(Article.objects.get(slug="osteo"))

    after = client.get(path, HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert json.loads(after.content)["name"] == "Osteosarcoma: lo esencial"


@pytest.mark.parametrize("path, code", [("/api/v1/articles/nope/", "article_not_found"),
                                        ("/api/v1/articles/osteo/?lang=xx", "unsupported_language")])
def test_an_error_asked_for_as_json_ld_is_the_api_error_in_json(client, article, path, code):
    answer = client.get(path, HTTP_ACCEPT=LD)

    assert answer.status_code in (400, 404)
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["error"]["code"] == code


def test_json_ld_is_offered_on_the_article_detail_only(client, article):
    assert client.get("/api/v1/articles/", HTTP_ACCEPT=LD).status_code == 406
    assert client.get("/api/v1/glossary/", HTTP_ACCEPT=LD).status_code == 406


def test_the_json_ld_answer_matches_its_published_schema(client, article):
    openapi = published_schema()
    documented = openapi["paths"]["/api/v1/articles/{slug}/"]["get"]["responses"]["200"]["content"]
    assert set(documented) == {"application/json", LD, "text/html"}
    from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker

    validator = OAS30ReadValidator(
        closed({"components": openapi["components"], "allOf": [documented[LD]["schema"]]}),
        format_checker=oas30_format_checker,
    )
    payload = client.get("/api/v1/articles/osteo/?lang=ar&level=plain").json()
    payload["codes"] = [{"system": "SNOMED-CT", "code": "128462008", "display": "Secondary malignant neoplasm of bone"}]
    payload["license"] = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/", "attribution": "x"}
    payload["review"] = {"status": "clinician_reviewed", "reviewed_by": "Dr Example", "reviewed_on": "2026-11-02"}
    payload["language"]["fallback_fields"] = ["summary"]
    served = json.loads(client.get("/api/v1/articles/osteo/?lang=ar&level=plain", HTTP_ACCEPT=LD).content)

    for document in (served, json.loads(json.dumps(medical_web_page(payload)))):
        assert [error.message for error in validator.iter_errors(document)] == []


ACCEPTS = [
    {"HTTP_ACCEPT": LD},
    {"HTTP_ACCEPT": "application/ld+json, */*;q=0.1"},
    # The API's default renderers alone would answer these with JSON: the stored JSON must not be sent.
    {"HTTP_ACCEPT": "application/ld+json, */*"},
    {"HTTP_ACCEPT": "application/ld+json, application/*"},
    {"HTTP_ACCEPT": "application/ld+json; indent=2"},
    {"HTTP_ACCEPT": "application/ld+json", "HTTP_ACCEPT_ENCODING": "gzip"},
    {"HTTP_ACCEPT": "application/ld+json;q=0.9, application/json;q=0.5"},
    {"HTTP_ACCEPT": "application/ld+json", "HTTP_ACCEPT_LANGUAGE": "es-MX"},
    {"HTTP_ACCEPT": "*/*"},
    {"HTTP_ACCEPT": "application/*"},
    {"HTTP_ACCEPT": "application/json"},
]


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("path", ["/api/v1/articles/osteo/", "/api/v1/articles/osteo/?lang=es&level=plain"])
def test_a_stored_json_answer_is_never_sent_for_json_ld(article, path, accept):
    """Header by header: with the JSON answer stored, every layer answers what the view builds with nothing stored."""
    from tests.delivery.test_cache_isolation import fresh_front, unzipped
    from tests.test_front import call

    built = unzipped(call(fresh_front(), path, **accept))  # nothing stored: the view answers

    front = fresh_front()
    for _ in range(3):  # stored, then answered from storage by the middleware, then by the front
        call(front, path)
        call(front, path, HTTP_ACCEPT_ENCODING="gzip")
    by_front = unzipped(call(front, path, **accept))
    by_middleware = unzipped(call(front, path, HTTP_ORIGIN="https://x.example", **accept))

    assert by_front == built
    cors = {k: v for k, v in by_middleware[1].items() if "access-control" in k}
    assert by_middleware == (built[0], {**built[1], **cors}, built[2])
    if "ld+json" in accept["HTTP_ACCEPT"] and "q=0.9" not in accept["HTTP_ACCEPT"]:
        assert built[1]["content-type"] == LD


def test_a_stored_json_answer_gives_no_304_for_json_ld_it_does_not_match(article):
    from tests.delivery.test_cache_isolation import fresh_front
    from tests.test_front import call

    path = "/api/v1/articles/osteo/?lang=es"
    front = fresh_front()
    json_etag = call(front, path).header("ETag")
    ld_etag = call(front, path, HTTP_ACCEPT=LD).header("ETag")
    for _ in range(2):
        call(front, path)

    assert call(front, path, HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=json_etag).status == 200
    unchanged = call(front, path, HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=ld_etag)
    assert (unchanged.status, unchanged.header("ETag")) == (304, ld_etag)
    assert call(front, path, HTTP_IF_NONE_MATCH=json_etag).status == 304


@pytest.mark.parametrize("path", ["/api/v1/articles/osteo/", "/api/v1/articles/osteo/?lang=es&level=plain"])
def test_a_json_ld_request_never_changes_what_a_later_json_request_gets(article, path):
    from tests.delivery.test_cache_isolation import fresh_front, ordinary_answers
    from tests.test_front import call

    expected = ordinary_answers(fresh_front(), path)
    front = fresh_front()
    for _ in range(2):  # built and cached for JSON-LD, then answered again
        assert call(front, path, HTTP_ACCEPT=LD).header("Content-Type") == LD

    for answer in ordinary_answers(front, path):
        assert answer in expected
        assert answer[1]["content-type"] == "application/json"
    head = call(front, path, method="HEAD", HTTP_ACCEPT=LD)
    assert (head.status, head.header("Content-Type"), head.body) == (200, LD, b"")

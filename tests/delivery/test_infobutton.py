"""/api/v1/infobutton/: an EHR asks by clinical code, in the patient's language, and gets a feed (JSON or Atom)."""

import feedparser
import pytest

from content.editorial import services
from content.editorial.shipped import load_shipped_content
from content.models import Article, Rendition
from tests.factories import make_article

from content.licence import content_license

pytestmark = pytest.mark.django_db

ICD10CM = "2.16.840.1.113883.6.90"
SNOMED = "2.16.840.1.113883.6.96"
ICDO3 = "2.16.840.1.113883.6.43.1"


@pytest.fixture
def shipped(db):
    load_shipped_content()


def coded_article(slug, codes, languages=("en",)):
    article = make_article(slug, languages=languages)
    article.codes = codes
    services.save_article_details(article)
    services.publish_article(article)
    return article


def icd(code, display):
    return {"system": "ICD-10-CM", "code": code, "display": display}


@pytest.fixture
def coded(db):
    """Small articles coded like the shipped ones: bone metastases (en, es, fr), a leg, limbs."""
    coded_article("treating-bone-metastases", [icd("C79.51", "Secondary malignant neoplasm of bone")],
                  languages=("en", "es", "fr"))
    coded_article("saving-the-leg-with-limb-salvage-surgery", [icd("C40.2", "Malignant neoplasm of long bones of lower limb")])
    for slug in ("bone-cancer-treatment-options", "surgery-and-limb-salvage"):
        coded_article(slug, [icd("C40", "Malignant neoplasm of bone and articular cartilage of limbs")])


def ask(client, code, system=ICD10CM, **params):
    headers = {name: params.pop(name) for name in list(params) if name.startswith("HTTP_")}
    query = {"mainSearchCriteria.v.cs": system, "mainSearchCriteria.v.c": code, **params}
    return client.get("/api/v1/infobutton/", query, **headers)


def ask_json(client, code, **params):
    return ask(client, code, knowledgeResponseType="application/json", **params)


def served_title(slug, language, level):
    return Rendition.objects.get(variant__article__slug=slug, variant__level=level, language=language).title


def test_spanish_request_for_bone_metastases_links_the_spanish_article(client, shipped):
    response = ask_json(client, "C79.51", **{"informationRecipient.languageCode.c": "es", "informationRecipient": "PAT"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Language"] == "es"
    feed = response.json()["feed"]
    assert [entry["matched_code"]["code"] for entry in feed["entry"]] == ["C79.51"]
    entry = feed["entry"][0]
    assert entry["title"]["_value"] == served_title("treating-bone-metastases", "es", "plain")
    assert entry["lang"] == "es" and entry["level"]["served"] == "plain"
    href = entry["link"][0]["href"]
    assert href.endswith("/api/v1/articles/treating-bone-metastases/?lang=es&level=plain")
    assert entry["license"] == content_license("es")
    assert entry["license"]["url"].endswith("/deed.es") and entry["license"]["attribution"].startswith("De BoneCare")
    # The link serves what the feed announced.
    article = client.get(href.split("testserver", 1)[-1] if "testserver" in href else href[href.index("/api/"):])
    assert article.status_code == 200
    assert article.json()["title"] == entry["title"]["_value"]
    assert {"system": "ICD-10-CM", "code": "C79.51", "display": "Secondary malignant neoplasm of bone"} in article.json()["codes"]


def test_atom_feed_parses_with_a_real_atom_parser(client, shipped):
    response = ask(client, "C79.51", knowledgeResponseType="text/xml", **{"informationRecipient.languageCode.c": "es"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [entry.title for entry in parsed.entries] == [served_title("treating-bone-metastases", "es", "standard")]
    entry = parsed.entries[0]
    assert entry.link.endswith("/api/v1/articles/treating-bone-metastases/?lang=es&level=standard")
    assert entry.summary == Rendition.objects.get(
        variant__article__slug="treating-bone-metastases", variant__level="standard", language="es"
    ).summary
    assert {"term": "C79.51", "scheme": ICD10CM} in [{"term": t.term, "scheme": t.scheme} for t in entry.tags]


def test_without_a_response_type_the_answer_is_atom_as_medlineplus_connect_answers(client, coded):
    response = ask(client, "C79.51")
    assert response["Content-Type"].startswith("text/xml")
    assert len(feedparser.parse(response.content).entries) == 1


def test_an_icd10cm_code_also_matches_its_parents_most_specific_first(client, shipped):
    feed = ask_json(client, "C40.21").json()["feed"]

    slugs = [entry["link"][0]["href"].split("/articles/")[1].split("/")[0] for entry in feed["entry"]]
    assert slugs[0] == "saving-the-leg-with-limb-salvage-surgery"
    assert feed["entry"][0]["matched_code"]["code"] == "C40.2"
    assert set(slugs[1:]) == {"bone-cancer-treatment-options", "metastatic-bone-cancer", "surgery-and-limb-salvage"}
    in_list_order = Article.objects.filter(slug__in=slugs[1:]).order_by("topic__position", "slug")
    assert slugs[1:] == [article.slug for article in in_list_order]  # then as the article list orders them
    assert {entry["matched_code"]["code"] for entry in feed["entry"][1:]} == {"C40"}
    # As EHRs often send it, without the dot.
    assert ask_json(client, "c4021").json()["feed"]["entry"] == feed["entry"]


def test_a_code_is_not_matched_by_its_children_or_siblings(client, coded):
    assert ask_json(client, "C79.5").json()["feed"]["entry"] == []
    assert ask_json(client, "C79.52").json()["feed"]["entry"] == []


def test_recipient_chooses_the_reading_level(client, coded):
    patient = ask_json(client, "C79.51", informationRecipient="PAT").json()["feed"]["entry"][0]
    provider = ask_json(client, "C79.51", informationRecipient="PROV").json()["feed"]["entry"][0]
    assert patient["level"]["served"] == "plain" and "level=plain" in patient["link"][0]["href"]
    assert provider["level"]["served"] == "standard" and "level=standard" in provider["link"][0]["href"]
    assert patient["title"]["_value"] == served_title("treating-bone-metastases", "en", "plain")


def test_language_falls_back_to_english_and_says_so(client, coded):
    german = ask_json(client, "C79.51", **{"informationRecipient.languageCode.c": "de"})
    assert german.status_code == 200 and german["Content-Language"] == "en"
    feed = german.json()["feed"]
    assert feed["language"] == {"requested": "de", "served": "en", "fell_back": True}
    assert feed["entry"][0]["lang"] == "en"

    mexican = ask_json(client, "C79.51", **{"informationRecipient.languageCode.c": "es-MX"}).json()["feed"]
    assert mexican["language"] == {"requested": "es-MX", "served": "es", "fell_back": False}

    by_header = ask_json(client, "C79.51", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").json()["feed"]
    assert by_header["language"]["served"] == "fr" and by_header["entry"][0]["lang"] == "fr"


def test_a_code_without_content_is_an_empty_feed_not_an_error(client, coded):
    response = ask_json(client, "128462008", system=SNOMED)
    assert response.status_code == 200
    assert response.json()["feed"]["entry"] == []

    atom = ask(client, "J45.909", knowledgeResponseType="text/xml")
    assert atom.status_code == 200
    parsed = feedparser.parse(atom.content)
    assert not parsed.bozo and parsed.entries == []


def test_icdo3_morphology_is_served_when_articles_carry_it(client, coded):
    assert ask_json(client, "9180/3", system=ICDO3).json()["feed"]["entry"] == []
    article = Article.objects.get(slug="bone-cancer-treatment-options")
    article.codes = [*article.codes, {"system": "ICD-O-3", "code": "9180/3", "display": "Osteosarcoma, NOS"}]
    services.save_article_details(article)
    services.publish_article(article)
    entries = ask_json(client, "9180/3", system=ICDO3).json()["feed"]["entry"]
    assert [entry["matched_code"]["code"] for entry in entries] == ["9180/3"]


@pytest.mark.parametrize("params, field", [
    ({"mainSearchCriteria.v.cs": "1.2.3", "mainSearchCriteria.v.c": "C79.51"}, "mainSearchCriteria.v.cs"),
    ({"mainSearchCriteria.v.c": "C79.51"}, "mainSearchCriteria.v.cs"),
    ({"mainSearchCriteria.v.cs": ICD10CM}, "mainSearchCriteria.v.c"),
    ({"mainSearchCriteria.v.cs": ICD10CM, "mainSearchCriteria.v.c": "  "}, "mainSearchCriteria.v.c"),
    ({"mainSearchCriteria.v.cs": ICD10CM, "mainSearchCriteria.v.c": "C40", "informationRecipient": "PAYOR"},
     "informationRecipient"),
    ({"mainSearchCriteria.v.cs": ICD10CM, "mainSearchCriteria.v.c": "C40", "knowledgeResponseType": "text/html"},
     "knowledgeResponseType"),
])
@pytest.mark.parametrize("response_type", ["application/json", "text/xml"])
def test_client_mistakes_are_400_in_the_api_error_shape(client, params, field, response_type):
    params = {"knowledgeResponseType": response_type, **params}
    response = client.get("/api/v1/infobutton/", params, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert list(error["details"]["fields"]) == [field]
    assert field in error["message"]


def test_an_unchanged_answer_is_304_and_a_publication_changes_it(client, coded):
    first = ask_json(client, "C79.51")
    assert client.get(
        "/api/v1/infobutton/",
        {"mainSearchCriteria.v.cs": ICD10CM, "mainSearchCriteria.v.c": "C79.51", "knowledgeResponseType": "application/json"},
        HTTP_IF_NONE_MATCH=first["ETag"],
    ).status_code == 304
    coded_article("another", [icd("C79.51", "Secondary malignant neoplasm of bone")])
    second = ask_json(client, "C79.51", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert len(second.json()["feed"]["entry"]) == 2


def test_pending_codes_are_not_served_until_published(client, coded):
    article = Article.objects.get(slug="treating-bone-metastases")
    article.codes = []
    services.save_article_details(article)
    assert len(ask_json(client, "C79.51").json()["feed"]["entry"]) == 1  # still published with C79.51
    services.publish_article(article)
    assert ask_json(client, "C79.51").json()["feed"]["entry"] == []


@pytest.fixture(scope="module")
def openapi():
    from tests.openapi_contract import published_schema

    return published_schema()


def test_the_json_feed_matches_the_schema_exactly(client, coded, openapi):
    from tests.openapi_contract import assert_matches_schema

    for code in ("C40.21", "Z00.00"):
        response = ask_json(client, code, informationRecipient="PAT", **{"mainSearchCriteria.v.dn": "Leg bone"})
        assert response.status_code == 200
        assert_matches_schema(openapi, response, "/api/v1/infobutton/")
    error = ask_json(client, "")
    assert error.status_code == 400
    assert_matches_schema(openapi, error, "/api/v1/infobutton/")
    not_modified = ask_json(client, "C40", HTTP_IF_NONE_MATCH=response["ETag"].replace("x", "y"))
    assert not_modified.status_code == 200


def test_the_atom_answer_is_documented(client, coded, openapi):
    documented = openapi["paths"]["/api/v1/infobutton/"]["get"]["responses"]["200"]["content"]
    response = ask(client, "C79.51", knowledgeResponseType="text/xml")
    assert response["Content-Type"].split(";")[0] in documented
    assert {"application/json", "text/xml"} <= set(documented)


def test_the_accept_header_chooses_when_no_response_type_is_named_and_format_means_nothing(client, coded):
    assert ask(client, "C79.51", HTTP_ACCEPT="application/json")["Content-Type"].startswith("application/json")
    assert ask(client, "C79.51", HTTP_ACCEPT="application/json", knowledgeResponseType="text/xml")[
        "Content-Type"].startswith("text/xml")
    assert ask(client, "C79.51", format="AAA").status_code == 200
    refused = ask(client, "C79.51", HTTP_ACCEPT="image/png")
    assert refused.status_code == 406 and refused.json()["error"]["code"] == "not_acceptable"


def test_what_a_request_echoes_never_breaks_the_atom_document(client, coded):
    response = ask(client, "C79.51\x01", knowledgeResponseType="text/xml",
                   **{"mainSearchCriteria.v.dn": "Bone\x00 mets \x1f", "informationRecipient.languageCode.c": ""})
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")


def test_parameters_beyond_their_documented_bounds_are_400(client, coded):
    too_long = ask_json(client, "C79.51", **{"mainSearchCriteria.v.dn": "x" * 201})
    assert too_long.status_code == 400
    assert list(too_long.json()["error"]["details"]["fields"]) == ["mainSearchCriteria.v.dn"]
    assert ask_json(client, "C79.51", **{"informationRecipient.languageCode.c": "x" * 36}).status_code == 400
    assert ask_json(client, "C" * 41).status_code == 400


def test_options_describes_the_endpoint_in_json(client):
    response = client.options("/api/v1/infobutton/?knowledgeResponseType=text/xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")

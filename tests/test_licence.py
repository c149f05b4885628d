"""A governance team can approve reuse: the licence and the terms of use, in every language, wherever content goes."""

import datetime
import gzip
import json
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from content.terms import TERMS
from tests.admin_forms import form_fields
from tests.factories import make_article, make_source
from tests.openapi_contract import assert_matches_schema, published_schema

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "es", "fr", "zh-hans", "ar"]


def local_path(url):
    """The path and query of one of our own absolute links, to follow it with the test client."""
    parts = urlsplit(url)
    assert url.startswith(settings.BONECARE_PUBLIC_URL), url
    return parts.path + (f"?{parts.query}" if parts.query else "")


class PageText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_attrs, self.text, self.links = {}, [], []

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.html_attrs = dict(attrs)
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_data(self, data):
        self.text.append(data)


def read_page(response):
    page = PageText()
    page.feed(response.content.decode())
    return page


@pytest.fixture
def content():
    # A review date: the contract checker reads `age: null` (allOf + nullable) as a mismatch (see the report).
    source = make_source(url="https://example.org/bone", last_medical_review=datetime.date.today())
    return make_article("a", languages=LANGUAGES, sources=[source])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_article_list_item_sync_and_bundle_carries_the_licence_in_the_served_language(client, content, language):
    detail = client.get("/api/v1/articles/a/", {"lang": language})
    listed = client.get("/api/v1/articles/", {"lang": language})
    synced = client.get("/api/v1/sync/", {"lang": language})
    bundle = client.get("/api/v1/bundle/", {"lang": language}, HTTP_ACCEPT_ENCODING="gzip")
    bundle_body = json.loads(gzip.decompress(bundle.content) if bundle.get("Content-Encoding") == "gzip" else bundle.content)

    licence = detail.json()["license"]
    assert licence["name"] == "CC BY 4.0"
    assert licence["attribution"] == settings.BONECARE_CONTENT_LICENSE["attribution"][language]
    assert licence["url"].endswith(f"deed.{language}")
    assert listed.json()["results"][0]["license"] == licence
    assert synced.json()["articles"][0]["license"] == licence
    assert bundle_body["articles"][0]["license"] == licence and bundle_body["license"] == licence
    assert_matches_schema(published_schema(), detail, "/api/v1/articles/{slug}/")
    assert_matches_schema(published_schema(), listed, "/api/v1/articles/")
    stored = client.get("/api/v1/articles/a/", {"lang": language})  # the stored answer says the same
    assert stored.json()["license"] == licence

    terms = client.get(local_path(licence["terms"]))
    assert terms.status_code == 200, "the terms link works"
    assert terms["Content-Language"] == detail["Content-Language"]
    assert TERMS[language]["title"] in "".join(read_page(terms).text)


def test_the_attribution_is_written_in_each_language():
    attributions = settings.BONECARE_CONTENT_LICENSE["attribution"]
    assert set(attributions) == set(LANGUAGES) == set(TERMS)
    assert len(set(attributions.values())) == len(LANGUAGES)
    assert len({terms["title"] for terms in TERMS.values()}) == len(LANGUAGES)
    assert all(len(terms["paragraphs"]) == len(TERMS["en"]["paragraphs"]) for terms in TERMS.values())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_terms_page_speaks_the_language_asked_for_and_links_the_others(client, language):
    by_query = client.get("/terms/", {"lang": language})
    by_header = client.get("/terms/", HTTP_ACCEPT_LANGUAGE=language)

    for response in (by_query, by_header):
        page = read_page(response)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert page.html_attrs["dir"] == ("rtl" if language == "ar" else "ltr")
        assert all(paragraph in "".join(page.text) for paragraph in TERMS[language]["paragraphs"])
        assert settings.BONECARE_CONTENT_LICENSE["deeds"][language] in page.links
        assert {local_path(link) for link in page.links if link.startswith(settings.BONECARE_PUBLIC_URL)} == {
            f"/terms/?lang={code}" for code in LANGUAGES
        }
    assert "max-age=30" in by_query["Cache-Control"]


def test_the_terms_say_patient_information_not_advice_and_unreviewed_translations_say_so():
    english = " ".join(TERMS["en"]["paragraphs"])
    assert "not medical advice" in english
    assert "A translation that no clinician has reviewed says so" in english
    assert "CC BY 4.0" in english


def test_an_unsupported_language_for_the_terms_is_a_400(client):
    assert client.get("/terms/", {"lang": "xx"}).status_code == 400


def test_the_schema_names_the_licence_and_terms_that_are_served(client):
    info = client.get("/api/v1/schema/", {"format": "json"}).json()["info"]

    assert info["license"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert client.get(local_path(info["termsOfService"])).status_code == 200


def test_an_editor_records_a_sources_public_url_and_the_article_cites_it(client, content):
    source = content.sources.get()
    for _ in range(2):  # built, then stored: the edit must reach the stored answer too
        assert client.get("/api/v1/articles/a/", {"lang": "es"}).json()["sources"][0]["url"] == "https://example.org/bone"
    editor = User.objects.create_superuser("editor", password="x")
    client.force_login(editor)

    page_url = f"/admin/content/sourcedocument/{source.pk}/change/"
    data = form_fields(client.get(page_url).content.decode(), "sourcedocument_form")
    assert "url" in data, "the source page offers its public URL"
    data.update(url="https://www.example.org/bone-cancer/treatment")
    data.pop("csrfmiddlewaretoken", None)
    saved = client.post(page_url, data)

    assert saved.status_code == 302, saved.content[:500]
    client.logout()
    cited = client.get("/api/v1/articles/a/", {"lang": "es"}).json()["sources"]
    assert [s["url"] for s in cited] == ["https://www.example.org/bone-cancer/treatment"]
    assert cited[0]["attribution"]  # the source keeps its own attribution beside BoneCare's licence

"""One way of doing each thing across the v1 endpoints (issue #9, point 5)."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from content.editorial import services
from content.public_address import public_url
from tests.factories import make_article, make_source, make_term, make_topic, set_texts

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "es", "fr", "zh-hans", "ar"]


def query_of(url):
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def make_terms(count):
    for number in range(count):
        make_term(f"term-{number:02d}", en=(f"term {number}", "A definition.", "A plain one."))


class TestGlossaryIsPaginatedLikeArticles:
    def test_pages_have_count_next_previous_and_results_in_slug_order(self, client):
        make_terms(5)

        first = client.get("/api/v1/glossary/", {"page_size": 2, "lang": "es"}).json()
        second = client.get(first["next"]).json()
        last = client.get(second["next"]).json()

        assert first["count"] == 5
        assert first["previous"] is None
        assert [term["slug"] for term in first["results"]] == ["term-00", "term-01"]
        assert [term["slug"] for term in second["results"]] == ["term-02", "term-03"]
        assert [term["slug"] for term in last["results"]] == ["term-04"]
        assert last["next"] is None
        assert query_of(first["next"])["lang"] == "es"

    def test_page_links_keep_what_the_reader_typed_as_drf_writes_them(self, client):
        from rest_framework.utils.urls import remove_query_param, replace_query_param

        make_terms(5)
        path = "/api/v1/glossary/?page_size=2&lang=fr&page=2&zz=%C3%A9t%C3%A9+a%2Bb&zz=2"

        second = client.get(path).json()

        typed = public_url(path)
        assert second["next"] == replace_query_param(typed, "page", 3)
        assert second["previous"] == remove_query_param(typed, "page")
        assert parse_qs(urlsplit(second["next"]).query)["zz"] == ["été a+b", "2"]

    def test_twenty_per_page_by_default(self, client):
        make_terms(21)

        body = client.get("/api/v1/glossary/").json()

        assert (body["count"], len(body["results"])) == (21, 20)

    @pytest.mark.parametrize(
        "query, status, code",
        [
            ({"page": "0"}, 400, "invalid_page"),
            ({"page": "²"}, 400, "invalid_page"),
            ({"page_size": "101"}, 400, "invalid_page_size"),
            ({"page": "3"}, 404, "page_out_of_range"),
        ],
    )
    def test_bad_pages_get_the_same_errors_as_articles(self, client, query, status, code):
        make_terms(3)

        for url in ("/api/v1/glossary/", "/api/v1/articles/"):
            response = client.get(url, query)
            assert response.status_code == status, url
            assert response.json()["error"]["code"] == code, url


class TestLinksKeepLanguageAndLevel:
    def test_list_item_url_carries_the_negotiated_language_and_level(self, client):
        make_article("a", languages=("en", "es"))

        item = client.get("/api/v1/articles/", {"level": "plain"}, HTTP_ACCEPT_LANGUAGE="es-MX").json()["results"][0]
        followed = client.get(item["url"]).json()

        assert query_of(item["url"]) == {"lang": "es", "level": "plain"}
        assert (followed["language"]["served"], followed["level"]["served"]) == ("es", "plain")
        assert followed["title"] == item["title"]

    def test_a_list_without_lang_or_level_links_to_the_defaults_it_was_given(self, client):
        make_article("a")

        item = client.get("/api/v1/articles/").json()["results"][0]

        assert query_of(item["url"]) == {"lang": "en", "level": "standard"}

    def test_glossary_article_links_carry_the_language_and_level(self, client):
        make_term("biopsy", en=("biopsy", "Removal of tissue.", "Taking a piece."), fr=("biopsie", "Prélèvement.", "Un bout."))
        make_article("uses-it", languages=("en", "fr"))

        body = client.get("/api/v1/glossary/biopsy/", {"lang": "fr", "level": "plain"}).json()

        link = body["articles"][0]["url"]
        assert urlsplit(link).path == "/api/v1/articles/uses-it/"
        assert query_of(link) == {"lang": "fr", "level": "plain"}
        assert client.get(link).json()["language"]["served"] == "fr"


class TestLanguageFellBack:
    @pytest.mark.parametrize("header", ["zh-TW", "zh-Hant", "de"])
    def test_a_language_we_do_not_serve_gets_english_and_says_so(self, client, header):
        make_article("a", languages=LANGUAGES)

        response = client.get("/api/v1/articles/a/", HTTP_ACCEPT_LANGUAGE=header)

        language = response.json()["language"]
        assert (language["requested"], language["served"], language["fell_back"]) == (header, "en", True)
        assert response["Content-Language"] == "en"

    @pytest.mark.parametrize("header", [None, "*", "en-GB", "de, en;q=0.5"])
    def test_english_asked_for_or_accepted_is_not_a_fallback(self, client, header):
        make_article("a")
        extra = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}

        assert client.get("/api/v1/articles/a/", **extra).json()["language"]["fell_back"] is False

    def test_an_untranslated_article_falls_back_and_a_partly_translated_one_names_its_fields(self, client):
        make_article("english-only")
        partly = make_article("partly")
        variant = partly.variants.get(level="standard")
        set_texts(variant, "fr", title="Titre")
        services.save_variant(variant)
        services.publish_article(partly)

        untranslated = client.get("/api/v1/articles/english-only/", {"lang": "fr"}).json()["language"]
        partial = client.get("/api/v1/articles/partly/", {"lang": "fr"}).json()["language"]
        listed = {item["slug"]: item["language"] for item in client.get("/api/v1/articles/", {"lang": "fr"}).json()["results"]}

        assert (untranslated["served"], untranslated["fell_back"]) == ("en", True)
        assert (partial["served"], partial["fell_back"], partial["fallback_fields"]) == ("fr", False, ["body", "summary"])
        assert listed["english-only"]["fell_back"] is True and listed["partly"]["fell_back"] is False

    @pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/articles/a/", "/api/v1/glossary/", "/api/v1/topics/"])
    def test_content_language_and_language_tag_are_the_same_bcp47_tag(self, client, url):
        make_article("a", languages=LANGUAGES)
        make_term("biopsy", en=("biopsy", "Removal.", "Taking."), **{"zh-hans": ("活检", "取组织。", "取一小块。")})

        response = client.get(url, {"lang": "zh-hans"})

        assert response["Content-Language"] == "zh-Hans"
        body = response.json()
        if isinstance(body, dict):
            item = body["results"][0] if "results" in body else body
            assert (item["language"]["tag"], item["language"]["served"]) == ("zh-Hans", "zh-hans")


class TestAbsentValuesAreNull:
    def test_sources_and_reviews_without_a_value_give_null(self, client):
        bare = make_source(publisher="", url="", reviewed_by="")
        full = make_source(publisher="NCI", url="https://www.cancer.gov/", reviewed_by="PDQ Board")
        make_article("a", languages=("en", "es"), reviewed=("en",), sources=[bare, full])

        body = client.get("/api/v1/articles/a/", {"lang": "es"}).json()
        sources = {source["title"]: source for source in body["sources"]}

        assert [sources[bare.title][name] for name in ("publisher", "url", "reviewed_by")] == [None, None, None]
        assert [sources[full.title][name] for name in ("publisher", "url", "reviewed_by")] == [
            "NCI", "https://www.cancer.gov/", "PDQ Board"
        ]
        assert body["review"]["reviewed_by"] is None
        assert body["review"]["translated_by"] is None
        assert client.get("/api/v1/articles/a/").json()["review"]["reviewed_by"] == "Dr Example"

    def test_a_topic_without_description_gives_null(self, client):
        make_topic("surgery", description_en="")
        make_topic("staging", position=2, description_en="How far it has spread.")

        topics = {topic["slug"]: topic for topic in client.get("/api/v1/topics/").json()}

        assert topics["surgery"]["description"] is None
        assert topics["staging"]["description"] == "How far it has spread."


class TestReadabilityTargetHasOneShape:
    @pytest.mark.parametrize("level", ["standard", "plain"])
    def test_every_language_serves_the_same_target_keys(self, client, level):
        make_article("a", languages=LANGUAGES)
        shapes = {}
        for language in LANGUAGES:
            readability = client.get("/api/v1/articles/a/", {"lang": language, "level": level}).json()["readability"]
            target = readability["target"]
            shapes[language] = set(target)
            assert target["kind"] in {"max", "min", "none"}
            assert (target["score"] is None) == (target["kind"] == "none")
            assert target["sentence_average_max"] == readability["sentences"]["limit_average"]
            assert target["sentence_longest_max"] == readability["sentences"]["limit_longest"]

        assert all(shape == shapes["en"] for shape in shapes.values()), shapes
        assert {"en": "max", "es": "min", "ar": "none"} == {
            language: client.get("/api/v1/articles/a/", {"lang": language}).json()["readability"]["target"]["kind"]
            for language in ("en", "es", "ar")
        }


class TestGlossarySpansInUtf16:
    def test_an_emoji_before_a_term_shifts_only_the_utf16_offsets(self, client):
        make_term("biopsy", en=("biopsy", "Removal of tissue.", "Taking a small piece."))
        article = make_article("a")
        variant = article.variants.get(level="standard")
        set_texts(variant, "en", body="💪 A biopsy helps your doctor.")
        services.save_variant(variant)
        services.publish_article(article)

        body = client.get("/api/v1/articles/a/").json()
        span = body["glossary"][0]
        text = body["blocks"][span["block"]]["text"]

        assert (span["start"], span["end"]) == (4, 10)
        assert (span["start_utf16"], span["end_utf16"]) == (5, 11)
        assert text.encode("utf-16-le")[2 * span["start_utf16"] : 2 * span["end_utf16"]].decode("utf-16-le") == "biopsy"


class TestIndex:
    def test_the_index_links_every_endpoint_and_each_link_answers(self, client):
        make_term("biopsy", en=("biopsy", "Removal.", "Taking."))
        response = client.get("/api/v1/")

        links = response.json()
        assert response.status_code == 200
        assert set(links) == {
            "articles", "glossary", "languages", "topics", "search", "sync", "bundle", "schema", "docs", "redoc"
        }
        assert links["articles"] == public_url("/api/v1/articles/")
        assert links["sync"] == public_url("/api/v1/sync/")
        for name, url in links.items():
            # Search needs words to look for (without them: 400 invalid_parameter).
            params = {"q": "biopsy"} if name == "search" else {}
            assert client.get(url, params).status_code == 200, name

    @override_settings(ROOT_URLCONF="tests.delivery.urls_without_sync")
    def test_an_endpoint_that_is_not_installed_is_left_out(self, client):
        links = client.get("/api/v1/").json()

        assert "sync" not in links and "bundle" not in links
        assert links["articles"] == public_url("/api/v1/articles/")


class TestListItemsCarryReviewAndNotices:
    def test_review_status_and_notices_match_the_detail(self, client):
        today = datetime.date.today()
        old = make_source(last_medical_review=today.replace(year=today.year - 12))
        make_article("old-source", languages=("en", "es"), reviewed=("en",), sources=[old])
        make_article("fresh", languages=("en",), sources=[make_source(last_medical_review=today)])

        for language in ("en", "es", "fr"):
            items = {item["slug"]: item for item in client.get("/api/v1/articles/", {"lang": language}).json()["results"]}
            for slug, item in items.items():
                detail = client.get(f"/api/v1/articles/{slug}/", {"lang": language}).json()
                assert item["notices"] == detail["notices"], (slug, language)
                assert item["review"] == {"status": detail["review"]["status"], "language": detail["review"]["language"]}

        spanish = {item["slug"]: item for item in client.get("/api/v1/articles/", {"lang": "es"}).json()["results"]}
        assert spanish["old-source"]["review"] == {"status": "unreviewed", "language": "es"}
        assert spanish["fresh"]["review"] == {"status": "unreviewed", "language": "en"}
        assert [notice["code"] for notice in spanish["old-source"]["notices"]] == ["source_older_than_limit"]
        assert spanish["fresh"]["notices"] == []
        english = client.get("/api/v1/articles/", {"lang": "en"}).json()["results"]
        assert {item["slug"]: item["review"]["status"] for item in english}["old-source"] == "clinician_reviewed"

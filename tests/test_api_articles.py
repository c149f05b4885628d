import datetime

import pytest
from django.utils import timezone

from content.models import Article, ArticleStatus, ArticleVariant
from content.editorial import services
from content.languages import bcp47_tag
from tests.factories import publish_edit
from tests.factories import make_article, make_source, make_term, make_topic, set_texts

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/articles/"


def detail_url(slug):
    return f"/api/v1/articles/{slug}/"


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


class TestVisibility:
    def test_only_published_articles_are_listed(self, client):
        make_article("visible")
        for status in (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW, ArticleStatus.ARCHIVED):
            make_article(f"hidden-{status}", status=status)

        response = client.get(LIST_URL)

        assert response.status_code == 200
        assert slugs(response) == ["visible"]
        assert response.json()["count"] == 1

    def test_a_draft_has_no_detail_and_is_not_found_by_search(self, client):
        make_article("secret-draft", status=ArticleStatus.DRAFT)

        assert client.get(detail_url("secret-draft")).status_code == 404
        assert client.get(LIST_URL, {"q": "secret-draft"}).json()["count"] == 0

    def test_drafts_do_not_count_in_languages_or_topics(self, client):
        make_article("public", languages=("en",))
        make_article("draft-es", languages=("en", "es"), status=ArticleStatus.DRAFT)

        languages = {row["code"]: row for row in client.get("/api/v1/languages/").json()}
        topics = client.get("/api/v1/topics/").json()

        assert languages["en"]["articles"] == 1
        assert languages["es"]["articles"] == 0
        assert topics[0]["article_count"] == 1


class TestLanguageNegotiation:
    def test_lang_parameter_serves_that_language(self, client):
        make_article("a", languages=("en", "es"))

        response = client.get(detail_url("a"), {"lang": "es"})

        body = response.json()
        assert body["title"] == "a standard title [es]"
        assert body["language"] == {
            "requested": "es",
            "served": "es",
            "tag": "es",
            "direction": "ltr",
            "fell_back": False,
            "fallback_fields": [],
        }
        assert response["Content-Language"] == "es"
        assert "Accept-Language" in response["Vary"]

    def test_unsupported_lang_is_a_400_listing_supported_codes(self, client):
        response = client.get(LIST_URL, {"lang": "xx"})

        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "unsupported_language"
        assert error["details"]["supported"] == ["en", "es", "fr", "zh-hans", "ar"]
        assert "es" in error["message"]

    @pytest.mark.parametrize(
        "header, expected",
        [
            ("fr-CA", "fr"),
            ("zh-CN", "zh-hans"),
            ("zh-Hans-CN", "zh-hans"),
            ("de, es;q=0.5, en;q=0.3", "es"),
            ("en;q=0.2, ar;q=0.9", "ar"),
            ("de", "en"),
            ("zh-TW", "en"),
            ("es;q=0, fr;q=0.1", "fr"),
        ],
    )
    def test_accept_language_with_q_values_and_regional_tags(self, client, header, expected):
        make_article("a", languages=("en", "es", "fr", "zh-hans", "ar"))

        response = client.get(detail_url("a"), HTTP_ACCEPT_LANGUAGE=header)

        assert response.status_code == 200
        assert response.json()["language"]["served"] == expected
        assert response["Content-Language"] == response.json()["language"]["tag"] == bcp47_tag(expected)

    def test_lang_parameter_wins_over_accept_language(self, client):
        make_article("a", languages=("en", "es", "fr"))

        response = client.get(detail_url("a"), {"lang": "fr"}, HTTP_ACCEPT_LANGUAGE="es")

        assert response.json()["language"]["served"] == "fr"

    def test_fallback_to_english_is_stated_per_field(self, client):
        article = make_article("a", languages=("en",))
        variant = article.variants.get(level="standard")
        set_texts(variant, "fr", title="Titre en français")
        publish_edit(variant)

        body = client.get(detail_url("a"), {"lang": "fr"}).json()

        assert body["title"] == "Titre en français"
        assert body["language"]["served"] == "fr"
        assert body["language"]["fallback_fields"] == ["body", "summary"]
        assert body["readability"]["language"] == "en"

    def test_wholly_untranslated_article_says_english_was_served(self, client):
        make_article("a", languages=("en",))

        response = client.get(detail_url("a"), {"lang": "ar"})

        assert response.json()["language"]["served"] == "en"
        assert response.json()["language"]["direction"] == "ltr"
        assert response["Content-Language"] == "en"

    def test_arabic_is_served_right_to_left(self, client):
        make_article("a", languages=("en", "ar"))

        body = client.get(detail_url("a"), {"lang": "ar"}).json()

        assert body["language"]["direction"] == "rtl"
        assert body["language"]["tag"] == "ar"

    def test_error_messages_come_in_the_negotiated_language(self, client):
        response = client.get(LIST_URL, {"level": "expert"}, HTTP_ACCEPT_LANGUAGE="es")

        assert response.status_code == 400
        assert response.json()["error"]["code"] == "unsupported_level"
        assert "nivel" in response.json()["error"]["message"].lower()


class TestReadingLevel:
    def test_plain_level_is_served_when_asked(self, client):
        make_article("a")

        body = client.get(detail_url("a"), {"level": "plain"}).json()

        assert body["title"] == "a plain title [en]"
        assert body["level"] == {"requested": "plain", "served": "plain", "fell_back": False}

    def test_missing_level_falls_back_and_says_so(self, client):
        make_article("a", levels=("standard",))

        body = client.get(detail_url("a"), {"level": "plain"}).json()

        assert body["level"] == {"requested": "plain", "served": "standard", "fell_back": True}

    def test_language_is_preferred_over_level(self, client):
        article = make_article("a", languages=("en",))
        standard = article.variants.get(level="standard")
        set_texts(standard, "es", title="Título", summary="Resumen", body="Texto en español. Es claro.")
        publish_edit(standard)

        body = client.get(detail_url("a"), {"level": "plain", "lang": "es"}).json()

        assert body["title"] == "Título"
        assert body["level"]["served"] == "standard"
        assert body["level"]["fell_back"] is True

    def test_unknown_level_is_a_400(self, client):
        response = client.get(detail_url("a"), {"level": "expert"})

        assert response.status_code == 400
        assert response.json()["error"]["details"]["supported"] == ["standard", "plain"]


class TestDetailContent:
    def test_detail_holds_everything_an_app_needs(self, client):
        source = make_source(
            publisher="American Cancer Society (ACS)", title="Bone Metastasis", last_medical_review=datetime.date(2012, 5, 3)
        )
        make_term("biopsy", en=("biopsy", "Removal of tissue to examine it.", "Taking a small piece to test."))
        make_article("a", sources=[source])

        body = client.get(detail_url("a")).json()

        assert [block["type"] for block in body["blocks"]] == ["heading", "paragraph", "list"]
        assert body["blocks"][2]["items"] == ["Pain", "Swelling"]
        assert body["reading_time_minutes"] > 0
        assert body["readability"]["formula"]
        assert isinstance(body["readability"]["score"], float)
        assert body["sources"][0]["review_date"] == "2012-05-03"
        assert "American Cancer Society" in body["sources"][0]["attribution"]
        assert "May 3, 2012" in body["sources"][0]["attribution"]
        span = body["glossary"][0]
        paragraph = body["blocks"][span["block"]]["text"]
        assert paragraph[span["start"] : span["end"]].lower() == "biopsy"
        assert body["glossary_terms"] == [{"slug": "biopsy", "term": "biopsy", "definition": "Removal of tissue to examine it."}]
        assert body["available"] == [{"level": "plain", "languages": ["en"]}, {"level": "standard", "languages": ["en"]}]

    def test_plain_level_gets_plain_glossary_definitions(self, client):
        make_term("biopsy", en=("biopsy", "Removal of tissue to examine it.", "Taking a small piece to test."))
        make_article("a")

        body = client.get(detail_url("a"), {"level": "plain"}).json()

        assert body["glossary_terms"][0]["definition"] == "Taking a small piece to test."

    def test_unreviewed_translation_says_so(self, client):
        make_article("a", languages=("en", "es"), reviewed=("en",))

        spanish = client.get(detail_url("a"), {"lang": "es"}).json()["review"]
        english = client.get(detail_url("a")).json()["review"]

        assert spanish["status"] == "unreviewed"
        assert "sin revisar" in spanish["notice"].lower() or "unreviewed" in spanish["notice"].lower()
        assert english["status"] == "clinician_reviewed"

    def test_unicode_and_odd_slugs_get_a_json_404(self, client):
        for slug in ("ostéosarcome", "骨肉瘤", "%00", "a" * 300):
            response = client.get(detail_url(slug))
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "article_not_found"


class TestListFilters:
    def test_topic_filter(self, client):
        make_article("cut", topic=make_topic("surgery"))
        make_article("spread", topic=make_topic("bone-metastasis", name="Bone metastasis", position=2))

        assert slugs(client.get(LIST_URL, {"topic": "bone-metastasis"})) == ["spread"]

    def test_search_looks_in_the_served_language(self, client):
        article = make_article("a", languages=("en", "es"))
        variant = article.variants.get(level="standard")
        set_texts(variant, "es", body="La quimioterapia ayuda. Es un tratamiento.")
        publish_edit(variant)
        make_article("b", languages=("en", "es"))

        assert slugs(client.get(LIST_URL, {"q": "quimioterapia", "lang": "es"})) == ["a"]
        assert slugs(client.get(LIST_URL, {"q": "quimioterapia", "lang": "en"})) == []

    def test_updated_since(self, client):
        old = make_article("old")
        Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=30))
        make_article("new")
        since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()

        assert slugs(client.get(LIST_URL, {"updated_since": since})) == ["new"]

    @pytest.mark.parametrize(
        "params, status, code",
        [
            ({"page": "abc"}, 400, "invalid_page"),
            ({"page": "0"}, 400, "invalid_page"),
            ({"page": "999999"}, 404, "page_out_of_range"),
            ({"page_size": "1000"}, 400, "invalid_page_size"),
            ({"updated_since": "garbage"}, 400, "invalid_parameter"),
            ({"updated_since": ""}, 400, "invalid_parameter"),
            ({"page": "²"}, 400, "invalid_page"),
            ({"page": "١"}, 400, "invalid_page"),
            ({"page": "9" * 5000}, 400, "invalid_page"),
            ({"page": str(2**63)}, 400, "invalid_page"),
            ({"page": str(2**63 - 1)}, 404, "page_out_of_range"),
            ({"page_size": "²"}, 400, "invalid_page_size"),
            ({"page_size": "0010"}, 200, None),
            ({"q": "x" * 5000}, 400, "invalid_parameter"),
            ({"level": "expert"}, 400, "unsupported_level"),
            ({"lang": "x" * 500}, 400, "unsupported_language"),
            ({"topic": "\u0000"}, 400, "invalid_parameter"),
        ],
    )
    def test_malformed_requests_get_a_clear_error_never_a_500(self, client, params, status, code):
        make_article("a")

        response = client.get(LIST_URL, params)

        assert response.status_code == status
        if code:
            assert response.json()["error"]["code"] == code
            assert response.json()["error"]["message"]

    def test_a_date_time_beyond_the_calendar_in_utc_is_valid_and_means_everything_or_nothing(self, client):
        """The schema calls any RFC 3339 date-time valid, so one the database cannot hold is still answered."""
        make_article("a")

        assert slugs(client.get(LIST_URL, {"updated_since": "0001-01-01T00:00:00+14:00"})) == ["a"]
        assert slugs(client.get(LIST_URL, {"updated_since": "9999-12-31T23:59:59-14:00"})) == []

    def test_updated_since_at_the_edges_of_the_calendar_is_served(self, client):
        make_article("a")

        assert slugs(client.get(LIST_URL, {"updated_since": "0001-01-01T00:00:00Z"})) == ["a"]
        assert slugs(client.get(LIST_URL, {"updated_since": "0001-01-01T00:00:00-05:00"})) == ["a"]
        assert slugs(client.get(LIST_URL, {"updated_since": "9999-12-31T23:59:59Z"})) == []

    def test_pagination_has_count_next_previous_and_stable_order(self, client):
        for number in range(5):
            make_article(f"article-{number}")

        first = client.get(LIST_URL, {"page_size": 2}).json()
        second = client.get(first["next"]).json()

        assert first["count"] == 5
        assert first["previous"] is None
        assert [item["slug"] for item in first["results"]] == ["article-0", "article-1"]
        assert [item["slug"] for item in second["results"]] == ["article-2", "article-3"]


class TestCaching:
    def test_etag_and_last_modified_on_list_and_detail(self, client):
        make_article("a")
        for url in (LIST_URL, detail_url("a")):
            response = client.get(url)
            assert response["ETag"]
            assert response["Last-Modified"]
            assert "max-age" in response["Cache-Control"]

    def test_etag_differs_per_language_and_level(self, client):
        make_article("a", languages=("en", "es"))
        etags = {
            client.get(detail_url("a"), params)["ETag"]
            for params in ({}, {"lang": "es"}, {"level": "plain"}, {"lang": "es", "level": "plain"})
        }
        assert len(etags) == 4

    def test_conditional_requests_get_304_until_the_article_changes(self, client):
        article = make_article("a")
        first = client.get(detail_url("a"))

        not_modified = client.get(detail_url("a"), HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = client.get(detail_url("a"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert not_modified.status_code == 304
        assert not_modified["ETag"] == first["ETag"]
        assert by_date.status_code == 304

        variant = article.variants.get(level="standard")
        set_texts(variant, "en", title="A new title")
        publish_edit(variant)
        changed = client.get(detail_url("a"), HTTP_IF_NONE_MATCH=first["ETag"])
        assert changed.status_code == 200
        assert changed.json()["title"] == "A new title"

    def test_list_304_and_invalidation_when_an_article_is_published(self, client):
        make_article("a")
        first = client.get(LIST_URL)
        assert client.get(LIST_URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

        make_article("b")
        assert client.get(LIST_URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200

    def test_a_filtered_list_is_304_until_an_article_it_lists_is_published(self, client):
        """A filtered list is never stored; its ETag comes from the list's validators over what it lists."""
        make_article("cut", topic=make_topic("surgery"))
        query = {"topic": "surgery"}
        first = client.get(LIST_URL, query)
        assert client.get(LIST_URL, query, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

        make_article("spread", topic=make_topic("bone-metastasis", name="Bone metastasis", position=2))
        assert client.get(LIST_URL, query, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304  # not listed here

        make_article("drain", topic=make_topic("surgery"))
        changed = client.get(LIST_URL, query, HTTP_IF_NONE_MATCH=first["ETag"])
        assert changed.status_code == 200
        assert [item["slug"] for item in changed.json()["results"]] == ["cut", "drain"]

    def test_a_search_that_finds_nothing_is_an_empty_list_with_an_etag(self, client):
        make_article("a")
        first = client.get(LIST_URL, {"q": "zzzzqqqq"})
        assert first.status_code == 200 and first.json()["count"] == 0
        assert client.get(LIST_URL, {"q": "zzzzqqqq"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


class TestQueryCounts:
    @pytest.mark.parametrize("article_count", [5, 50])
    def test_list_queries_do_not_grow_with_articles(self, client, django_assert_max_num_queries, article_count):
        for number in range(article_count):
            make_article(f"article-{number:02d}", languages=("en", "es"))

        with django_assert_max_num_queries(7):  # built and stored
            response = client.get(LIST_URL, {"lang": "es"})
        assert len(response.json()["results"]) == min(article_count, 20)
        with django_assert_max_num_queries(1):  # served from storage
            again = client.get(LIST_URL, {"lang": "es"})
        assert again.json() == response.json()

    @pytest.mark.parametrize("article_count", [5, 50])
    def test_detail_queries_do_not_grow_with_articles(self, client, django_assert_max_num_queries, article_count):
        source = make_source()
        for number in range(article_count):
            make_article(f"article-{number:02d}", languages=("en", "es"), sources=[source])

        with django_assert_max_num_queries(8):  # built and stored
            response = client.get(detail_url("article-03"), {"lang": "es"})
        assert response.status_code == 200
        with django_assert_max_num_queries(1):  # served from storage
            again = client.get(detail_url("article-03"), {"lang": "es"})
        assert again.json() == response.json() and again["ETag"] == response["ETag"]


def test_an_edit_moves_the_article_timestamp_when_it_is_published_not_before():
    article = make_article("a")
    before = article.updated_at
    variant = ArticleVariant.objects.get(article=article, level="plain")
    set_texts(variant, "en", summary="A changed summary.")
    services.save_variant(variant)
    article.refresh_from_db()
    assert article.updated_at == before
    services.publish_article(article)
    article.refresh_from_db()
    assert article.updated_at > before

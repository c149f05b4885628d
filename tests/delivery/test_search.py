"""Search in the served language, on whichever database the suite runs on (SQLite and PostgreSQL in CI).

The table runs real queries against the shipped articles in all five
languages: plurals, missing accents, inflected forms, Arabic prefixes and
Chinese words must all find their article, on both databases.
"""

import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.editorial import services
from content.models import ArticleStatus, SearchEntry
from content.text.search_terms import excerpt, highlights, query_keys
from tests.factories import make_article, make_term, publish_edit, set_texts

pytestmark = pytest.mark.django_db

SEARCH_URL = "/api/v1/search/"

# (language, query, the article it must find, what it shows)
TABLE = [
    ("en", "amputations", "surgery-and-limb-salvage", "plural (text says amputation)"),
    ("en", "metastases", "treating-bone-metastases", "plural of metastasis"),
    ("en", "treated", "treating-bone-metastases", "inflected verb (treating, treatment)"),
    ("es", "quimioterapias", "bone-cancer-treatment-options", "plural (text says quimioterapia)"),
    ("es", "metastasis", "metastatic-bone-cancer", "no accent (text says metástasis)"),
    ("es", "cirugias", "surgery-and-limb-salvage", "plural without the accent (cirugía)"),
    ("fr", "chirurgies", "surgery-and-limb-salvage", "plural (text says chirurgie)"),
    ("fr", "metastase", "treating-bone-metastases", "singular without accent (métastases)"),
    ("fr", "traitements", "bone-cancer-treatment-options", "plural (traitement)"),
    ("zh-hans", "骨转移", "treating-bone-metastases", "three characters: bigrams"),
    ("zh-hans", "截肢", "surgery-and-limb-salvage", "two characters"),
    ("zh-hans", "化疗", "bone-cancer-treatment-options", "two characters"),
    ("ar", "والعلاج الكيميائي", "bone-cancer-treatment-options", "و + ال prefix"),
    ("ar", "بالبتر", "surgery-and-limb-salvage", "بال prefix (text says البتر)"),
    ("ar", "النقائل", "treating-bone-metastases", "ال prefix, broken plural as written"),
    ("ar", "نقائل", "treating-bone-metastases", "without the article (text says النقائل)"),
]


def article_results(client, language, query, level="standard"):
    response = client.get(SEARCH_URL, {"q": query, "lang": language, "level": level, "type": "article", "page_size": 100})
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_the_search_table_finds_every_article_in_every_language(client):
    call_command("load_content", verbosity=0)
    outcome, failures = [], []
    for language, query, expected, why in TABLE:
        found = article_results(client, language, query)
        listed = [item["slug"] for item in client.get("/api/v1/articles/", {"q": query, "lang": language, "page_size": 100}).json()["results"]]
        rank = found.index(expected) + 1 if expected in found else None
        outcome.append(f"{connection.vendor:10} {language:8} {query:20} {expected:42} rank {rank} of {len(found)}  ({why}) {sorted(found)}")
        if rank is None or expected not in listed:
            failures.append((language, query, expected, found, listed))
    print("\n" + "\n".join(outcome))
    assert not failures


def test_results_are_ranked_say_where_they_matched_and_cover_glossary_terms(client):
    article = make_article("amputation-guide", languages=("en",))
    variant = article.variants.get(level="standard")
    set_texts(variant, "en", title="Living after an amputation", summary="What to expect.", body="Rehabilitation takes time.\n\nSome people need an amputation later.")
    publish_edit(variant)
    make_article("other", languages=("en",))
    make_term("amputation", en=("amputation", "Surgery to remove a limb.", "An operation to take off an arm or leg."))

    body = client.get(SEARCH_URL, {"q": "amputations"}).json()

    assert body["count"] == 2
    types = {item["type"]: item for item in body["results"]}
    assert set(types) == {"article", "glossary"}
    result = types["article"]
    assert result["slug"] == "amputation-guide"
    assert result["url"].endswith("/api/v1/articles/amputation-guide/?lang=en&level=standard")
    title = result["matches"][0]
    assert title["field"] == "title"
    assert [title["text"][h["start"]:h["end"]] for h in title["highlights"]] == ["amputation"]
    assert [match["field"] for match in result["matches"]] == ["title", "body"]
    term = types["glossary"]
    assert term["url"].endswith("/api/v1/glossary/amputation/?lang=en&level=standard")
    assert term["matches"][0]["field"] == "term"
    scores = [item["score"] for item in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_a_match_in_the_title_ranks_above_one_in_the_body(client):
    in_title = make_article("in-title", languages=("en",))
    in_body = make_article("in-body", languages=("en",))
    variant = in_title.variants.get(level="standard")
    set_texts(variant, "en", title="Radiotherapy explained")
    publish_edit(variant)
    variant = in_body.variants.get(level="standard")
    set_texts(variant, "en", body="Some people have radiotherapy after surgery.")
    publish_edit(variant)

    assert article_results(client, "en", "radiotherapy") == ["in-title", "in-body"]


def test_highlights_give_utf16_offsets_after_an_astral_character(client):
    article = make_article("emoji", languages=("en",))
    variant = article.variants.get(level="standard")
    set_texts(variant, "en", title="𝐍 Amputation")
    publish_edit(variant)

    match = client.get(SEARCH_URL, {"q": "amputation"}).json()["results"][0]["matches"][0]

    assert match["highlights"] == [{"start": 2, "end": 12, "start_utf16": 3, "end_utf16": 13}]


def test_each_query_highlights_its_own_words_and_a_word_the_text_lacks_changes_nothing(client):
    article = make_article("walk", languages=("en",))
    variant = article.variants.get(level="standard")
    set_texts(variant, "en", title="Walking after amputation surgery")
    publish_edit(variant)

    def title_highlights(query):
        match = client.get(SEARCH_URL, {"q": query}).json()["results"][0]["matches"][0]
        assert match["field"] == "title"
        return [match["text"][span["start"]:span["end"]] for span in match["highlights"]]

    assert title_highlights("amputation") == ["amputation"]
    assert title_highlights("surgery") == ["surgery"]
    assert title_highlights("amputation zqxwvy") == ["amputation"]
    assert title_highlights("walking surgery") == ["Walking", "surgery"]


def test_queries_that_differ_by_words_found_nowhere_answer_alike_and_a_found_word_still_counts(client):
    # Such queries are ranked and shaped once (search.Hits.signature); nothing found by the other words may leak.
    walk, pain = make_article("walk", languages=("en",)), make_article("pain", languages=("en",))
    for article, title in ((walk, "Walking after amputation surgery"), (pain, "Relief of bone pain after surgery")):
        variant = article.variants.get(level="standard")
        set_texts(variant, "en", title=title, summary="What to expect.", body="Ask your care team.")
        publish_edit(variant)

    def results(query):
        answer = client.get(SEARCH_URL, {"q": query, "lang": "en", "type": "article"}).json()
        return [(item["slug"], [match["text"][span["start"]:span["end"]] for match in item["matches"]
                                if match["field"] == "title" for span in match["highlights"]]) for item in answer["results"]]

    assert results("amputation qzxwvy") == results("amputation vbkqzj") == [("walk", ["amputation"])]
    assert results("surgery qzxwvy") == results("surgery jqvbzk")
    assert sorted(results("surgery jqvbzk")) == [("pain", ["surgery"]), ("walk", ["surgery"])]
    assert sorted(results("amputation pain")) == [("pain", ["pain"]), ("walk", ["amputation"])]
    assert results("pain qzxwvy") == [("pain", ["pain"])]
    assert results("amputation surgery qzxwvy")[0] == ("walk", ["amputation", "surgery"])
    assert results("surgery pain vbkqzj")[0] == ("pain", ["pain", "surgery"])


def test_only_published_text_is_found_never_a_working_copy(client):
    article = make_article("guide", languages=("en",))
    variant = article.variants.get(level="standard")
    set_texts(variant, "en", body="Physiotherapy helps recovery.")
    services.save_variant(variant)  # pending, not published
    make_article("draft-one", status=ArticleStatus.DRAFT, languages=("en",))

    assert article_results(client, "en", "physiotherapy") == []
    assert article_results(client, "en", "draft-one") == []

    services.publish_article(article)
    assert article_results(client, "en", "physiotherapy") == ["guide"]


def test_a_withdrawn_article_is_no_longer_found(client):
    article = make_article("going", languages=("en",))
    assert article_results(client, "en", "biopsy") == ["going"]

    services.move_article(article, ArticleStatus.ARCHIVED)

    assert article_results(client, "en", "biopsy") == []
    assert not SearchEntry.objects.filter(slug="going").exists()


def test_an_untranslated_field_is_searched_in_english_and_says_so(client):
    make_article("english-only", languages=("en",))

    result = client.get(SEARCH_URL, {"q": "biopsies", "lang": "fr", "type": "article"}).json()["results"]

    assert [item["slug"] for item in result] == ["english-only"]
    assert result[0]["language"]["served"] == "en"
    assert result[0]["language"]["fell_back"] is True
    assert set(result[0]["language"]["fallback_fields"]) == {"title", "summary", "body"}


def test_each_level_searches_its_own_text(client):
    article = make_article("levels", languages=("en",))
    plain = article.variants.get(level="plain")
    set_texts(plain, "en", body="Doctors check a small piece of bone.")
    publish_edit(plain)

    assert article_results(client, "en", "piece", level="plain") == ["levels"]
    assert article_results(client, "en", "piece", level="standard") == []


def test_a_glossary_term_is_found_once_published_in_its_language(client):
    make_term("biopsy", en=("biopsy", "Removal of tissue.", "Taking a small piece."), es=("biopsia", "Extracción de tejido.", "Sacar un trozo."))

    found = client.get(SEARCH_URL, {"q": "biopsias", "lang": "es", "type": "glossary"}).json()["results"]
    assert [(item["type"], item["slug"], item["title"]) for item in found] == [("glossary", "biopsy", "biopsia")]

    plain = client.get(SEARCH_URL, {"q": "trozos", "lang": "es", "level": "plain", "type": "glossary"}).json()["results"]
    assert [match["field"] for match in plain[0]["matches"]] == ["definition"]


@pytest.mark.parametrize("language, query", [("en", "the of and"), ("es", "de la que"), ("fr", "le les des")])
def test_a_query_of_common_words_only_finds_nothing(client, language, query):
    make_article("common", languages=("en", "es", "fr"))
    response = client.get(SEARCH_URL, {"q": query, "lang": language})
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    "params, field",
    [({}, "q"), ({"q": ""}, "q"), ({"q": "   "}, "q"), ({"q": "x" * 201}, "q"), ({"q": "bone", "type": "page"}, "type"),
     ({"q": "bo\x00ne"}, "q")],
)
def test_bad_input_is_a_400_in_the_error_shape(client, params, field):
    response = client.get(SEARCH_URL, params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert field in error["details"]["fields"]


def test_an_unsupported_language_is_refused_as_everywhere(client):
    response = client.get(SEARCH_URL, {"q": "bone", "lang": "de"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unsupported_language"


def test_fts_syntax_in_a_query_is_just_words(client):
    make_article("syntax", languages=("en",))
    for query in ('"bone', "bone*", "bone OR NEAR(pain)", "-bone", "bone:pain", "'; DROP TABLE x; --"):
        assert client.get(SEARCH_URL, {"q": query}).status_code == 200


def test_answers_carry_an_etag_and_a_repeat_gets_304(client):
    make_article("cached", languages=("en",))
    first = client.get(SEARCH_URL, {"q": "bone"})
    assert first["Content-Language"] == "en"
    again = client.get(SEARCH_URL, {"q": "bone"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    other = client.get(SEARCH_URL, {"q": "biopsy"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200


def test_search_reads_flat_precomputed_rows_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for number in range(12):
        make_article(f"many-{number}", languages=("en", "es"))
    # The change log's head (ETag), the glossary's names, the vocabulary, the titles (ranking by field), the
    # matches and the page's entries: as many for 12 results as for one. All but the head, the matches and the entries
    # are held once read, and a word not in the vocabulary is corrected from the held one.
    with django_assert_max_num_queries(6):
        body = client.get(SEARCH_URL, {"q": "biopsia", "lang": "es", "page_size": 100}).json()
    assert body["count"] == 12


def test_a_made_up_word_reads_nothing_of_the_index_and_a_form_of_an_indexed_word_still_does(client):
    # A stem no indexed word has cannot match: the held vocabulary says so, and the search asks the index nothing for it.
    make_article("scan", languages=("en",))
    assert client.get(SEARCH_URL, {"q": "biopsy xkqzvj", "lang": "en"}).status_code == 200
    index_reads = ("MATCH", "@@")
    with CaptureQueriesContext(connection) as made_up:
        body = client.get(SEARCH_URL, {"q": "biopsy qzxwvj", "lang": "en"}).json()
    assert body["results"] and not [query for query in made_up if any(read in query["sql"] for read in index_reads)]
    with CaptureQueriesContext(connection) as plural:
        body = client.get(SEARCH_URL, {"q": "biopsies", "lang": "en"}).json()
    assert [query for query in plural if any(read in query["sql"] for read in index_reads)]
    assert body["results"]


def test_rebuilding_the_index_is_idempotent_and_restores_it():
    make_article("rebuilt", languages=("en", "ar"))
    make_term("biopsy", en=("biopsy", "Removal of tissue.", "Taking a small piece."))
    before = sorted(SearchEntry.objects.values_list("kind", "slug", "language", "level", "title", "summary", "body"))

    call_command("rebuild_search_index", verbosity=0)
    call_command("rebuild_search_index", verbosity=0)

    after = sorted(SearchEntry.objects.values_list("kind", "slug", "language", "level", "title", "summary", "body"))
    assert after == before
    from content.delivery.search import find

    assert len(find("الخزعة", "ar", "standard")) == 1
    assert len(find("biopsies", "en", "standard")) == 2  # the article and the term


def test_the_index_links_the_search(client):
    assert client.get("/api/v1/").json()["search"].endswith("/api/v1/search/")


# --- the normalisation itself (no database) -----------------------------------


@pytest.mark.parametrize(
    "language, one, other",
    [
        ("es", "quimioterapias", "quimioterapia"),
        ("es", "metastasis", "metástasis"),
        ("fr", "chirurgies", "chirurgie"),
        ("fr", "oesophage", "œsophage"),
        ("en", "amputations", "amputation"),
        ("ar", "والعلاج", "العلاج"),
        ("ar", "بالعلاج", "علاج"),
        ("ar", "فالعلاج", "العلاجُ"),
        ("ar", "للعظام", "العظام"),
    ],
)
def test_forms_of_a_word_share_one_search_term(language, one, other):
    assert query_keys(one, language) == query_keys(other, language)


def test_chinese_is_searched_by_character_pairs():
    assert query_keys("骨转移", "zh-hans") == ("骨转", "转移")
    assert query_keys("骨", "zh-hans") == ("骨",)
    assert highlights("治疗骨转移的方法", "zh-hans", query_keys("骨转移", "zh-hans")) == [(2, 5)]


def test_a_body_excerpt_keeps_the_match_and_its_offsets():
    text = "Intro sentence. " * 20 + "Amputation is sometimes needed. " + "More words follow. " * 20
    spans = highlights(text, "en", query_keys("amputations", "en"))
    snippet, inside = excerpt(text, spans)
    assert len(snippet) < 200 and snippet.startswith("…") and snippet.endswith("…")
    assert [snippet[start:end] for start, end in inside] == ["Amputation"]


def test_a_search_takes_milliseconds_on_the_shipped_content(client):
    call_command("load_content", verbosity=0)
    client.get(SEARCH_URL, {"q": "quimioterapias", "lang": "es"})  # warm the stemmers
    started = time.perf_counter()
    for _ in range(20):
        assert client.get(SEARCH_URL, {"q": "quimioterapias", "lang": "es"}).status_code == 200
    per_request = (time.perf_counter() - started) / 20
    print(f"\n{connection.vendor}: search {per_request * 1000:.1f} ms per request")
    assert per_request < 0.5


def test_odd_values_never_cause_a_server_error(client):
    from tests.test_api_reference import ODD_VALUES

    make_article("odd", languages=("en", "ar", "zh-hans"))
    for value in ODD_VALUES + ["骨" * 200, "ال" * 100, "\u0651\u064e", "𝐍" * 50]:
        for params in ({"q": value}, {"q": value, "lang": "ar"}, {"q": value, "lang": "zh-hans"}, {"q": "bone", "type": value}):
            response = client.get(SEARCH_URL, params)
            assert response.status_code in (200, 400), (params, response.status_code)
            if response.status_code == 400:
                assert response.json()["error"]["code"] == "invalid_parameter"


@pytest.mark.parametrize("language", ["en", "es", "fr", "zh-hans", "ar"])
def test_answers_match_the_published_schema(client, language):
    from tests.openapi_contract import assert_matches_schema, published_schema

    openapi = published_schema()
    make_article("everywhere", languages=("en", "es", "fr", "zh-hans", "ar"))
    make_article("english-only", languages=("en",))
    make_term("biopsy", en=("biopsy", "Removal of tissue.", "Taking a small piece."))
    words = {"en": "biopsy bone", "es": "biopsia", "fr": "biopsie", "zh-hans": "活检", "ar": "الخزعة"}[language]
    for level in ("standard", "plain"):
        response = client.get(SEARCH_URL, {"q": words, "lang": language, "level": level})
        assert response.json()["count"] >= 1
        assert_matches_schema(openapi, response, "/api/v1/search/")
    assert_matches_schema(openapi, client.get(SEARCH_URL, {"q": "bone", "lang": "fr"}), "/api/v1/search/")  # English fallback
    assert_matches_schema(openapi, client.get(SEARCH_URL, {"lang": language}), "/api/v1/search/")
    first = client.get(SEARCH_URL, {"q": words, "lang": language})
    assert_matches_schema(openapi, client.get(SEARCH_URL, {"q": words, "lang": language}, HTTP_IF_NONE_MATCH=first["ETag"]), "/api/v1/search/")

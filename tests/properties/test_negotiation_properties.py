"""Negotiation, for any header and any parameters: a language we serve, or a 400. Never a 500, never another language."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from content.delivery.negotiation import NegotiationError, negotiate, supported_language
from content.languages import bcp47_tag, language_codes
from content.models import ReadingLevel
from tests.factories import make_article

# What a client can put in a header: latin-1 text without control characters (WSGI decodes headers as latin-1).
header_text = st.text(st.characters(max_codepoint=255, blacklist_categories=("Cc",)), max_size=120)
# Something that looks like an Accept-Language header: tags, q-values, separators, in any mix.
tag = st.from_regex(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}|\*", fullmatch=True)
quality = st.one_of(st.just(""), st.from_regex(r";q=(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?|[0-9.]{1,6})", fullmatch=True))
accept_language = st.one_of(
    header_text, st.lists(st.tuples(tag, quality).map("".join), max_size=6).map(", ".join)
)
parameter = st.one_of(st.sampled_from(language_codes() + ["ZH-HANS", "fr-CA", "", " es", "pt", "x" * 40]), st.text(max_size=40))
level = st.one_of(st.sampled_from(list(ReadingLevel.values) + ["PLAIN", "", "expert"]), st.text(max_size=20))


@given(st.text(max_size=60))
@example("zh-Hant-TW")
@example("ar-Latn")
@example("x" * 36)
@example("\x00")
def test_supported_language_is_ours_or_none(text):
    assert supported_language(text) in (None, *language_codes())


@given(
    accept_language,
    st.one_of(st.none(), parameter),
    st.one_of(st.none(), level),
)
@example("fr-CA;q=0.8, *;q=0.1", None, None)
@example("*;q=0", "AR", "plain")
@example("zh-TW, zh;q=0.5", None, "PLAIN")
@example(",,;;q=", "", "")
def test_negotiation_gives_a_language_we_serve_or_a_clear_refusal(header, lang, level_value):
    query = {}
    if lang is not None:
        query["lang"] = lang
    if level_value is not None:
        query["level"] = level_value
    try:
        negotiated = negotiate(query, header)
    except NegotiationError as refusal:
        assert refusal.code in ("unsupported_language", "unsupported_level")
        assert refusal.message
        return
    assert negotiated.language in language_codes()
    assert negotiated.level in ReadingLevel.values
    if lang is not None:
        assert negotiated.language == lang.lower()




@pytest.mark.django_db
@given(accept_language, st.one_of(st.none(), parameter), st.one_of(st.none(), level))
@example("fr-CA", None, None)
@example("es", "ar", "plain")
@example("", "zh-Hant", None)
@example("\xff\xfe", "\u0661", "\u00b2")
def test_every_request_is_answered_in_a_language_we_serve_or_refused_with_400(
    client, settings, header, lang, level_value
):
    # Dozens of examples of three requests each, from one address: far past the anonymous rate limit.
    settings.BONECARE_ANONYMOUS_LIMIT = 10**6
    make_article_once()
    params = {key: value for key, value in (("lang", lang), ("level", level_value)) if value is not None}
    tags = {bcp47_tag(code) for code in language_codes()}
    for path in ("/api/v1/articles/", "/api/v1/articles/props/", "/api/v1/glossary/"):
        response = client.get(path, params, HTTP_ACCEPT_LANGUAGE=header)
        assert response.status_code in (200, 400), (path, response.status_code)
        if response.status_code == 200:
            assert response["Content-Language"] in tags
        else:
            assert response.json()["error"]["code"] in ("unsupported_language", "unsupported_level")


def make_article_once():
    from content.models import Article

    if not Article.objects.filter(slug="props").exists():
        make_article("props", languages=("en", "es", "fr", "zh-hans", "ar"))

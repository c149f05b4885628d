"""An offline app syncs: everything once, then deltas with tombstones, in its language and level."""

import base64

import pytest

from content.editorial import services
from content.models import Article, ArticleStatus, ChangeLogEntry
from tests.factories import make_article, make_term, set_texts

pytestmark = pytest.mark.django_db


def sync(client, cursor=None, **params):
    query = dict(params)
    if cursor is not None:
        query["cursor"] = cursor
    response = client.get("/api/v1/sync/", query)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def slugs(answer):
    return sorted(article["slug"] for article in answer["articles"])


@pytest.mark.parametrize("language", ["en", "es"])
def test_sync_across_publish_edit_withdraw_and_republish(client, language):
    make_article("a", languages=("en", "es"))
    make_article("b", languages=("en", "es"))
    make_term("biopsy", en=("biopsy", "A sample.", "A small piece."), es=("biopsia", "Una muestra.", "Un trozo."))
    params = {"lang": language, "level": "plain"}

    first = sync(client, **params)
    assert first["initial"] is True and slugs(first) == ["a", "b"] and first["tombstones"] == []
    assert {article["language"]["served"] for article in first["articles"]} == {language}
    assert {article["level"]["served"] for article in first["articles"]} == {"plain"}
    assert [term["slug"] for term in first["glossary"]] == ["biopsy"]

    nothing = sync(client, first["cursor"], **params)
    assert (nothing["articles"], nothing["glossary"], nothing["tombstones"]) == ([], [], [])
    assert nothing["cursor"] == first["cursor"]

    make_article("c", languages=("en", "es"))
    a_plain = Article.objects.get(slug="a").variants.get(level="plain")
    set_texts(a_plain, language, summary="Changed summary")
    services.save_variant(a_plain)
    unpublished = sync(client, first["cursor"], **params)
    assert slugs(unpublished) == ["c"], "an edit is not sent before it is published"
    services.publish_article(a_plain.article)  # a Medical reviewer publishes the edit

    delta = sync(client, first["cursor"], **params)
    assert slugs(delta) == ["a", "c"]
    assert next(a for a in delta["articles"] if a["slug"] == "a")["summary"] == "Changed summary"

    b = Article.objects.get(slug="b")
    services.move_article(b, ArticleStatus.ARCHIVED, comment="withdrawn")
    after_withdrawal = sync(client, delta["cursor"], **params)
    assert slugs(after_withdrawal) == []
    assert [(t["kind"], t["slug"]) for t in after_withdrawal["tombstones"]] == [("article", "b")]
    assert after_withdrawal["tombstones"][0]["withdrawn_at"]

    services.move_article(b, ArticleStatus.DRAFT)
    services.publish_article(b)
    back = sync(client, after_withdrawal["cursor"], **params)
    assert slugs(back) == ["b"] and back["tombstones"] == []
    # Across the whole history from the first cursor: b was withdrawn then republished, so it is sent, not buried.
    overall = sync(client, first["cursor"], **params)
    assert slugs(overall) == ["a", "b", "c"] and overall["tombstones"] == []


def test_a_glossary_change_is_sent_once_published(client):
    term = make_term("tumor", en=("tumor", "A lump.", "A lump."))
    first = sync(client)
    term.definition_en = "A lump of cells."
    services.save_glossary_term(term)
    assert sync(client, first["cursor"])["glossary"] == []
    services.publish_glossary_term(term)
    assert [t["definition"] for t in sync(client, first["cursor"])["glossary"]] == ["A lump of cells."]


@pytest.mark.parametrize("cursor", ["nonsense", "", "%%%", base64.urlsafe_b64encode(b"bc1:-1").decode(),
                                    base64.urlsafe_b64encode(b"other:5").decode()])
def test_a_malformed_cursor_is_a_400_in_the_error_shape(client, cursor):
    response = client.get("/api/v1/sync/", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_a_cursor_from_the_future_is_a_409_conflict(client):
    make_article("a")
    future = base64.urlsafe_b64encode(b"bc1:999999").decode().rstrip("=")
    response = client.get("/api/v1/sync/", {"cursor": future})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "cursor_from_future"


def test_a_repeated_sync_gets_304_until_something_is_published(client):
    make_article("a")
    first = client.get("/api/v1/sync/")
    assert client.get("/api/v1/sync/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    make_article("b")
    assert client.get("/api/v1/sync/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_sync_queries_do_not_grow_with_the_number_of_articles(client, django_assert_max_num_queries):
    for number in range(12):
        make_article(f"article-{number:02d}", languages=("en", "es"))
    with django_assert_max_num_queries(9):
        assert len(sync(client, lang="es")["articles"]) == 12


def cursor_of(raw):
    return base64.urlsafe_b64encode(raw).decode()


@pytest.mark.parametrize("spelling", ["leading zeros", "padding", "no such change"])
def test_a_cursor_this_api_never_issued_is_a_400_in_the_reader_s_language(client, spelling):
    """Report D16: other spellings of a cursor, and the id of no change at all, were taken for cursors."""
    for number in range(6):
        make_article(f"a{number}")
    ids = list(ChangeLogEntry.objects.order_by("id").values_list("id", flat=True))
    ChangeLogEntry.objects.filter(id=ids[2]).delete()  # an id no change has now (like a rolled-back one on PostgreSQL)
    cursor = {
        "leading zeros": cursor_of(f"bc1:000{ids[4]}".encode()).rstrip("="),
        "padding": cursor_of(b"bc1:0"),  # "YmMxOjA=": the start of the log, as this API never spells it
        "no such change": cursor_of(f"bc1:{ids[2]}".encode()).rstrip("="),
    }[spelling]
    assert cursor not in (cursor_of(f"bc1:{ids[4]}".encode()).rstrip("="), cursor_of(b"bc1:0").rstrip("="))
    response = client.get("/api/v1/sync/", {"cursor": cursor}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_cursor"
    assert error["message"] == "Este no es un cursor de sincronización de esta API. Sincronice de nuevo sin cursor."
    issued = client.get("/api/v1/sync/", {"cursor": cursor_of(f"bc1:{ids[4]}".encode()).rstrip("=")})
    assert issued.status_code == 200


@pytest.mark.parametrize("language", ["en", "es", "fr", "zh-hans", "ar"])
def test_cursor_errors_are_told_in_the_negotiated_language(client, language):
    from django.utils import translation

    make_article("a")
    future = base64.urlsafe_b64encode(b"bc1:999999").decode().rstrip("=")
    answers = {
        "invalid_cursor": client.get("/api/v1/sync/", {"cursor": "nonsense", "lang": language}),
        "cursor_from_future": client.get("/api/v1/sync/", {"cursor": future}, HTTP_ACCEPT_LANGUAGE=language),
    }
    english = {
        "invalid_cursor": "This is not a sync cursor from this API. Sync again without a cursor.",
        "cursor_from_future": "This sync cursor is ahead of the server's changes. Sync again without a cursor.",
    }

    for code, response in answers.items():
        error = response.json()["error"]
        assert error["code"] == code
        with translation.override(language):
            assert error["message"] == translation.gettext(english[code])
        assert (error["message"] == english[code]) == (language == "en"), f"{code} is English in {language}"

"""Published bodies are rendered once and then only looked up; a stale one is never served."""

import datetime

import pytest
from django.utils import timezone

from content.editorial import services
from content.models import Article, ArticleStatus, StoredPayload
from tests.factories import make_article, run_queued_refreshes, set_texts

pytestmark = pytest.mark.django_db
DETAIL = "/api/v1/articles/a/"


def test_a_stored_detail_is_served_with_one_query_and_the_same_body(client, django_assert_max_num_queries):
    make_article("a", languages=("en", "es"))
    first = client.get(DETAIL, {"lang": "es", "level": "plain"})

    with django_assert_max_num_queries(1):
        again = client.get(DETAIL, {"lang": "es", "level": "plain"})

    assert again.json() == first.json()
    assert again["ETag"] == first["ETag"] and again["Content-Language"] == "es"
    assert client.get(DETAIL, {"lang": "es", "level": "plain"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_withdrawn_article_is_never_served_from_storage(client):
    article = make_article("a")
    assert client.get(DETAIL).status_code == 200
    assert StoredPayload.objects.filter(scope="article:a").exists()

    services.move_article(article, ArticleStatus.ARCHIVED, comment="dosage advice found to be wrong")

    assert client.get(DETAIL).status_code == 404
    assert "a" not in [item["slug"] for item in client.get("/api/v1/articles/").json()["results"]]


def test_publication_renders_what_it_affects_so_the_next_reader_gets_a_stored_body(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    make_article("a", languages=("en", "es"))
    client.get(DETAIL, {"lang": "es"})
    client.get("/api/v1/articles/", {"lang": "es"})
    variant = Article.objects.get(slug="a").variants.get(level="standard")
    set_texts(variant, "es", summary="Un resumen publicado.")
    services.save_variant(variant)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(variant.article)
    assert run_queued_refreshes() == 2  # the publication queued the refresh; the worker renders both

    with django_assert_max_num_queries(2):  # one each
        detail = client.get(DETAIL, {"lang": "es"})
        listing = client.get("/api/v1/articles/", {"lang": "es"})
    assert detail.json()["summary"] == "Un resumen publicado."
    assert listing.json()["results"][0]["summary"] == "Un resumen publicado."


def test_a_filtered_answer_is_built_for_it_and_not_stored(client):
    make_article("a", languages=("en", "fr"))

    filtered = client.get("/api/v1/articles/", {"q": "title"})

    assert filtered.status_code == 200
    assert list(StoredPayload.objects.values_list("key", flat=True)) == []


def test_a_language_chosen_by_accept_language_is_stored_once_for_every_header_that_chooses_it(client):
    make_article("a", languages=("en", "fr"))

    canadian = client.get(DETAIL, HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    french = client.get(DETAIL, HTTP_ACCEPT_LANGUAGE="fr")

    assert canadian.json()["language"]["served"] == french.json()["language"]["served"] == "fr"
    # Each answer repeats its own header, from the one row stored for French chosen by a header.
    assert canadian.json()["language"]["requested"] == "fr-CA,fr;q=0.9"
    assert french.json()["language"]["requested"] == "fr"
    assert canadian["ETag"] != french["ETag"]
    assert list(StoredPayload.objects.values_list("key", flat=True)) == ["/api/v1/articles/a/?accept-language=fr"]


def test_a_stored_body_is_rendered_again_the_next_day(client, monkeypatch):
    make_article("a")
    first = client.get(DETAIL)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)

    again = client.get(DETAIL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert StoredPayload.objects.get(scope="article:a").generated_on == tomorrow


def test_stored_bodies_go_out_gzip_compressed_to_clients_that_accept_it(client):
    import gzip
    import json

    make_article("a")
    client.get(DETAIL)
    response = client.get(DETAIL, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert json.loads(gzip.decompress(response.content))["slug"] == "a"


def test_a_failed_render_after_publication_never_fails_the_publication(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from content.delivery.answers import refresh

    make_article("a")
    client.get(DETAIL)
    variant = Article.objects.get(slug="a").variants.get(level="standard")
    set_texts(variant, "en", summary="Published despite a render failure.")
    services.save_variant(variant)

    def broken(key):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(refresh, "render", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(variant.article)
    assert run_queued_refreshes() == 0

    assert client.get(DETAIL).json()["summary"] == "Published despite a render failure."


def test_the_drivers_cursor_and_djangos_fetch_the_same_stored_answer(client):
    from django.db import connection, transaction
    from django.db.utils import OperationalError, ProgrammingError
    from django.test.utils import CaptureQueriesContext

    from content.delivery import stored
    from content.delivery.answers import scopes

    make_article("a", languages=("en", "es"))
    client.get(DETAIL, {"lang": "es"})
    row = StoredPayload.objects.get(scope="article:a", key__contains="lang=es")
    validators = scopes.validators("article:a")

    by_driver = stored.fresh_answer(row.key, validators, compressed=False)  # nobody is counting queries
    with CaptureQueriesContext(connection) as watched:
        by_django = stored.fresh_answer(row.key, validators, compressed=False)

    assert by_driver == by_django and by_driver.body == bytes(row.body)
    assert len(watched.captured_queries) == 1
    broken = (("updated_at", "(SELECT no_such_column FROM content_article)", ()),)
    with pytest.raises((OperationalError, ProgrammingError)), transaction.atomic():
        stored.fresh_answer(row.key, broken, compressed=False)  # Django's errors, which the front hands on

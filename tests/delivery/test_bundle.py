"""One download per language and level with everything an app needs offline, gzip-compressed."""

import gzip
import json

import pytest
from django.core.management import call_command

from content.editorial import services
from content.models import Article, StoredPayload
from tests.factories import set_texts

pytestmark = pytest.mark.django_db


def fetch_bundle(client, **params):
    response = client.get("/api/v1/bundle/", params, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    return response, json.loads(gzip.decompress(response.content))


@pytest.mark.parametrize("language", ["en", "es", "fr", "zh-hans", "ar"])
def test_the_bundle_has_every_published_article_in_full_the_glossary_topics_and_languages(client, language):
    call_command("load_content", verbosity=0)

    response, body = fetch_bundle(client, lang=language, level="plain")

    assert response["ETag"] and "Accept-Encoding" in response["Vary"]
    assert sorted(article["slug"] for article in body["articles"]) == sorted(
        Article.objects.filter(status="published").values_list("slug", flat=True))
    assert all(article["blocks"] and article["language"]["served"] == language for article in body["articles"])
    assert len(body["glossary"]) == 50 and body["topics"] and len(body["languages"]) == 5
    assert body["language"] == language and body["level"] == "plain"
    sync = client.get("/api/v1/sync/", {"lang": language, "level": "plain", "cursor": body["cursor"]}).json()
    assert sync["articles"] == [] and sync["tombstones"] == []


def test_the_bundle_is_rendered_once_then_rebuilt_after_a_publication(client, django_assert_max_num_queries):
    call_command("load_content", verbosity=0)
    first, body = fetch_bundle(client, lang="es")
    with django_assert_max_num_queries(1):
        again, again_body = fetch_bundle(client, lang="es")
    assert again_body == body and again["ETag"] == first["ETag"]
    assert client.get("/api/v1/bundle/", {"lang": "es"}, HTTP_IF_NONE_MATCH=first["ETag"],
                      HTTP_ACCEPT_ENCODING="gzip").status_code == 304

    variant = Article.objects.get(slug="metastatic-bone-cancer").variants.get(level="standard")
    set_texts(variant, "es", summary="Resumen nuevo.")
    services.save_variant(variant)
    services.publish_article(variant.article)

    _response, rebuilt = fetch_bundle(client, lang="es")
    assert next(a for a in rebuilt["articles"] if a["slug"] == "metastatic-bone-cancer")["summary"] == "Resumen nuevo."
    assert StoredPayload.objects.filter(scope="bundle").count() == 1


def test_a_client_without_gzip_gets_plain_json(client):
    call_command("load_content", verbosity=0)
    response = client.get("/api/v1/bundle/", {"lang": "fr"})
    assert response.status_code == 200 and "Content-Encoding" not in response
    assert len(response.json()["articles"]) == 5


def test_json_responses_are_gzipped_for_clients_that_accept_it(client):
    call_command("load_content", verbosity=0)
    response = client.get("/api/v1/articles/", {"lang": "es"}, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["count"] == 5

"""Caches never hide a publication for long: a standards-following HTTP cache (hishel, RFC 9111) in front of a client.

Content (articles, lists, glossary, ...) may be reused at most 60 s in all
(max-age + stale-while-revalidate); sync and bundle are revalidated on every
use, so an app's sync sees a publication at once, and a 304 costs one query.
"""

import re

import hishel
import pytest
import requests
from hishel.requests import CacheAdapter

from content.delivery import cache_policy
from content.editorial import services
from content.models import Article
from tests.factories import make_article, make_term, set_texts

CONTENT_PATHS = [
    "/api/v1/", "/api/v1/articles/", "/api/v1/articles/a/", "/api/v1/glossary/", "/api/v1/glossary/biopsy/",
    "/api/v1/topics/", "/api/v1/languages/", "/api/v1/search/?q=bone", "/api/v1/schema/",
]
REVALIDATED_PATHS = ["/api/v1/sync/", "/api/v1/bundle/"]


def directives(header):
    return dict(
        (part.strip().split("=", 1) + [None])[:2] for part in header.split(",") if part.strip()
    )


def seconds(value):
    return int(value) if value and re.fullmatch(r"[0-9]+", value) else 0


@pytest.fixture
def content(db):
    make_article("a", languages=("en", "es"))
    make_term("biopsy", en=("biopsy", "A sample of tissue.", "A small piece."))


@pytest.mark.parametrize("path", CONTENT_PATHS)
def test_content_is_reused_at_most_60_seconds_in_all(client, content, path):
    for _ in range(2):  # built, then stored
        response = client.get(path)
        assert response.status_code == 200
        said = directives(response["Cache-Control"])
        assert "no-store" not in said
        assert seconds(said.get("max-age")) + seconds(said.get("stale-while-revalidate")) <= 60, said
        assert seconds(said.get("max-age")) > 0


@pytest.mark.parametrize("path", REVALIDATED_PATHS)
def test_sync_and_bundle_are_revalidated_on_every_use_and_a_304_is_one_query(
    client, content, path, django_assert_num_queries
):
    first = client.get(path)
    stored = client.get(path)
    said = directives(stored["Cache-Control"])
    assert first["Cache-Control"] == stored["Cache-Control"]
    assert "no-cache" in said and "max-age" not in said and "stale-while-revalidate" not in said
    assert stored["ETag"]  # the validator a revalidation sends back

    with django_assert_num_queries(1):
        not_modified = client.get(path, HTTP_IF_NONE_MATCH=stored["ETag"])
    assert not_modified.status_code == 304
    assert not_modified["Cache-Control"] == stored["Cache-Control"]


class Clock:
    """The cache's clock, moved by the test instead of waiting a minute."""

    def __init__(self, start):
        self.now = start

    def time(self):
        return self.now


@pytest.fixture
def cached_session(tmp_path, monkeypatch):
    """A requests session behind hishel's RFC 9111 cache, as a phone's private HTTP cache behaves, on a fake clock."""
    import time

    import hishel._core._spec as spec  # where hishel reads the clock to work out an answer's age

    clock = Clock(time.time())
    monkeypatch.setattr(spec, "time", clock)
    storage = hishel.SqliteStorage(database_path=str(tmp_path / "cache.db"))
    session = requests.Session()
    session.mount("http://", CacheAdapter(storage=storage, rfc=hishel.CacheOptions(shared=False)))
    yield session, clock
    session.close()


def publish_summary(slug, text):
    variant = Article.objects.get(slug=slug).variants.get(level="standard")
    set_texts(variant, "en", summary=text)
    services.save_variant(variant)
    services.publish_article(variant.article)  # a Medical reviewer publishes the correction


@pytest.mark.django_db(transaction=True)
def test_a_client_cache_shows_a_publication_within_60_seconds_and_sync_at_once(live_server, cached_session):
    session, clock = cached_session
    make_article("a", languages=("en",))
    detail = f"{live_server.url}/api/v1/articles/a/?lang=en"
    sync = f"{live_server.url}/api/v1/sync/?lang=en"

    before = session.get(detail).json()["summary"]
    first_sync = session.get(sync).json()
    again = session.get(detail)
    assert again.headers["X-Hishel-From-Cache"] == "true", "the cache is in use: it does reuse content"

    publish_summary("a", "A corrected summary.")
    clock.now += 5

    soon = session.get(f"{sync}&cursor={first_sync['cursor']}")
    assert [article["slug"] for article in soon.json()["articles"]] == ["a"], "sync sees the publication at once"
    assert soon.json()["articles"][0]["summary"] == "A corrected summary."
    assert session.get(sync).json()["cursor"] != first_sync["cursor"]

    clock.now += cache_policy.CONTENT_REUSE_SECONDS  # now more than 60 s after the answer was fetched
    after = session.get(detail).json()["summary"]
    assert before != "A corrected summary." and after == "A corrected summary."


@pytest.mark.django_db(transaction=True)
def test_a_repeated_sync_through_the_cache_asks_the_server_and_gets_304(live_server, cached_session):
    session, clock = cached_session
    make_article("a", languages=("en",))
    sync = f"{live_server.url}/api/v1/sync/?lang=en"

    session.get(sync)
    repeated = session.get(sync)

    assert repeated.status_code == 200
    assert repeated.headers["X-Hishel-Revalidated"] == "true", "no-cache: every use asks the server"

"""No request can change what a later one gets: every cache and stored answer holds all its answer depends on.

A hostile request (another host or port, a forwarded scheme or host, an odd
Accept, Accept-Language or Accept-Encoding, extra or repeated parameters) is
sent first, through the front as gunicorn would; then the ordinary request
must get exactly the answer it gets when nothing was sent before it.
"""

import datetime
import gzip
import json

import pytest
from content.delivery.stored import forget_held
from django.utils import timezone

from bonecare.front import StoredAnswerFront
from content.delivery.answers import refresh
from content.editorial import services
from content.models import Article, StoredPayload
from tests.factories import make_article, make_term, run_queued_refreshes, set_texts
from tests.test_front import PER_REQUEST, DjangoBehindTheFront, call

pytestmark = pytest.mark.django_db

# Every endpoint whose answers are stored or cached per ETag, as an app asks for it.
ENDPOINTS = [
    "/api/v1/articles/a/?lang=es",
    "/api/v1/articles/a/",
    "/api/v1/articles/",
    "/api/v1/articles/?lang=fr&topic=surgery",  # a filter: built per request, body cached per ETag
    "/api/v1/articles/?page_size=1&page=2",
    "/api/v1/languages/",
    "/api/v1/topics/?lang=es",
    "/api/v1/glossary/",
    "/api/v1/glossary/tumor/?lang=es",
    "/api/v1/sync/?lang=en",
    "/api/v1/bundle/?lang=es&level=plain",
    "/api/v1/search/?q=tumor&lang=es",
]

HOSTILE = {
    "another port": {"HTTP_HOST": "localhost:6666"},
    "another spelling of the host": {"HTTP_HOST": "LOCALHOST.:1"},
    "forwarded host and scheme": {
        "HTTP_X_FORWARDED_HOST": "evil.example", "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_PORT": "6666", "HTTP_FORWARDED": "host=evil.example;proto=https",
    },
    "json with parameters": {"HTTP_ACCEPT": "application/json; indent=4"},
    "html": {"HTTP_ACCEPT": "text/html"},
    "a browser's accept": {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    "another language": {"HTTP_ACCEPT_LANGUAGE": "ar, fr;q=0.5"},
    "gzip refused": {"HTTP_ACCEPT_ENCODING": "gzip;q=0, identity"},
    "gzip": {"HTTP_ACCEPT_ENCODING": "gzip"},
}

# Parameters added to the ordinary path: repeated, unknown, or written another way.
HOSTILE_QUERIES = ["lang=ar", "zz=1", "lang=ar&lang=es", "level=plain&level=standard"]


@pytest.fixture
def content(monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)  # the bundle says when it was built: the same every time
    make_article("a", languages=("en", "es", "fr", "ar"))
    make_article("b", languages=("en",))
    make_term("tumor", en=("tumor", "A lump of cells.", "A lump."), es=("tumor", "Un bulto de células.", "Un bulto."))


def fresh_front():
    """A front and a Django that have never answered anything: every cache and stored row forgotten."""
    StoredPayload.objects.all().delete()
    forget_held()
    return StoredAnswerFront(DjangoBehindTheFront())


def comparable(answer):
    return answer.status, {name: value for name, value in answer.headers.items() if name not in PER_REQUEST}, answer.body


def ordinary_answers(front, path):
    # Built (or found stored), then from storage by Django's middleware, then by the front.
    return [comparable(call(front, path)) for _ in range(3)]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_no_hostile_request_changes_what_a_later_ordinary_request_gets(content, path):
    # What the ordinary request gets when nothing came before it: as built, and as stored (for a body under
    # 200 bytes these two differ in Vary alone, as GZipMiddleware leaves those bodies alone).
    expected = ordinary_answers(fresh_front(), path)
    assert expected[0][0] == 200, expected

    for name, headers in HOSTILE.items():
        front = fresh_front()
        for _ in range(2):  # stored or cached by the first, answered from there to the second
            call(front, path, **headers)
        for answer in ordinary_answers(front, path):
            assert answer in expected, f"after a request with {name}"

    for query in HOSTILE_QUERIES:
        front = fresh_front()
        hostile = f"{path}{'&' if '?' in path else '?'}{query}"
        call(front, hostile)
        call(front, hostile)
        for answer in ordinary_answers(front, path):
            assert answer in expected, f"after {hostile}"


def test_links_name_the_public_address_whatever_host_or_scheme_the_request_named(client, settings):
    settings.BONECARE_PUBLIC_URL = "https://bonecare.example.org"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    make_article("a")

    for host, scheme in [("localhost:6666", "http"), ("127.0.0.1", "https"), ("testserver", "http")]:
        listing = client.get("/api/v1/articles/?page_size=1", HTTP_HOST=host, HTTP_X_FORWARDED_PROTO=scheme).json()
        detail = client.get("/api/v1/articles/a/", HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="es").json()
        index = client.get("/api/v1/", HTTP_HOST=host).json()

        assert listing["results"][0]["url"] == "https://bonecare.example.org/api/v1/articles/a/?lang=en&level=standard"
        assert detail["url"] == "https://bonecare.example.org/api/v1/articles/a/?lang=es&level=standard"
        assert index["articles"] == "https://bonecare.example.org/api/v1/articles/"


def test_host_variants_share_one_stored_answer(client):
    make_article("a")
    for host in ["localhost", "LOCALHOST:8000", "localhost.:1", "127.0.0.1:9", "[::1]:8000", "testserver"]:
        assert client.get("/api/v1/articles/a/?lang=en", HTTP_HOST=host).status_code == 200

    assert StoredPayload.objects.filter(scope="article:a").count() == 1


@pytest.mark.parametrize("host", ["testserver:6666", "testserver:80", "TESTSERVER:8443"])
@pytest.mark.parametrize("path", ["/api/v1/articles/a/", "/api/v1/articles/?topic=x", "/admin/login/"])
def test_in_production_a_host_naming_another_port_is_a_clear_400(client, settings, host, path):
    settings.BONECARE_PUBLIC_URL = "https://testserver"
    settings.BONECARE_REFUSE_OTHER_PORTS = True
    make_article("a")
    client.get("/api/v1/articles/a/")
    client.get("/api/v1/articles/a/")  # stored

    refused = client.get(path, HTTP_HOST=host)
    by_front = call(StoredAnswerFront(DjangoBehindTheFront()), path, HTTP_HOST=host)

    assert refused.status_code == by_front.status == 400
    if path.startswith("/api/"):
        assert refused.json()["error"]["code"] == "bad_host"
    for allowed in ["testserver", "testserver:443", "TestServer."]:
        assert client.get("/api/v1/articles/a/", HTTP_HOST=allowed).status_code == 200


def unzipped(answer):
    """As `comparable`, with a gzip body decompressed: Django's GZipMiddleware pads each one with random bytes."""
    status, headers, body = comparable(answer)
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
        headers.pop("content-length")
    return status, headers, body


@pytest.mark.parametrize("accept", [
    {"HTTP_ACCEPT": "application/xml"},
    {"HTTP_ACCEPT": "text/html"},
    {"HTTP_ACCEPT": "application/json; indent=4"},
    {"HTTP_ACCEPT": "application/json;q=0.5, */*;q=0.1"},
    {"HTTP_ACCEPT": "*/*;q=0.8"},
    {"HTTP_ACCEPT": "application/*"},
    {"HTTP_ACCEPT": "application/json"},
    {"HTTP_ACCEPT_ENCODING": "gzip;q=0, identity"},
    {"HTTP_ACCEPT_ENCODING": "nogzip"},
    {"HTTP_ACCEPT_ENCODING": "identity;q=1, *;q=0"},
    {"HTTP_ACCEPT_ENCODING": "GZIP;Q=0.5"},
    {"HTTP_ACCEPT_ENCODING": "br, *"},
])
@pytest.mark.parametrize("path", ["/api/v1/articles/?lang=es", "/api/v1/bundle/?lang=es"])
def test_a_stored_answer_honours_accept_exactly_as_the_view_would(content, path, accept):
    built = unzipped(call(fresh_front(), path, **accept))  # nothing stored: the view answers

    front = fresh_front()
    for _ in range(3):
        call(front, path)
        call(front, path, HTTP_ACCEPT_ENCODING="gzip")
    by_front = unzipped(call(front, path, **accept))
    by_middleware = unzipped(call(front, path, HTTP_ORIGIN="https://x.example", **accept))

    assert by_front == built
    assert by_middleware[:2] == (built[0], {**built[1], **{k: v for k, v in by_middleware[1].items() if "access-control" in k}})
    assert by_middleware[2] == built[2]


@pytest.mark.parametrize("header, gzipped", [
    ("gzip", True), ("gzip, br", True), ("GZip;q=0.5", True), ("*", True), ("br, *;q=0.1", True),
    ("gzip;q=0", False), ("gzip;q=0.000, identity", False), ("nogzip", False), ("identity", False),
    ("*;q=0", False), ("gzip;q=0, *", False), ("", False),
])
def test_gzip_is_sent_only_when_its_q_value_accepts_it(content, header, gzipped):
    front = fresh_front()
    for _ in range(3):
        answer = call(front, "/api/v1/articles/?lang=es", HTTP_ACCEPT_ENCODING=header)
        assert (answer.header("Content-Encoding") == "gzip") == gzipped, header
        body = gzip.decompress(answer.body) if gzipped else answer.body
        assert json.loads(body)["count"] == 2


def test_refreshes_after_publication_are_never_counted_as_a_caller(client, settings, django_capture_on_commit_callbacks):
    make_article("a", languages=("en", "es", "fr", "ar"))
    for lang in ("en", "es", "fr", "ar"):
        for level in ("standard", "plain"):
            client.get("/api/v1/articles/a/", {"lang": lang, "level": level})
    client.get("/api/v1/articles/")
    before = dict(StoredPayload.objects.values_list("key", "version"))
    settings.BONECARE_ANONYMOUS_LIMIT = 2  # fewer than the rows a publication replays
    variant = Article.objects.get(slug="a").variants.get(level="standard")
    set_texts(variant, "es", summary="Un resumen nuevo.")
    services.save_variant(variant)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(variant.article)
    run_queued_refreshes()

    after = dict(StoredPayload.objects.values_list("key", "version"))
    assert len(before) == 9
    assert [key for key in before if after.get(key) == before[key]] == []  # every row rendered again
    assert refresh.render(next(iter(after))) == 200

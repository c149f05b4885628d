"""The stored-answer front (bonecare/front.py): the same answers as Django, byte for byte, with one query and no view.

Each test calls the front as gunicorn does, through the WSGI protocol, with
Django behind it (the test client's handler, which keeps the test's
transaction open). "Django's answer" is the same request sent to Django alone.
"""

import gc
import gzip
import json
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.test.client import ClientHandler

from bonecare.front import StoredAnswerFront
from content.editorial import services
from content.delivery import compression
from content.delivery import stored as stored_answers
from content.models import Article, ArticleStatus, StoredPayload
from tests.factories import make_article, make_term

pytestmark = pytest.mark.django_db

# Headers that differ between any two answers: the budget left (counted per request).
PER_REQUEST = {"ratelimit"}


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def header(self, name):
        return self.headers.get(name.lower())


class DjangoBehindTheFront:
    """Django as a WSGI application, run the way the test client runs it."""

    def __init__(self):
        self.handler = ClientHandler(enforce_csrf_checks=False)
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        response = self.handler(environ)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return response


def call(application, path, method="GET", **headers):
    """The answer to one request, given to `application` as gunicorn gives it (PATH_INFO as ISO-8859-1 bytes)."""
    url = urlsplit(path)
    environ = RequestFactory()._base_environ(
        PATH_INFO=unquote_to_bytes(url.path).decode("iso-8859-1"), QUERY_STRING=url.query, REQUEST_METHOD=method,
        **headers,
    )
    sent = {}

    def start_response(status, response_headers, exc_info=None):
        sent["status"], sent["headers"] = status, response_headers

    body = b"".join(application(environ, start_response))
    return Answer(int(sent["status"].split()[0]), {name.lower(): value for name, value in sent["headers"]}, body)


@pytest.fixture
def django_app():
    return DjangoBehindTheFront()


@pytest.fixture
def front(django_app):
    return StoredAnswerFront(django_app)


@pytest.fixture
def content():
    make_article("a", languages=("en", "es", "ar"))
    make_article("b", languages=("en",))
    make_term("tumor", en=("tumor", "A lump of cells.", "A lump."))


def answered_by_front(front, django_app, path, **headers):
    """The front's answer, asserting Django was not asked."""
    before = django_app.calls
    answer = call(front, path, **headers)
    assert django_app.calls == before, f"{path} went on to Django"
    return answer


STORED = [
    "/api/v1/articles/a/",
    "/api/v1/articles/a/?lang=es&level=plain",
    "/api/v1/articles/a/?lang=ar&level=standard",
    "/api/v1/articles/",
    "/api/v1/articles/?lang=es&level=plain",
    "/api/v1/articles/?page_size=1&page=2",
    "/api/v1/languages/",
    "/api/v1/topics/?lang=es",  # under 200 bytes: stored, and sent as Django sends it, never compressed
    "/api/v1/glossary/",
    "/api/v1/glossary/tumor/",
    "/api/v1/sync/?lang=en&level=standard",
    "/api/v1/bundle/?lang=es",
    # Held in the process, not stored: what a reader types.
    "/api/v1/search/?lang=en&q=tumr",
    "/api/v1/search/?q=lump&page_size=1&page=1",
    "/api/v1/search/suggest/?lang=en&q=ti",
]


@pytest.mark.parametrize("path", STORED)
@pytest.mark.parametrize("encoding", ["", "gzip, br"])
def test_the_front_answers_every_stored_endpoint_exactly_as_django_does(content, front, django_app, path, encoding):
    headers = {"HTTP_ACCEPT_ENCODING": encoding} if encoding else {}
    call(front, path, **headers)  # Django renders and stores it
    call(front, path, **headers)  # stored, then answered stored

    by_front = answered_by_front(front, django_app, path, **headers)
    by_django = call(django_app, path, **headers)

    assert by_front.status == by_django.status == 200
    assert by_front.body == by_django.body
    assert {k: v for k, v in by_front.headers.items() if k not in PER_REQUEST} == {
        k: v for k, v in by_django.headers.items() if k not in PER_REQUEST
    }
    assert int(by_front.header("Content-Length")) == len(by_front.body)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_client_that_has_the_answer_gets_the_same_304_from_the_front(content, front, django_app, method):
    path = "/api/v1/articles/a/?lang=es"
    etag = call(front, path).header("ETag")
    call(front, path)

    by_front = answered_by_front(front, django_app, path, method=method, HTTP_IF_NONE_MATCH=etag)
    by_django = call(django_app, path, method=method, HTTP_IF_NONE_MATCH=etag)

    assert by_front.status == by_django.status == 304
    assert by_front.body == b""
    assert {k: v for k, v in by_front.headers.items() if k not in PER_REQUEST} == {
        k: v for k, v in by_django.headers.items() if k not in PER_REQUEST
    }


def test_a_stored_answer_costs_the_front_one_query_and_runs_no_view(content, front, django_app,
                                                                    django_assert_num_queries):
    path = "/api/v1/articles/a/?lang=ar&level=plain"
    call(front, path)
    call(front, path)

    with django_assert_num_queries(1):
        answer = answered_by_front(front, django_app, path)

    assert answer.status == 200 and answer.header("Content-Language") == "ar"


def test_each_request_is_counted_once_whichever_layer_answers_it(content, front, settings):
    settings.BONECARE_ANONYMOUS_LIMIT = 6
    paths = ["/api/v1/articles/a/"] * 4 + ["/api/v1/articles/?topic=surgery"] + ["/api/v1/articles/a/"] * 2

    answers = [call(front, path) for path in paths]

    remaining = [int(re.fullmatch(r'"anonymous";r=(\d+);t=\d+', a.header("RateLimit")).group(1)) for a in answers[:6]]
    assert remaining == [5, 4, 3, 2, 1, 0]
    refused = answers[6]
    assert refused.status == 429
    assert refused.header("Retry-After") and b'"throttled"' in refused.body


def test_a_browser_request_goes_to_django_for_its_cors_headers(content, front, django_app):
    path = "/api/v1/articles/a/"
    call(front, path)
    call(front, path)
    before = django_app.calls

    answer = call(front, path, HTTP_ORIGIN="https://portal.hospital.example")

    assert django_app.calls == before + 1
    assert answer.status == 200 and answer.header("Access-Control-Allow-Origin") == "*"


@pytest.mark.parametrize("headers, status, code", [
    ({"HTTP_HOST": "evil.example"}, 400, b'"bad_host"'),
    ({"HTTP_X_API_KEY": "wrongkey.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, 401, b'"invalid_api_key"'),
])
def test_what_the_front_must_refuse_django_refuses_in_the_json_error_shape(content, front, headers, status, code):
    path = "/api/v1/articles/a/"
    call(front, path)
    call(front, path)

    answer = call(front, path, **headers)

    assert answer.status == status and code in answer.body


def test_plain_http_is_redirected_when_https_is_required(content, front, monkeypatch):
    path = "/api/v1/articles/a/"
    call(front, path)
    call(front, path)
    # As after a deploy that requires HTTPS: the answer is stored, and Django's middleware starts afresh.
    from django.conf import settings

    monkeypatch.setattr(settings, "SECURE_SSL_REDIRECT", True)
    front.django_application = DjangoBehindTheFront()

    answer = call(front, path)

    assert answer.status == 301 and answer.header("Location") == "https://testserver/api/v1/articles/a/"


def test_a_withdrawn_article_is_never_answered_from_storage_by_the_front(content, front, django_app):
    path = "/api/v1/articles/b/"
    call(front, path)
    call(front, path)
    assert answered_by_front(front, django_app, path).status == 200

    services.move_article(Article.objects.get(slug="b"), ArticleStatus.ARCHIVED, comment="wrong dose")

    after = call(front, path)
    assert after.status == 404 and b'"article_not_found"' in after.body
    listing = call(front, "/api/v1/articles/")
    assert b'"slug":"b"' not in listing.body and b'"slug":"a"' in listing.body


def test_a_fault_in_the_front_costs_nothing_django_answers(content, front, django_app, monkeypatch, caplog):
    path = "/api/v1/articles/a/?lang=es"
    expected = call(django_app, path).body

    def broken(request):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("bonecare.front.find_stored_answer", broken)
    answer = call(front, path)

    assert answer.status == 200 and answer.body == expected
    assert "stored-answer front failed" in caplog.text


def test_a_changed_header_policy_is_sent_at_once(content, front, django_app, settings):
    path = "/api/v1/articles/a/"
    call(front, path)
    assert "frame-ancestors" in answered_by_front(front, django_app, path).header("Content-Security-Policy")

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}

    assert answered_by_front(front, django_app, path).header("Content-Security-Policy") == "default-src 'none'"


def test_the_front_answers_as_django_from_the_first_stored_request_whatever_came_before(content, django_app,
                                                                                        settings):
    settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD = 3600, True, True
    path = "/api/v1/articles/a/?lang=es"
    call(django_app, path)  # stored, by a Django that no front has seen

    for scheme in ("https", "http"):
        front = StoredAnswerFront(django_app)
        headers = {"wsgi.url_scheme": scheme}
        by_front = answered_by_front(front, django_app, path, **headers)
        by_django = call(django_app, path, **headers)
        assert by_front.body == by_django.body
        assert ("strict-transport-security" in by_front.headers) == (scheme == "https")
        assert {k: v for k, v in by_front.headers.items() if k not in PER_REQUEST} == {
            k: v for k, v in by_django.headers.items() if k not in PER_REQUEST
        }


@pytest.mark.parametrize("path", [
    "/api/v1/articles/caf%C3%A9/",  # UTF-8
    "/api/v1/articles/%F3%96%B2%BC%C3/",  # not UTF-8
    "/api/v1/glossary/%E1%B9%B0%CC%BA/?lang=ar",
])
def test_a_path_that_is_not_ascii_reaches_django_as_the_client_sent_it(content, front, django_app, path):
    by_front = call(front, path)
    by_django = call(django_app, path)

    assert by_front.status == by_django.status == 404
    assert by_front.body == by_django.body


def test_a_precondition_that_fails_is_the_same_412_from_the_front(content, front, django_app):
    path = "/api/v1/articles/a/"
    call(front, path)
    call(front, path)

    by_front = answered_by_front(front, django_app, path, HTTP_IF_MATCH='"not-this-one"')
    by_django = call(django_app, path, HTTP_IF_MATCH='"not-this-one"')

    assert by_front.status == by_django.status == 412
    assert {k: v for k, v in by_front.headers.items() if k not in PER_REQUEST} == {
        k: v for k, v in by_django.headers.items() if k not in PER_REQUEST
    }


# What phones and browsers send: q-values, regions, languages we do not serve, Chinese scripts.
ACCEPT_LANGUAGES = [
    "es-ES,es;q=0.9,en;q=0.8",
    "de-DE,de;q=0.9,fr;q=0.5,ar;q=0.7",  # the best one we serve is Arabic
    "en-US",
    "zh-CN,zh;q=0.9",  # Simplified Chinese
    "zh-TW,zh-Hant;q=0.9",  # Traditional: not served as zh-hans, English by default (and it says so)
    "de, it;q=0.5",  # nothing we serve
    "*",
    "fr;q=0, es;q=0.1",
]
ACCEPTS = [None, "application/json", "text/html", "application/ld+json", "*/*"]
ENCODINGS = [None, "gzip, deflate, br", "identity", "gzip;q=0"]


def request_headers(accept_language=None, accept=None, encoding=None):
    named = {"HTTP_ACCEPT_LANGUAGE": accept_language, "HTTP_ACCEPT": accept, "HTTP_ACCEPT_ENCODING": encoding}
    return {name: value for name, value in named.items() if value is not None}


def built_by_django(django_app, path, **headers):
    """The answer the view builds for this request, with nothing stored or held (it then stores or holds it)."""
    StoredPayload.objects.all().delete()
    stored_answers.forget_held()
    return call(django_app, path, **headers)


def kept_anywhere():
    return StoredPayload.objects.exists() or bool(stored_answers.held_keys())


def assert_same_answer(one, other):
    """The same status, headers and content; gzip compared by what it decompresses to (Django's own gzip pads)."""
    assert one.status == other.status
    assert decoded(one) == decoded(other)
    ignored = PER_REQUEST | ({"content-length"} if one.header("Content-Encoding") == "gzip" else set())
    assert {k: v for k, v in one.headers.items() if k not in ignored} == {
        k: v for k, v in other.headers.items() if k not in ignored
    }


def decoded(answer):
    return gzip.decompress(answer.body) if answer.header("Content-Encoding") == "gzip" else answer.body


HEADER_CASES = [
    *[(path, request_headers(language)) for path in ("/api/v1/articles/a/", "/api/v1/articles/?level=plain",
                                                    "/api/v1/glossary/", "/api/v1/glossary/tumor/")
      for language in ACCEPT_LANGUAGES],
    *[(path, request_headers(language)) for path in ("/api/v1/search/?q=lump", "/api/v1/search/suggest/?q=tu")
      for language in ACCEPT_LANGUAGES],
    *[(path, request_headers(language, accept, encoding))
      for path in ("/api/v1/articles/a/", "/api/v1/articles/", "/api/v1/glossary/tumor/", "/api/v1/search/?q=tumor")
      for language, accept, encoding in [
          ("es-ES,es;q=0.9", "text/html", None),
          ("ar", "text/html", "gzip"),
          ("zh-CN", "application/ld+json", None),
          ("fr-CA", "*/*", "gzip, br"),
          ("es", "application/json", "identity"),
          ("de", None, "gzip;q=0"),
          (None, "text/html", "gzip"),
          (None, "*/*", None),
      ]],
]


@pytest.mark.parametrize("path, headers", HEADER_CASES)
def test_the_front_gives_the_answer_the_view_builds_whatever_the_headers(content, front, django_app, path, headers):
    built = built_by_django(django_app, path, **headers)
    call(front, path, **headers)  # stored, then answered stored
    stored = kept_anywhere()

    by_front = answered_by_front(front, django_app, path, **headers) if stored else call(front, path, **headers)

    assert_same_answer(by_front, built)
    if built.status == 200:
        assert int(by_front.header("Content-Length")) == len(by_front.body)
        varies_by = {"Accept", "Accept-Language"} | (
            {"Accept-Encoding"} if len(decoded(built)) >= compression.SHORTEST_COMPRESSED else set()
        )
        assert varies_by <= set(re.split(r",\s*", by_front.header("Vary")))
    if headers.get("HTTP_ACCEPT") == "text/html" and path.endswith(("/a/", "/tumor/")):
        assert stored and built.header("Content-Type").startswith("text/html")


@pytest.mark.parametrize("path", ["/api/v1/articles/a/", "/api/v1/articles/", "/api/v1/glossary/",
                                  "/api/v1/glossary/tumor/"])
def test_a_language_chosen_by_accept_language_is_answered_by_the_front_with_one_query(content, front, django_app,
                                                                                      path, django_assert_num_queries):
    call(front, path, HTTP_ACCEPT_LANGUAGE="es")  # stores the Spanish answer
    call(front, path, HTTP_ACCEPT_LANGUAGE="es")  # answered stored
    header = "es-MX,es;q=0.9,en;q=0.5"  # another phone, the same language: the same stored row

    with django_assert_num_queries(1):
        by_front = answered_by_front(front, django_app, path, HTTP_ACCEPT_LANGUAGE=header)

    assert by_front.header("Content-Language") == "es"
    assert_same_answer(by_front, built_by_django(django_app, path, HTTP_ACCEPT_LANGUAGE=header))
    requested = json.loads(by_front.body)
    requested = requested["results"][0] if "results" in requested else requested
    assert requested["language"]["requested"] == header


@pytest.mark.parametrize("path", ["/api/v1/articles/a/?lang=en", "/api/v1/articles/", "/api/v1/glossary/tumor/"])
@pytest.mark.parametrize("headers", [{}, {"HTTP_ACCEPT_LANGUAGE": "ar"}, {"HTTP_ORIGIN": "https://app.example"}])
def test_each_request_looks_its_stored_answer_up_once(content, front, path, headers):
    lookups = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert call(front, path, **headers).status == 200
        lookups.append(sum(
            query["sql"].lstrip().upper().startswith("SELECT") and "content_storedpayload" in query["sql"]
            for query in queries.captured_queries
        ))

    assert lookups == [1, 1, 1]


def test_a_search_typed_again_is_answered_by_the_front_from_memory_with_one_query_and_never_stored(
        content, front, django_app, django_assert_num_queries):
    path = "/api/v1/search/?lang=es&q=tumr"
    first = call(front, path, HTTP_ACCEPT_ENCODING="gzip")

    with django_assert_num_queries(1):
        again = answered_by_front(front, django_app, path, HTTP_ACCEPT_ENCODING="gzip")

    assert again.status == first.status == 200
    assert again.header("ETag") == first.header("ETag")
    assert gzip.decompress(again.body) == gzip.decompress(first.body)
    assert not StoredPayload.objects.exists()  # what a patient typed is never written to the database
    assert stored_answers.held_keys() == ["/api/v1/search/?lang=es&q=tumr"]


@pytest.mark.parametrize("path, headers", [
    ("/api/v1/search/?lang=es&q=tumr", {"HTTP_ACCEPT_ENCODING": "gzip"}),
    ("/api/v1/search/?q=lump%20qzxwv", {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"}),
    ("/api/v1/search/?q=tumor", {"HTTP_ACCEPT": "application/json", "HTTP_ACCEPT_ENCODING": "gzip, br"}),
    ("/api/v1/search/suggest/?lang=en&q=tum", {}),
])
def test_a_search_typed_for_the_first_time_is_built_in_the_front_as_django_would_answer_it(
        content, front, django_app, path, headers):
    built = built_by_django(django_app, path, **headers)
    stored_answers.forget_held()

    first = answered_by_front(front, django_app, path, **headers)  # built by its view: no middleware, no handler

    assert_same_answer(first, built)
    assert stored_answers.held_keys() and not StoredPayload.objects.exists()


@pytest.mark.parametrize("path, status", [
    ("/api/v1/search/?q=", 400),  # nothing to search for
    ("/api/v1/search/?q=tumor&page=9", 404),
    ("/api/v1/search/suggest/?q=t", 400),  # one letter
    ("/api/v1/search/?q=tumor&lang=xx", 400),  # a language not served
])
def test_a_search_its_view_refuses_is_answered_by_django(content, front, django_app, path, status):
    before = django_app.calls

    refused = call(front, path)

    assert django_app.calls == before + 1
    assert refused.status == status and json.loads(refused.body)["error"]["code"]
    assert not stored_answers.held_keys()


def test_a_search_is_compressed_once_so_built_and_held_answers_are_the_same_bytes(content, front, django_app):
    path = "/api/v1/search/?lang=en&q=tumor"
    built = call(front, path, HTTP_ACCEPT_ENCODING="gzip")  # built, held, and sent compressed by the view

    again = answered_by_front(front, django_app, path, HTTP_ACCEPT_ENCODING="gzip")

    assert built.header("Content-Encoding") == again.header("Content-Encoding") == "gzip"
    assert built.header("ETag") == again.header("ETag") and built.header("ETag").startswith("W/")
    # A cache that stored the first may compare bytes: one compression, not Django's padded second one.
    assert built.body == again.body
    assert int(built.header("Content-Length")) == len(built.body)
    assert "Accept-Encoding" in built.header("Vary")


def test_a_search_first_asked_plain_is_compressed_for_the_first_client_that_accepts_gzip(content, front, django_app):
    path = "/api/v1/search/?lang=en&q=tumor"
    plain = call(front, path)  # built and held, not compressed: this client did not ask
    assert plain.header("Content-Encoding") is None and "Accept-Encoding" in plain.header("Vary")

    compressed = answered_by_front(front, django_app, path, HTTP_ACCEPT_ENCODING="gzip")
    again = answered_by_front(front, django_app, path, HTTP_ACCEPT_ENCODING="gzip")

    assert compressed.header("Content-Encoding") == "gzip" and gzip.decompress(compressed.body) == plain.body
    assert compressed.body == again.body and int(compressed.header("Content-Length")) == len(compressed.body)
    assert compressed.header("ETag") == "W/" + plain.header("ETag")
    assert_same_answer(compressed, built_by_django(django_app, path, HTTP_ACCEPT_ENCODING="gzip"))


def test_a_held_search_is_not_answered_once_something_is_published(content, front, django_app):
    path = "/api/v1/search/?lang=en&q=osteosarcoma"
    before = call(front, path)
    call(front, path)
    assert "osteosarcoma" not in [result["title"] for result in json.loads(before.body)["results"]]

    make_term("osteosarcoma", en=("osteosarcoma", "A cancer that starts in bone.", "Bone cancer."))
    after = call(front, path)

    assert after.status == 200 and after.header("ETag") != before.header("ETag")
    assert "osteosarcoma" in [result["title"] for result in json.loads(after.body)["results"]]
    assert answered_by_front(front, django_app, path).body == after.body


def test_a_body_too_short_to_compress_is_answered_stored_as_django_sends_it(content, front, django_app):
    path = "/api/v1/search/suggest/?lang=en&q=tu"  # one suggestion: under 200 bytes
    built = built_by_django(django_app, path, HTTP_ACCEPT_ENCODING="gzip")
    call(front, path, HTTP_ACCEPT_ENCODING="gzip")

    again = answered_by_front(front, django_app, path, HTTP_ACCEPT_ENCODING="gzip")

    assert len(again.body) < compression.SHORTEST_COMPRESSED
    assert again.header("Content-Encoding") is None and "Accept-Encoding" not in again.header("Vary")
    assert_same_answer(again, built)


def test_on_postgresql_the_stored_answer_lookup_is_prepared_once_and_reused(content, front, django_app):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; SQLite's driver keeps its own statement cache")
    path = "/api/v1/articles/a/?lang=es"
    for _ in range(8):
        assert call(front, path).status == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%content_storedpayload%"])
        prepared = [row[0] for row in cursor.fetchall()]

    # Planning its validators' subqueries took longer than running them: the plan is made once per connection.
    assert len(prepared) == 1


def test_a_search_built_in_the_front_frees_its_results_without_the_garbage_collector(content, front, django_app):
    # Results left in reference cycles waited for the collector, whose passes stopped every thread of a worker.
    call(front, "/api/v1/search/?lang=en&q=lump")  # the first search of a process loads what every search reads
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        answer = answered_by_front(front, django_app, "/api/v1/search/?lang=en&q=lump%20qzxwv")
        gc.collect()
        left = [item for item in gc.garbage if isinstance(item, dict) and "matches" in item]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()

    assert answer.status == 200 and json.loads(answer.body)["results"]
    assert left == []


def test_held_searches_are_kept_where_the_garbage_collector_stops_walking_them(content, front, django_app):
    # Each new word's answer is held; thousands of them, tracked, made each full collection stop a worker for 40 ms.
    from content.delivery import stored

    for word in ("qzxwv", "vbkqz", "jxqzp"):
        assert call(front, f"/api/v1/search/suggest/?lang=en&q=chem{word}").status == 200
        assert call(front, f"/api/v1/search/?lang=en&q=lump%20{word}").status == 200
    gc.collect()
    assert len(stored._held.kept) >= 6
    assert not [kept for kept in stored._held.kept.values() if gc.is_tracked(kept)]
    assert call(front, "/api/v1/search/?lang=en&q=lump%20qzxwv").status == 200  # still answered from what is held


def test_words_nobody_typed_before_leave_nothing_for_the_garbage_collector_to_walk(content, front, django_app, settings):
    # Every cache a new word fills (its terms, its parsed query string, its answer's headers) holds tuples of strings,
    # which the collector stops tracking. Frozensets, mapping proxies and lists there, a few per request, made each
    # full pass of a worker under a load of new words take 20-80 ms with every thread stopped (issue 19, p99).
    def ask(words):
        for word in words:
            assert call(front, f"/api/v1/search/suggest/?lang=en&q=chem{word}").status == 200
            assert call(front, f"/api/v1/search/?lang=en&q=lump%20{word}").status == 200
            assert call(front, f"/api/v1/search/?lang=fr&q=douleur%20osseuse%20{word}").status == 200

    def made_up(count, first):
        return ["".join("bcdfghjklmnpqrstvwxz"[n // 20**place % 20] for place in range(4)) + "q" for n in range(first, first + count)]

    settings.BONECARE_ANONYMOUS_LIMIT = 10_000  # one reader asking 600 times
    # Django's parsed URLs and SQLite's cursor references are tracked too, but kept to a few hundred: a first hundred
    # words fill them.
    ask(made_up(100, 0))
    for _ in range(2):  # a tuple is untracked once the tuples in it are
        gc.collect()
    before = len(gc.get_objects())
    ask(made_up(100, 1000))
    for _ in range(2):
        gc.collect()
    assert len(gc.get_objects()) - before < 100  # 300 requests

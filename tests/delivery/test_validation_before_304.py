"""Schema-valid means accepted, schema-invalid means refused, and in that order before any 304.

A client that sends `If-None-Match: *` (or a date in the future) with a bad
parameter must hear about the bad parameter: a 304 would tell it that its
cached copy of a resource that does not exist is still good. Each case is
asked twice, so the second request can be one the stored answers would serve.
"""

import base64

import pytest

from content.models import StoredPayload
from tests.factories import make_article, make_term

pytestmark = pytest.mark.django_db

ANY_ETAG = {"HTTP_IF_NONE_MATCH": "*"}
LATER = {"HTTP_IF_MODIFIED_SINCE": "Fri, 01 Jan 2100 00:00:00 GMT"}


@pytest.fixture
def content():
    make_article("a")
    make_term("biopsy", en=("biopsy", "Removal of tissue to examine it.", "Taking a small piece to test."))


@pytest.mark.parametrize("conditional", [ANY_ETAG, LATER], ids=["if-none-match", "if-modified-since"])
@pytest.mark.parametrize(
    "url, query, status, code",
    [
        ("/api/v1/articles/", {"page_size": "false"}, 400, "invalid_page_size"),
        ("/api/v1/articles/", {"page_size": "0"}, 400, "invalid_page_size"),
        ("/api/v1/articles/", {"page": "false"}, 400, "invalid_page"),
        ("/api/v1/articles/", {"page": "2"}, 404, "page_out_of_range"),
        ("/api/v1/articles/", {"updated_since": ""}, 400, "invalid_parameter"),
        ("/api/v1/articles/", {"lang": "EN"}, 400, "unsupported_language"),
        ("/api/v1/articles/", {"topic": "x" * 51}, 400, "invalid_parameter"),
        ("/api/v1/glossary/", {"page_size": "false"}, 400, "invalid_page_size"),
        ("/api/v1/glossary/", {"page": "2"}, 404, "page_out_of_range"),
        ("/api/v1/articles/a/", {"level": "expert"}, 400, "unsupported_level"),
        ("/api/v1/sync/", {"cursor": ""}, 400, "invalid_cursor"),
    ],
)
def test_a_refused_parameter_is_refused_before_a_conditional_request_is_answered(
    client, content, conditional, url, query, status, code
):
    assert client.get(url).status_code == 200  # the same address without the bad parameter: answered and stored
    for attempt in (1, 2):
        response = client.get(url, query, **conditional)
        assert response.status_code == status, (attempt, response.status_code)
        assert response.json()["error"]["code"] == code


def test_a_valid_conditional_request_still_gets_its_304_once_stored(client, content):
    first = client.get("/api/v1/articles/", {"page_size": "5"})
    assert first.status_code == 200
    assert StoredPayload.objects.filter(key__endswith="?page_size=5").exists()

    assert client.get("/api/v1/articles/", {"page_size": "5"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/api/v1/articles/", {"page_size": "5"}, **ANY_ETAG).status_code == 304


@pytest.mark.parametrize("query", [{"page": "01"}, {"page_size": "020"}])
def test_a_page_number_spelt_otherwise_is_served_but_not_stored(client, content, query):
    assert client.get("/api/v1/articles/", query).status_code == 200
    assert not StoredPayload.objects.filter(key__contains="=0").exists()


def test_a_well_formed_cursor_from_the_future_is_a_conflict_not_a_bad_request(client, content):
    future = base64.urlsafe_b64encode(b"bc1:999999999").decode().rstrip("=")

    response = client.get("/api/v1/sync/", {"cursor": future}, **ANY_ETAG)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "cursor_from_future"

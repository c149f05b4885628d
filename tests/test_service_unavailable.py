"""With the database unreachable, the API says so: 503, when to retry, never cached."""

import os
import socket

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.test import Client

from tests.factories import make_article, make_term
from tests.openapi_contract import assert_matches_schema, published_schema

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/articles/": "/api/v1/articles/",
    "/api/v1/articles/{slug}/": "/api/v1/articles/a/",
    "/api/v1/languages/": "/api/v1/languages/",
    "/api/v1/topics/": "/api/v1/topics/",
    "/api/v1/glossary/": "/api/v1/glossary/",
    "/api/v1/glossary/{slug}/": "/api/v1/glossary/biopsy/",
}


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails the way a dropped or refused connection does."""

    def fail(error_class):
        def cursor(*args, **kwargs):
            raise error_class("could not connect to server: Connection refused")

        monkeypatch.setattr(connections["default"], "cursor", cursor)

    return fail


def assert_service_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response
    body = response.json()
    assert body["error"]["code"] == "service_unavailable"
    assert body["error"]["details"] == {}
    return body["error"]["message"]


@pytest.mark.parametrize("error_class", [OperationalError, InterfaceError])
@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoint_answers_503_when_the_database_is_unreachable(client, database_down, path, error_class):
    make_article("a")
    make_term("biopsy", en=("biopsy", "Removal of tissue.", "Taking a small piece."))
    database_down(error_class)

    response = client.get(ENDPOINTS[path])

    assert "Try again" in assert_service_unavailable(response)
    assert_matches_schema(published_schema(), response, path)


def test_the_503_message_comes_in_the_negotiated_language(client, database_down):
    database_down(OperationalError)

    english = assert_service_unavailable(client.get("/api/v1/articles/"))
    spanish = assert_service_unavailable(client.get("/api/v1/articles/", HTTP_ACCEPT_LANGUAGE="es"))
    arabic = assert_service_unavailable(client.get("/api/v1/articles/", {"lang": "ar"}))

    assert len({english, spanish, arabic}) == 3
    assert "30" in spanish and "30" in arabic


def test_a_database_error_outside_the_api_views_is_a_503_too(monkeypatch):
    """Raised after the view (here while finishing the response), it reaches Django's handler500."""
    make_article("a")

    def finalize_response(self, request, response, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("content.delivery.api.negotiated.NegotiatedView.finalize_response", finalize_response)
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/articles/", {"lang": "fr"})

    message = assert_service_unavailable(response)
    assert "30" in message and "Try again" not in message  # in French


def test_a_database_bug_is_still_a_500_not_a_503(client, monkeypatch):
    """Only an unreachable database is 'try again later'; a broken query is our bug and must show as one."""
    from django.db import ProgrammingError

    def cursor(*args, **kwargs):
        raise ProgrammingError("no such column")

    monkeypatch.setattr(connections["default"], "cursor", cursor)
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/articles/")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL=postgres://...)"
)
def test_postgresql_that_refuses_connections_gives_503(client, monkeypatch):
    """A real refused connection, not a mocked cursor: PostgreSQL pointed at a port nothing listens on."""
    database = connections["default"]
    database.close()
    monkeypatch.setitem(database.settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(database.settings_dict, "PORT", str(_free_port()))
    try:
        response = client.get("/api/v1/articles/", HTTP_ACCEPT_LANGUAGE="es")
    finally:
        database.close()

    assert_service_unavailable(response)


def test_the_admin_answers_a_503_page_when_the_database_is_unreachable(database_down, django_user_model):
    """An editor mid-work gets 'try again', with Retry-After, not Django's 500 'Server Error'."""
    editor = django_user_model.objects.create_superuser("edna", "edna@example.org", "pw-1234-long")
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    database_down(OperationalError)

    response = client.get("/admin/content/glossaryterm/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    assert "Try again in 30 seconds" in response.content.decode()

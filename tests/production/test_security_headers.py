"""Content-Security-Policy and Permissions-Policy on every response, stored answers included; a bad Host under /api/."""

import pytest

from content.models import StoredPayload
from tests.factories import make_article

pytestmark = pytest.mark.django_db

API_POLICY = {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}


def directives(response):
    return {part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split("; ")}


def test_an_api_answer_and_its_stored_copy_forbid_loading_anything_and_use_no_browser_feature(client):
    make_article("a")
    first = client.get("/api/v1/articles/a/")
    assert StoredPayload.objects.filter(key__endswith="/api/v1/articles/a/").exists()
    stored = client.get("/api/v1/articles/a/")
    not_modified = client.get("/api/v1/articles/a/", HTTP_IF_NONE_MATCH=stored["ETag"])

    for response in (first, stored, not_modified):
        assert directives(response) == API_POLICY
        assert "camera=()" in response["Permissions-Policy"]
        assert "microphone=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
    assert stored.json() == first.json() and not_modified.status_code == 304


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_docs_pages_may_run_only_scripts_from_this_site(client, path):
    response = client.get(path)
    policy = directives(response)

    assert response.status_code == 200
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"], "no inline script, no other site"
    assert policy["worker-src"] == ["blob:"]  # Redoc parses the schema in a worker
    assert policy["frame-ancestors"] == ["'none'"]
    assert "<script>" not in response.content.decode(), "an inline script would be blocked"
    assert "Permissions-Policy" in response


def test_swagger_ui_start_up_script_is_a_file_of_its_own(client):
    page = client.get("/api/v1/docs/").content.decode()
    script = client.get("/api/v1/docs/?script=")

    assert 'src="/api/v1/docs/?script="' in page
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content


def test_the_admin_runs_its_own_inline_script_by_nonce_only(admin_client):
    article = make_article("a")
    response = admin_client.get(f"/admin/content/article/{article.pk}/change/")
    policy = directives(response)

    nonce = next(value for value in policy["script-src"] if value.startswith("'nonce-"))
    assert policy["script-src"] == ["'self'", nonce]
    assert f'<script nonce="{nonce[7:-1]}">' in response.content.decode()
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]


@pytest.mark.parametrize("path", [
    "/api/v1/articles/a/",  # a stored answer's path
    "/api/v1/articles/?q=bone",  # a path that always reaches the view
    "/api/v1/no-such-thing/",
])
def test_an_unknown_host_under_the_api_gets_the_json_error_shape(client, path):
    make_article("a")
    client.get("/api/v1/articles/a/")  # stored under the real host

    response = client.get(path, HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "bad_host"
    assert "evil.example" not in response.content.decode()
    assert directives(response) == API_POLICY


def test_an_unknown_host_outside_the_api_keeps_djangos_page(client):
    response = client.get("/admin/login/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_a_page_that_asks_no_nonce_gets_its_paths_policy_without_one(client):
    response = client.get("/admin/login/")
    policy = directives(response)

    assert response.status_code == 200
    assert policy["script-src"] == ["'self'"] and policy["form-action"] == ["'self'"]


def test_a_changed_policy_is_what_the_next_answer_carries(client, settings):
    make_article("a")
    assert directives(client.get("/api/v1/articles/a/")) == API_POLICY

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}

    assert directives(client.get("/api/v1/articles/a/")) == {"default-src": ["'none'"]}

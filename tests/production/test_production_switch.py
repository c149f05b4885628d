"""BONECARE_ENV=production: one switch that refuses to start half-configured and passes Django's deploy check."""

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from content.models import StoredPayload
from tests.factories import make_article

ROOT = Path(settings.BASE_DIR)


def run_manage(*args, env_extra, tmp_path):
    """manage.py in a fresh process with exactly these variables (and a private data home)."""
    env = {
        name: value for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "BONECARE_")) and name != "DATABASE_URL"
    }
    env.update({"XDG_DATA_HOME": str(tmp_path / "data"), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_no_issue_with_the_switch_a_key_and_hosts(tmp_path):
    result = run_manage("check", "--deploy", tmp_path=tmp_path, env_extra={
        "BONECARE_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "bonecare.example.org",
        "BONECARE_PUBLIC_URL": "https://bonecare.example.org",
    })

    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"
    assert result.stderr == ""


PUBLIC = {"BONECARE_PUBLIC_URL": "https://bonecare.example.org"}


@pytest.mark.parametrize("given, missing", [
    ({}, "DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and BONECARE_PUBLIC_URL"),
    ({"DJANGO_SECRET_KEY": "k" * 60, **PUBLIC}, "DJANGO_ALLOWED_HOSTS"),
    ({"DJANGO_ALLOWED_HOSTS": "bonecare.example.org", **PUBLIC}, "DJANGO_SECRET_KEY"),
    # Links in answers and webhook events are never guessed from the allowed hosts in production.
    ({"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "bonecare.example.org"}, "BONECARE_PUBLIC_URL"),
])
def test_production_refuses_to_start_and_names_what_is_missing(tmp_path, given, missing):
    result = run_manage("check", tmp_path=tmp_path, env_extra={"BONECARE_ENV": "production", **given})

    assert result.returncode != 0
    assert f"ImproperlyConfigured: BONECARE_ENV=production needs {missing}:" in result.stderr
    assert not (tmp_path / "data").exists(), "production must never make a key of its own"


def test_a_mistyped_environment_is_refused_not_taken_for_development(tmp_path):
    result = run_manage("check", tmp_path=tmp_path, env_extra={"BONECARE_ENV": "prod"})

    assert result.returncode != 0
    assert "BONECARE_ENV must be one of development, production, not 'prod'" in result.stderr


def print_settings(tmp_path, env_extra):
    names = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
             "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "DEBUG")
    code = "from django.conf import settings; print(repr({n: getattr(settings, n) for n in %r}))" % (names,)
    result = run_manage("shell", "--no-imports", "-c", code, tmp_path=tmp_path, env_extra=env_extra)
    assert result.returncode == 0, result.stderr
    return eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 - our own repr of plain values


def test_the_switch_turns_https_on_and_each_part_has_its_own_override(tmp_path):
    production = {"BONECARE_ENV": "production", "DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "a.example",
                  "BONECARE_PUBLIC_URL": "https://a.example"}

    assert print_settings(tmp_path, production) == {
        "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"), "DEBUG": False,
    }
    assert print_settings(tmp_path, {
        **production, "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_HSTS_SECONDS": "3600",
        "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "0", "DJANGO_SECURE_HSTS_PRELOAD": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0", "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Scheme",
    }) == {
        "SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 3600, "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False, "SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_SCHEME", "https"), "DEBUG": False,
    }
    # Without the switch: plain http on a laptop, nothing trusted from a proxy.
    assert print_settings(tmp_path, {}) == {
        "SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0, "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False, "SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False,
        "SECURE_PROXY_SSL_HEADER": None, "DEBUG": False,
    }


def test_without_a_key_a_local_one_is_kept_outside_the_code_folder_private_and_stable(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_manage("shell", "--no-imports", "-c", code, tmp_path=tmp_path, env_extra={})
    again = run_manage("shell", "--no-imports", "-c", code, tmp_path=tmp_path, env_extra={})

    key_file = tmp_path / "data" / "bonecare" / "secret_key"
    assert first.returncode == 0, first.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert ROOT not in key_file.resolve().parents
    assert first.stdout.strip().splitlines()[-1] == key_file.read_text() == again.stdout.strip().splitlines()[-1]
    assert len(key_file.read_text()) >= 50


@pytest.mark.django_db
@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), BONECARE_PUBLIC_URL="https://testserver")
def test_behind_a_tls_proxy_links_name_the_public_https_address_and_one_answer_is_stored(client):
    """As production sets it: links name BONECARE_PUBLIC_URL, whichever scheme a request reached the app with."""
    make_article("a")
    link = "https://testserver/api/v1/articles/a/?lang=en&level=standard"

    for forwarded in ("https", "https", "http", "https"):  # rendered, then stored; no SSL redirect here
        items = client.get("/api/v1/articles/", HTTP_X_FORWARDED_PROTO=forwarded).json()["results"]
        assert items[0]["url"] == link
    stored_keys = set(StoredPayload.objects.filter(key__endswith="/api/v1/articles/").values_list("key", flat=True))
    assert stored_keys == {"/api/v1/articles/"}


@pytest.mark.parametrize("given, public_url", [
    ({"BONECARE_PUBLIC_URL": "https://bonecare.example.org"}, "https://bonecare.example.org"),
    ({}, "needs BONECARE_PUBLIC_URL"),  # never guessed from the allowed names
    ({"BONECARE_PUBLIC_URL": "https://api.bonecare.example.org:8443/"}, "https://api.bonecare.example.org:8443"),
    ({"BONECARE_PUBLIC_URL": "https://evil.example"}, "must be in DJANGO_ALLOWED_HOSTS"),
    ({"BONECARE_PUBLIC_URL": "https://bonecare.example.org/api"}, "must be like https://"),
    ({"BONECARE_PUBLIC_URL": "https://x.example.org", "DJANGO_ALLOWED_HOSTS": ".example.org"}, "https://x.example.org"),
])
def test_production_links_name_one_public_address_that_the_server_answers_for(tmp_path, given, public_url):
    code = "from django.conf import settings; print(settings.BONECARE_PUBLIC_URL, settings.BONECARE_REFUSE_OTHER_PORTS)"
    result = run_manage("shell", "--no-imports", "-c", code, tmp_path=tmp_path, env_extra={
        "BONECARE_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "bonecare.example.org,api.bonecare.example.org",
        **given,
    })

    if public_url.startswith("https://"):
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == f"{public_url} True"
    else:
        assert result.returncode != 0 and public_url in result.stderr

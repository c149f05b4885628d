"""The admin login locks a user name and address pair out after five wrong passwords (django-axes)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"
LOGIN = "/admin/login/?next=/admin/"


def log_in(client, password, username="ana", address="203.0.113.7"):
    """Post the admin's real login form, as a browser does."""
    client.get(LOGIN)
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address)


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.fixture
def editor():
    return User.objects.create_user("ana", password=PASSWORD, is_staff=True)


def test_five_wrong_passwords_lock_the_user_at_that_address_even_against_the_right_one(client, editor):
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200
    assert log_in(client, "wrong").status_code == 429  # the fifth failure locks

    refused = log_in(client, PASSWORD)

    assert refused.status_code == 429
    assert "locked" in refused.content.decode().lower()
    assert "_auth_user_id" not in client.session
    # The lock-out is a database row, so every worker and server sees it.
    assert AccessAttempt.objects.get(username="ana").failures_since_start >= 5


def test_the_lock_is_for_the_pair_only(client, editor):
    other = User.objects.create_user("ben", password=PASSWORD, is_staff=True)
    for _ in range(5):
        log_in(client, "wrong")

    assert logged_in(log_in(client, PASSWORD, address="198.51.100.2")), "the same editor elsewhere"
    client.logout()
    assert logged_in(log_in(client, PASSWORD, username=other.username)), "another editor at the same address"


def test_an_administrator_unlocks_the_account_and_the_right_password_works_again(client, editor):
    for _ in range(5):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 429

    call_command("axes_reset_username", "ana")

    assert logged_in(log_in(client, PASSWORD))


def test_fewer_failures_than_the_limit_are_forgotten_after_a_good_login(client, editor):
    for _ in range(4):
        log_in(client, "wrong")
    assert logged_in(log_in(client, PASSWORD))
    client.logout()

    for _ in range(4):
        log_in(client, "wrong")
    assert logged_in(log_in(client, PASSWORD))


@pytest.fixture
def behind_the_shipped_nginx(settings):
    """Production's default: only the loopback nginx of deploy/nginx/bonecare.conf is a trusted proxy."""
    settings.BONECARE_TRUSTED_PROXIES = ["127.0.0.1", "::1"]


def spoofing_log_in(client, password, forwarded, peer="203.0.113.7"):
    client.get(LOGIN)
    return client.post(LOGIN, {"username": "ana", "password": password, "next": "/admin/"},
                       REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)


def test_a_spoofed_forwarded_for_from_a_peer_that_is_no_proxy_does_not_escape_the_lock_out(
    client, editor, behind_the_shipped_nginx
):
    """Probe D17: gunicorn reached directly, each wrong password with a new X-Forwarded-For address."""
    statuses = [spoofing_log_in(client, "wrong", f"198.51.100.{n}").status_code for n in range(1, 6)]
    refused = spoofing_log_in(client, PASSWORD, "198.51.100.99")

    assert statuses == [200, 200, 200, 200, 429]
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_the_trusted_proxy_the_address_it_saw_is_locked_whatever_the_client_prepends(
    client, editor, behind_the_shipped_nginx
):
    # nginx appends the address it was contacted from; anything to the left of it is the client's own claim.
    statuses = [spoofing_log_in(client, "wrong", f"192.0.2.{n}, 203.0.113.7", peer="127.0.0.1").status_code
                for n in range(1, 6)]

    assert statuses == [200, 200, 200, 200, 429]
    assert spoofing_log_in(client, PASSWORD, "192.0.2.50, 203.0.113.7", peer="127.0.0.1").status_code == 429
    assert logged_in(spoofing_log_in(client, PASSWORD, "203.0.113.8", peer="127.0.0.1")), "another client of nginx"


def test_production_believes_only_the_loopback_nginx_and_refuses_the_old_proxy_count(tmp_path):
    from tests.production.test_production_switch import run_manage

    production = {"BONECARE_ENV": "production", "DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "a.example",
                  "BONECARE_PUBLIC_URL": "https://a.example"}
    code = "from django.conf import settings; print(settings.BONECARE_TRUSTED_PROXIES)"
    shown = run_manage("shell", "--no-imports", "-c", code, tmp_path=tmp_path, env_extra=production)
    counted = run_manage("check", tmp_path=tmp_path, env_extra={**production, "BONECARE_TRUSTED_PROXY_COUNT": "1"})

    assert shown.stdout.strip().splitlines()[-1] == "['127.0.0.1', '::1']", shown.stderr
    assert counted.returncode != 0
    assert "BONECARE_TRUSTED_PROXY_COUNT is no longer read" in counted.stderr

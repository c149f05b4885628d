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

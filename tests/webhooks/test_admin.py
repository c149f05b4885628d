"""The webhooks admin as a person uses it: register an endpoint, read the delivery log, Resend, re-enable."""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from standardwebhooks.webhooks import Webhook

from content.editorial.roles import MEDICAL_REVIEWER
from content.models import ArticleStatus
from tests.admin_forms import form_fields, post_change_form
from tests.factories import make_article
from tests.webhooks.receiver import Receiver
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = []
    settings.WEBHOOKS_TIMEOUT = 2


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", password="pw-for-tests-only"))
    return client


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


def test_a_partner_endpoint_is_registered_in_the_admin_and_its_secret_shown(admin_client):
    page = admin_client.get("/admin/webhooks/endpoint/add/").content.decode()
    data = form_fields(page, "endpoint_form")
    assert set(data) >= {"name", "url"}
    data.update(name="City Hospital", url="https://hooks.example.org/bonecare",
                events=["article.published", "article.withdrawn"], languages=["es", "ar"], enabled="on")
    data.pop("csrfmiddlewaretoken", None)
    response = admin_client.post("/admin/webhooks/endpoint/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]

    endpoint = Endpoint.objects.get()
    assert (endpoint.events, endpoint.languages) == (["article.published", "article.withdrawn"], ["es", "ar"])
    page = admin_client.get(f"/admin/webhooks/endpoint/{endpoint.pk}/change/").content.decode()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in page
    Webhook(endpoint.secret)  # the shown form is one Standard Webhooks libraries accept


def test_a_non_http_url_is_refused_by_the_form(admin_client):
    page = admin_client.get("/admin/webhooks/endpoint/add/").content.decode()
    data = {**form_fields(page, "endpoint_form"), "name": "x", "url": "file:///etc/passwd",
            "events": ["article.published"], "languages": ["en"]}
    response = admin_client.post("/admin/webhooks/endpoint/add/", data)
    assert response.status_code == 200 and not Endpoint.objects.exists()


def test_publishing_in_the_admin_creates_the_delivery_on_commit_and_the_worker_sends_it(client):
    reviewer = User.objects.create_user("rita", password="pw-for-tests-only", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=MEDICAL_REVIEWER))
    with Receiver() as receiver:
        Endpoint.objects.create(name="Partner", url=receiver.url)
        article = make_article("a", status=ArticleStatus.IN_REVIEW)
        client.force_login(reviewer)
        client.post(f"/admin/content/article/{article.pk}/transition/", {"target": "published", "comment": "ok"})
        delivery = Delivery.objects.get()
        assert (delivery.event_type, delivery.status) == ("article.published", Delivery.Status.PENDING)
        assert receiver.requests == []
        run_worker()
    [(_headers, body)] = receiver.requests
    assert json.loads(body)["data"]["slug"] == "a"


def test_the_delivery_log_is_read_only_and_resend_sends_again_with_the_same_id(admin_client):
    with Receiver(statuses=[500]) as receiver:
        Endpoint.objects.create(name="Partner", url=receiver.url)
        make_article("a")
        run_worker()
        delivery = Delivery.objects.get()
        assert delivery.status == Delivery.Status.FAILED

        listing = admin_client.get("/admin/webhooks/delivery/").content.decode()
        assert "article.published" in listing and "Failed" in listing and "500" in listing
        page = admin_client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/").content.decode()
        assert "status 500" in page  # the receiver's answer
        assert 'name="_save"' not in page and "Resend" in page
        assert admin_client.get("/admin/webhooks/delivery/add/").status_code == 403

        # The button on the delivery page
        admin_client.post(f"/admin/webhooks/delivery/{delivery.pk}/resend/")
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 0)
        run_worker()
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.SUCCEEDED

        # The list action
        response = admin_client.post(
            "/admin/webhooks/delivery/", {"action": "resend_deliveries", "_selected_action": [delivery.pk]}, follow=True
        )
        assert "1 delivery queued to be sent again" in response.content.decode()
        run_worker()
    assert [headers["webhook-id"] for headers, _body in receiver.requests] == [f"msg_{delivery.entry_id}"] * 3
    assert len({body for _headers, body in receiver.requests}) == 1


def test_a_disabled_endpoint_shows_why_and_is_enabled_again_from_the_admin(admin_client):
    endpoint = Endpoint.objects.create(
        name="Partner", url="https://hooks.example.org/", enabled=False, disabled_reason="10 attempts in a row failed",
        consecutive_failures=10,
    )
    listing = admin_client.get("/admin/webhooks/endpoint/").content.decode()
    assert "10 attempts in a row failed" in listing

    response = admin_client.post(
        "/admin/webhooks/endpoint/", {"action": "reenable_endpoints", "_selected_action": [endpoint.pk]}, follow=True
    )
    assert "1 endpoint enabled again" in response.content.decode()
    endpoint.refresh_from_db()
    assert (endpoint.enabled, endpoint.consecutive_failures, endpoint.disabled_reason) == (True, 0, "")

    Endpoint.objects.filter(pk=endpoint.pk).update(enabled=False, disabled_reason="x", consecutive_failures=10)
    post_change_form(admin_client, f"/admin/webhooks/endpoint/{endpoint.pk}/change/", "endpoint_form", enabled="on",
                     events=endpoint.events, languages=endpoint.languages)  # (the helper keeps one checkbox per name)
    endpoint.refresh_from_db()
    assert (endpoint.enabled, endpoint.consecutive_failures, endpoint.disabled_reason) == (True, 0, "")
    assert len(endpoint.events) == 6 and len(endpoint.languages) == 5

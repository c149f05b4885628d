"""Webhooks end to end: publication → change log → Delivery rows → the real task worker → a real HTTP receiver."""

import json
import socket
import time

import pytest
from django.core.management import call_command
from standardwebhooks.webhooks import Webhook

from content.editorial import services
from content.models import ArticleStatus, ChangeLogEntry
from tests.factories import make_article, make_term, set_texts
from tests.webhooks.receiver import Receiver
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db(transaction=True)

ALL_EVENTS = ["article.published", "article.updated", "article.withdrawn",
              "glossary_term.published", "glossary_term.updated", "glossary_term.withdrawn"]


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = [0, 0, 0]
    settings.WEBHOOKS_TIMEOUT = 2


def run_worker():
    """The real worker command, in batch mode: it runs every task that is due, then exits."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


def endpoint(url, **fields):
    return Endpoint.objects.create(name="Partner", url=url, **fields)


def test_a_publication_is_posted_signed_with_the_documented_payload():
    with Receiver() as receiver:
        hook = endpoint(receiver.url)
        make_article("bone-pain", languages=("en", "es"))
        assert receiver.requests == []  # nothing is sent in the request that published
        run_worker()

    [(headers, body)] = receiver.requests
    event = Webhook(hook.secret).verify(body, headers)
    entry = ChangeLogEntry.objects.get(slug="bone-pain")
    assert hook.secret.startswith("whsec_")
    assert headers["webhook-id"] == f"msg_{entry.id}"
    assert headers["webhook-signature"].startswith("v1,")
    assert headers["content-type"] == "application/json"
    assert event["type"] == "article.published"
    assert event["data"]["change_log_id"] == entry.id
    assert event["data"]["slug"] == "bone-pain"
    # A new article is new to readers of every language: French, Chinese and Arabic readers are served it in English.
    assert event["data"]["languages"] == ["ar", "en", "es", "fr", "zh-hans"]
    assert event["data"]["levels"] == ["plain", "standard"]
    assert len(event["data"]["changes"]) == 10 and {"lang": "es", "level": "plain"} in event["data"]["changes"]
    urls = {(link["lang"], link["level"]): link["url"] for link in event["data"]["links"]}
    assert urls[("es", "plain")] == "http://127.0.0.1:8000/api/v1/articles/bone-pain/?lang=es&level=plain"
    assert len(urls) == 10
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (Delivery.Status.SUCCEEDED, 1, 200)


def test_a_tampered_body_fails_verification():
    with Receiver() as receiver:
        hook = endpoint(receiver.url)
        make_article("a")
        run_worker()
    [(headers, body)] = receiver.requests
    with pytest.raises(Exception):
        Webhook(hook.secret).verify(body.replace("article.published", "article.withdrawn"), headers)


def test_a_500_is_retried_with_the_same_webhook_id_and_nothing_is_sent_twice_after_success(settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = [0.5]
    with Receiver(statuses=[500]) as receiver:
        hook = endpoint(receiver.url)
        make_article("a")
        run_worker()
        delivery = Delivery.objects.get()
        assert len(receiver.requests) == 1
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (Delivery.Status.PENDING, 1, 500)
        assert delivery.last_response == "status 500"
        assert delivery.next_attempt_at is not None

        run_worker()  # the retry is not due yet
        assert len(receiver.requests) == 1
        time.sleep(0.6)
        run_worker()
        assert len(receiver.requests) == 2

        run_worker()
        call_command("requeue_webhook_deliveries", verbosity=0)  # as at a worker's start
        run_worker()
    assert len(receiver.requests) == 2
    (first_headers, first_body), (second_headers, second_body) = receiver.requests
    assert first_headers["webhook-id"] == second_headers["webhook-id"]
    assert first_body == second_body
    Webhook(hook.secret).verify(second_body, second_headers)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (Delivery.Status.SUCCEEDED, 2, 200)
    assert delivery.delivered_at is not None


def test_retries_survive_a_restart_because_the_queue_and_the_state_are_in_the_database(settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = [0.3]
    with Receiver(statuses=[503]) as receiver:
        endpoint(receiver.url)
        make_article("a")
        run_worker()  # first worker: fails once, schedules the retry, exits
        time.sleep(0.4)
        run_worker()  # a new worker process picks the retry up from the database
    assert len(receiver.requests) == 2
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


def test_timeouts_connection_errors_and_redirects_are_failures(settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = []
    settings.WEBHOOKS_TIMEOUT = 0.5
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts connections, never answers
    silent_url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()  # nothing listens here
    with Receiver(statuses=[302]) as redirecting, silent:
        endpoint(silent_url)
        endpoint(f"http://127.0.0.1:{closed_port}/")
        endpoint(redirecting.url)
        make_article("a")
        run_worker()
        assert len(redirecting.requests) == 1  # the redirect was not followed
    outcomes = {d.endpoint.url: d for d in Delivery.objects.select_related("endpoint")}
    assert all(d.status == Delivery.Status.FAILED for d in outcomes.values())
    assert "timed out" in outcomes[silent_url].last_error
    assert "refused" in outcomes[f"http://127.0.0.1:{closed_port}/"].last_error.lower()
    assert outcomes[redirecting.url].last_status_code == 302


def test_an_endpoint_is_disabled_after_repeated_failure_and_can_be_enabled_again(settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = [0, 0]
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 5
    settings.WEBHOOKS_DISABLE_AFTER = 0
    with Receiver(statuses=[500] * 20) as receiver:
        hook = endpoint(receiver.url)
        make_article("a")
        run_worker()  # 3 attempts, all failed
        hook.refresh_from_db()
        assert hook.enabled and hook.consecutive_failures == 3
        make_article("b")
        run_worker()  # 2 more attempts: disabled; the third is not sent
        assert len(receiver.requests) == 5
        hook.refresh_from_db()
        assert not hook.enabled and "5 attempts in a row failed" in hook.disabled_reason
        last = Delivery.objects.get(entry__slug="b")
        assert last.status == Delivery.Status.FAILED and "disabled" in last.last_error

        make_article("c")  # a disabled endpoint gets no new deliveries
        assert not Delivery.objects.filter(entry__slug="c").exists()


def test_a_failure_count_is_reset_by_a_success(settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = [0]
    with Receiver(statuses=[500]) as receiver:
        hook = endpoint(receiver.url)
        make_article("a")
        run_worker()
    hook.refresh_from_db()
    assert (hook.consecutive_failures, hook.failing_since, hook.enabled) == (0, None, True)


def test_language_and_event_filters():
    with Receiver() as spanish, Receiver() as withdrawals:
        endpoint(spanish.url, languages=["es"])
        endpoint(withdrawals.url, events=["article.withdrawn"])
        make_article("english-only", languages=("en",))
        article = make_article("both", languages=("en", "es"))
        services.move_article(article, ArticleStatus.ARCHIVED)
        run_worker()
    spanish_events = [json.loads(body) for _headers, body in spanish.requests]
    # Spanish readers are served the English-only article in English: it is new to them too.
    assert [(e["type"], e["data"]["slug"]) for e in spanish_events] == [
        ("article.published", "english-only"), ("article.published", "both"), ("article.withdrawn", "both")
    ]
    assert all(e["data"]["languages"] == ["es"] for e in spanish_events)
    assert {link["lang"] for e in spanish_events for link in e["data"]["links"]} == {"es"}
    [(_headers, body)] = withdrawals.requests
    withdrawn = json.loads(body)
    assert withdrawn["type"] == "article.withdrawn"
    assert withdrawn["data"]["links"] == []


def test_republication_is_an_update_and_glossary_terms_have_their_own_events():
    with Receiver() as receiver:
        endpoint(receiver.url)
        article = make_article("a", languages=("en", "fr"))
        variant = article.variants.get(level="standard")
        set_texts(variant, "fr", summary="Un nouveau résumé.")
        services.save_variant(variant)
        services.publish_article(article)
        make_term("biopsy", en=("biopsy", "A test.", "A small test."), fr=("biopsie", "Un test.", "Un petit test."))
        run_worker()
    events = [json.loads(body) for _headers, body in receiver.requests]
    # The article mentions a biopsy: once the term is published, it shows the definition, so it changed too.
    assert [e["type"] for e in events] == ["article.published", "article.updated", "glossary_term.published", "article.updated"]
    glossary = events[2]["data"]
    # A new term is new in every language (in English where it is not translated), one link per language.
    assert glossary["languages"] == ["ar", "en", "es", "fr", "zh-hans"]
    assert glossary["links"][3] == {"lang": "fr", "level": None, "url": "http://127.0.0.1:8000/api/v1/glossary/biopsy/?lang=fr"}
    # Only the French standard summary changed: French standard, and nothing else.
    assert (events[1]["data"]["languages"], events[1]["data"]["levels"]) == (["fr"], ["standard"])


def test_private_addresses_are_refused_when_not_allowed(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    from django.core.exceptions import ValidationError

    for url in ("http://127.0.0.1:9/", "http://10.1.2.3/", "http://[::1]/", "http://169.254.169.254/", "ftp://example.org/"):
        with pytest.raises(ValidationError):
            Endpoint(name="x", url=url).full_clean()
    with Receiver() as receiver:
        settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
        endpoint(receiver.url)
        settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False  # a rule tightened after registration holds at send time too
        settings.WEBHOOKS_RETRY_SCHEDULE = []
        make_article("a")
        run_worker()
    assert receiver.requests == []
    assert "private" in Delivery.objects.get().last_error


def test_a_worker_that_died_mid_send_leaves_a_lease_after_which_the_delivery_is_sent_again():
    """The one at-least-once window: sent, but the worker died before recording it. Same webhook-id."""
    from datetime import timedelta

    from django.utils import timezone

    with Receiver() as receiver:
        endpoint(receiver.url)
        make_article("a")
        delivery = Delivery.objects.get()
        # What a worker killed during its POST leaves behind: the row claimed, its task gone.
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.SENDING, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=1)
        )
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()
        call_command("requeue_webhook_deliveries", verbosity=0)
        run_worker()
        assert receiver.requests == []  # the lease still holds
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        call_command("requeue_webhook_deliveries", verbosity=0)
        run_worker()
    [(headers, _body)] = receiver.requests
    assert headers["webhook-id"] == f"msg_{delivery.entry_id}"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SUCCEEDED, 2)

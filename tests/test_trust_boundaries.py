"""Where state crosses a trust boundary, what comes back in cannot run code or reach patients unpublished.

The limit store, stored answers, uploads and the importer have their own tests
(tests/partners/test_limit_store_safety.py, tests/delivery/test_cache_isolation.py,
tests/test_exchange.py, tests/test_importer.py); this file covers the rest:
sessions, the task queue's rows, webhook payloads and backups.
"""

import gzip
import json
import os
import stat

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from content.editorial import services
from tests.factories import make_article, set_texts
from webhooks.models import Delivery, Endpoint
from webhooks.tasks import attempt_delivery

pytestmark = pytest.mark.django_db


def test_sessions_are_kept_server_side_as_json_and_a_forged_cookie_is_nobody(admin_user):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.SESSION_SERIALIZER == "django.contrib.sessions.serializers.JSONSerializer"
    assert settings.SESSION_COOKIE_HTTPONLY
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "gAWVIAAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg"
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db(transaction=True)  # the worker and a backup open their own transactions, as in production
def test_a_queued_task_that_names_anything_but_a_task_is_never_run(tmp_path):
    """The worker imports the path a queue row names: a row naming a plain function fails, and runs nothing."""
    marker = tmp_path / "ran"
    row = DBTaskResult.objects.create(
        task_path="os.system", args_kwargs={"args": [f"touch {marker}"], "kwargs": {}},
        queue_name="default", backend_name="default", priority=0,
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert not marker.exists()
    row.refresh_from_db()
    assert row.status == "FAILED"


def test_a_delivery_task_is_only_an_id_and_the_row_decides(settings):
    """A replayed, forged or stale task sends nothing: the worker reads the row and acts only when it is due."""
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    assert attempt_delivery.call(987654) is None  # no such delivery
    endpoint = Endpoint.objects.create(name="Clinic", url="http://127.0.0.1:9/hooks", events=["article.published"],
                                       languages=["en"])
    make_article()
    delivery = Delivery.objects.get(endpoint=endpoint)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SUCCEEDED, next_attempt_at=None)
    assert attempt_delivery.call(delivery.pk) is None  # already delivered: never sent twice
    assert Delivery.objects.get(pk=delivery.pk).attempts == delivery.attempts


def test_a_webhook_event_carries_links_to_published_answers_never_text():
    endpoint = Endpoint.objects.create(name="Clinic", url="https://portal.example.org/hooks",
                                       events=["article.published", "article.updated"], languages=["en", "es"])
    article = make_article(languages=("en", "es"))
    variant = article.variants.get(level="standard")
    set_texts(variant, "es", title="BORRADOR SIN REVISAR")
    services.save_variant(variant)  # a pending change, not published
    bodies = [json.loads(delivery.body) for delivery in Delivery.objects.filter(endpoint=endpoint)]
    assert bodies
    for body in bodies:
        assert set(body["data"]) == {"change_log_id", "kind", "action", "slug", "languages", "levels", "changes", "links"}
        assert "BORRADOR" not in json.dumps(body)
        for link in body["data"]["links"]:
            assert link["url"].startswith(settings.BONECARE_PUBLIC_URL)


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_readable_by_its_owner_only_and_holds_json_lines(tmp_path):
    make_article()
    path = tmp_path / "bonecare.jsonl.gz"
    call_command("backup", str(path), verbosity=0)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with gzip.open(path, "rt", encoding="utf-8") as backup:
        for line in backup:
            json.loads(line)  # every line is JSON: nothing in a backup is unpickled on restore


def test_on_postgresql_change_log_ids_commit_in_the_order_they_are_given():
    """Sync's cursor is the highest id read: an id may never commit after a higher one (ids come at insert)."""
    from django.db import connection, transaction

    from content.editorial.services import CHANGE_LOG_LOCK

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: ids commit in order by construction")
    with transaction.atomic():
        make_article()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND objid = %s",
                [CHANGE_LOG_LOCK],
            )
            assert cursor.fetchone()[0] == 1  # held until this transaction commits

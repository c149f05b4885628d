"""On PostgreSQL a server's workers keep checked answers until a change commits, and never serve one past it.

These tests commit for real (transactional_db): the listener hears of a change only when its transaction commits.
"""

import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.delivery import change_listener, stored
from content.delivery.answers import scopes
from content.editorial import services
from content.models import Article, ArticleStatus
from tests.factories import make_article, make_term, run_queued_refreshes, set_texts

pytestmark = pytest.mark.django_db(transaction=True)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's; SQLite reads the file's version"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="PRAGMA data_version is SQLite's")
DETAIL = "/api/v1/articles/a/"
WAIT = 10.0  # seconds: far beyond a notification's delivery on loopback, so only a lost one fails


@pytest.fixture
def listening(settings):
    settings.BONECARE_KEEP_CHECKED_ANSWERS = True
    yield _wait_for(lambda: change_listener.generation() is not None)
    change_listener.reset()


@pytest.fixture
def keeping(settings):
    settings.BONECARE_KEEP_CHECKED_ANSWERS = True
    yield
    change_listener.reset()


def _wait_for(condition):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.01)
    raise AssertionError("the listener did not get there in time")


def _moved_on_from(generation):
    """Wait until the listener has heard a change since `generation`."""
    _wait_for(lambda: change_listener.generation() not in (None, generation))


def _withdraw_in_another_connection(slug):
    """Withdraw the article from another thread, on its own connection, as another worker or a command would."""

    def withdraw():
        services.move_article(Article.objects.get(slug=slug), ArticleStatus.ARCHIVED, comment="withdrawn")
        connection.close()

    writer = threading.Thread(target=withdraw)
    writer.start()
    writer.join()


def _settled():
    """Wait until the listener has heard a heartbeat sent after now: every change committed before it was heard."""
    listener = change_listener._listener["current"]
    asked = time.monotonic()
    _wait_for(lambda: listener.heard_at > asked + 0.001 and change_listener.generation() is not None)


@postgresql_only
def test_every_table_a_stored_answer_depends_on_notifies_its_changes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'bonecare_notify_change'"
        )
        notifying = {name for (name,) in cursor.fetchall()}
    tables = scopes.tables_read()
    assert {"content_article", "content_changelogentry"} <= tables
    assert tables <= notifying, f"no change trigger on {sorted(tables - notifying)}"


@postgresql_only
def test_a_checked_answer_is_served_again_with_no_query_until_a_change_commits(client, listening):
    article = make_article("a")
    _settled()  # make_article's own notifications heard
    assert client.get(DETAIL).status_code == 200  # built and stored
    assert client.get(DETAIL).status_code == 200  # checked by query, and kept
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(DETAIL)
    assert kept.status_code == 200 and len(queries) == 0

    before = change_listener.generation()
    services.move_article(article, ArticleStatus.ARCHIVED, comment="dosage advice found to be wrong")
    _moved_on_from(before)

    assert client.get(DETAIL).status_code == 404


@postgresql_only
def test_a_change_committed_by_another_connection_moves_every_listener_on(client, listening):
    make_article("a")
    client.get(DETAIL)
    client.get(DETAIL)
    before = change_listener.generation()

    _withdraw_in_another_connection("a")
    _moved_on_from(before)

    assert client.get(DETAIL).status_code == 404


@postgresql_only
def test_without_a_listening_connection_every_answer_is_checked_by_query(client, listening):
    make_article("a")
    client.get(DETAIL)
    client.get(DETAIL)
    change_listener.reset()  # as when the listener's connection is lost: nothing is trusted from memory
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DETAIL).status_code == 200
    assert len(queries) == 1


def test_commands_and_tests_keep_no_checked_answers(settings):
    settings.BONECARE_KEEP_CHECKED_ANSWERS = False
    assert change_listener.generation() is None


@postgresql_only
def test_a_lost_listening_connection_stops_answers_from_memory_until_it_listens_again(client, listening):
    make_article("a")
    client.get(DETAIL)
    client.get(DETAIL)
    before = change_listener.generation()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s "
            "AND datname = current_database()",
            [change_listener.APPLICATION_NAME],
        )
        assert cursor.fetchone() is not None

    # Whatever happened while it was not listening is unknown: a new generation, and the answer checked again.
    _moved_on_from(before)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DETAIL).status_code == 200
    assert len(queries) == 1


@postgresql_only
def test_the_first_reader_after_a_publication_is_answered_from_memory_once_the_refresh_stored_it(client, listening):
    make_article("a")
    _settled()
    client.get(DETAIL)
    client.get(DETAIL)
    variant = Article.objects.get(slug="a").variants.get(level="standard")
    set_texts(variant, "en", summary="A summary a clinician has just published.")
    services.save_variant(variant)
    before = change_listener.generation()

    services.publish_article(variant.article)  # commits: its on-commit hook queues the refresh
    _moved_on_from(before)
    assert run_queued_refreshes() >= 1  # as the worker: stores the answer again, then says so
    _wait_for(lambda: _kept_under(DETAIL, change_listener.generation()))

    with CaptureQueriesContext(connection) as queries:
        first = client.get(DETAIL)
    assert len(queries) == 0
    assert first.json()["summary"] == "A summary a clinician has just published."


def _kept_under(path, generation):
    scope, value = generation
    with stored._checked.lock:
        return any(
            key.startswith(path) and kept.generations.get(scope) == value for (key, _c), kept in stored._checked.kept.items()
        )


@sqlite_only
def test_sqlite_serves_a_checked_answer_with_no_query_until_this_connection_changes_something(client, keeping):
    article = make_article("a")
    client.get(DETAIL)
    client.get(DETAIL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DETAIL).status_code == 200
    assert len(queries) == 0

    services.move_article(article, ArticleStatus.ARCHIVED, comment="dosage advice found to be wrong")

    assert client.get(DETAIL).status_code == 404  # at once: no notification to wait for


@sqlite_only
def test_sqlite_a_change_another_connection_commits_is_seen_by_the_next_request(client, keeping):
    make_article("a")
    client.get(DETAIL)
    client.get(DETAIL)

    _withdraw_in_another_connection("a")

    assert client.get(DETAIL).status_code == 404


@pytest.fixture
def kept(settings):
    """Checked answers kept, on whichever database the suite runs on."""
    settings.BONECARE_KEEP_CHECKED_ANSWERS = True
    if connection.vendor == "postgresql":
        _wait_for(lambda: change_listener.generation() is not None)
    yield
    change_listener.reset()


def test_a_search_for_a_new_word_reads_the_version_once_until_a_change_commits(client, kept, monkeypatch):
    make_term("tumor", en=("tumor", "A lump of cells.", "A lump."))
    if connection.vendor == "postgresql":
        _settled()
    reads = []
    read = scopes._read
    monkeypatch.setattr(scopes, "_read", lambda validators: reads.append(validators) or read(validators))

    first = client.get("/api/v1/search/", {"q": "tumor qzxwv"})
    second = client.get("/api/v1/search/", {"q": "tumor vbnmk"})  # another new word: built, not held
    assert first.status_code == second.status_code == 200
    assert len(reads) == 1

    before = change_listener.generation()
    make_term("osteosarcoma", en=("osteosarcoma", "A cancer that starts in bone.", "Bone cancer."))
    if connection.vendor == "postgresql":
        _moved_on_from(before)

    found = client.get("/api/v1/search/", {"q": "osteosarcoma"})
    assert len(reads) == 2
    assert "osteosarcoma" in [result["title"] for result in found.json()["results"]]


@postgresql_only
def test_a_change_committed_while_an_answer_is_checked_leaves_it_stale(client, listening, monkeypatch):
    article = make_article("a")
    _settled()
    client.get(DETAIL)  # built and stored
    query = stored._fetch_one

    def withdrawn_just_after_the_check(sql, params):
        row = query(sql, params)  # the answer as it was: fresh when read
        before = change_listener.generation()
        services.move_article(article, ArticleStatus.ARCHIVED, comment="withdrawn while it was checked")
        _moved_on_from(before)  # heard before the answer is kept
        return row

    monkeypatch.setattr(stored, "_fetch_one", withdrawn_just_after_the_check)
    assert client.get(DETAIL).status_code == 200  # it began before the withdrawal
    monkeypatch.setattr(stored, "_fetch_one", query)

    assert client.get(DETAIL).status_code == 404


@postgresql_only
def test_a_listener_that_has_not_heard_itself_for_a_while_is_not_trusted(client, listening):
    make_article("a")
    _settled()
    client.get(DETAIL)
    client.get(DETAIL)
    listener = change_listener._listener["current"]
    listener.heard_at -= change_listener.SILENCE_LIMIT + 1  # as when the server stalls or the network drops

    assert change_listener.generation() is None
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DETAIL).status_code == 200
    assert len(queries) == 1


@postgresql_only
def test_nothing_is_kept_behind_a_pooler_that_cannot_keep_listen(settings):
    options = connection.settings_dict["OPTIONS"]
    threshold, options["prepare_threshold"] = options.get("prepare_threshold"), None  # DJANGO_DB_PREPARE_THRESHOLD=off
    try:
        settings.BONECARE_KEEP_CHECKED_ANSWERS = True
        assert change_listener.generation() is None
        assert change_listener._listener["current"] is None  # no listener started at all
    finally:
        options["prepare_threshold"] = threshold
        change_listener.reset()


@postgresql_only
def test_a_table_without_its_trigger_keeps_every_answer_checked_by_query(settings):
    with connection.cursor() as cursor:
        cursor.execute('ALTER TABLE "content_rendition" DISABLE TRIGGER bonecare_notify_change')
    try:
        settings.BONECARE_KEEP_CHECKED_ANSWERS = True
        change_listener.generation()  # starts the listener, which finds the trigger disabled
        listener = change_listener._listener["current"]
        _wait_for(lambda: listener.stopped.is_set())
        assert change_listener.generation() is None
    finally:
        with connection.cursor() as cursor:
            cursor.execute('ALTER TABLE "content_rendition" ENABLE ALWAYS TRIGGER bonecare_notify_change')
        change_listener.reset()

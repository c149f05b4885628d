"""What a server knows of changes, so a stored answer it has checked is served again with no query until one commits.

A stored answer is served only while the validators it was rendered from
still hold (content/delivery/stored.py), and checking them is a query. A
worker that keeps checked answers (`BONECARE_KEEP_CHECKED_ANSWERS`) checks
each once and keeps it with the generation it was checked under
(`generation()`), and serves it again without a query while that holds.

PostgreSQL, where the query is a round trip to the server that cost stored
reads most of their speed:

- every table a stored answer's validators read has a statement trigger
  (migration 0022_notify_changes) that calls `pg_notify(CHANNEL)` in the
  writing transaction. PostgreSQL delivers it to every listener when that
  transaction commits, whichever process or tool wrote;
- a thread in each process listens on a connection of its own; each
  notification moves the generation on, and so does (re)connecting, since
  anything may have changed while it was not listening;
- every `HEARTBEAT` the thread notifies itself; `generation()` is None until
  it has heard its own notification back, and whenever it has not for
  `SILENCE_LIMIT` seconds (connection lost, server stalled): every answer is
  then checked by query. So it is when a table stored answers depend on has
  no enabled trigger (checked on each connection), and behind a pooler in
  transaction mode (prepared statements off), which does not keep LISTEN.

So a withdrawn or republished article is served from memory at most until
this process reads the commit's notification (tests/delivery/test_change_listener.py).
When the refresh after a publication has stored the touched answers again it
says so (`REFRESHED`), and each process checks again the answers it was last
asked for, so the first reader after a publication is answered from memory too.

SQLite: no delay at all. Each thread's connection reads the file's version
(`FileVersion`), which moves with any commit by any connection.

Only servers keep answers (deploy/gunicorn.conf.py turns the setting on): a
test's writes stay in a transaction that never commits, so on PostgreSQL no
notification would ever come.
"""

import itertools
import logging
import os
import sqlite3
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.dispatch import receiver
from django.test.signals import setting_changed

logger = logging.getLogger(__name__)

PROCESS = "process"  # the scope of a listener's generation: every thread of the process
CHANNEL = "bonecare_changes"
APPLICATION_NAME = "bonecare-change-listener"  # how its connection shows in pg_stat_activity
HEARTBEAT_PREFIX = "heartbeat:"  # a listener's own notification; a trigger's names a table
REFRESHED = "refreshed"  # the stored answers a publication touched are stored again (answers/refresh.py)
HEARTBEAT = 1.0  # seconds between the listener's notifications to itself
SILENCE_LIMIT = 3.0  # seconds without an answer after which memory is not trusted
RETRY = 1.0  # seconds before connecting again after a failure
# A half-open connection (a network failure with no reset) would otherwise block the listener for many minutes.
CONNECTION_TIMEOUTS = {
    "connect_timeout": 5, "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3,
    "tcp_user_timeout": 10_000,
}


# Generations only grow, across listeners too: one checked under an earlier listener is never taken for current.
_moves = itertools.count(1)


class Listener:
    def __init__(self, alias=DEFAULT_DB_ALIAS):
        self.alias = alias
        self.lock = threading.Lock()
        self.thread = self.checker = None
        self.moves = next(_moves)
        self.listening = False
        self.heard_at = 0.0
        self.stopped = threading.Event()
        self.refreshed = threading.Event()
        self.outage_logged = False

    def generation(self):
        if self.thread is None:
            self.start()
        if not self.listening or time.monotonic() - self.heard_at > SILENCE_LIMIT:
            return None
        return PROCESS, self.moves

    def start(self):
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, name="bonecare-change-listener", daemon=True)
                self.thread.start()
                self.checker = threading.Thread(target=self.check_again, name="bonecare-check-again", daemon=True)
                self.checker.start()

    def stop(self):
        self.stopped.set()
        for thread in (self.thread, self.checker):  # their connections closed, so their database can be dropped
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout=HEARTBEAT * 5)

    def move(self):
        self.moves = next(_moves)

    def run(self):
        while not self.stopped.is_set():
            try:
                self.listen()
            except Exception:  # any failure: stop trusting memory, connect again
                if not self.outage_logged:  # once per outage, not once a second while PostgreSQL is down
                    logger.warning("the change listener lost its connection; answers are checked by query",
                                   exc_info=True)
                    self.outage_logged = True
            finally:
                self.listening = False
                self.move()
            self.stopped.wait(RETRY)

    def listen(self):
        import psycopg  # only on PostgreSQL

        params = connections[self.alias].get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.update(application_name=APPLICATION_NAME, **CONNECTION_TIMEOUTS)
        own = f"{HEARTBEAT_PREFIX}{os.getpid()}:{id(self)}"
        with psycopg.connect(**params, autocommit=True) as listening:
            missing = _untriggered_tables(listening)
            if missing:
                logger.error("no change trigger on %s: answers are checked by query (migrate)", ", ".join(missing))
                self.stopped.set()  # never trust memory in this process
                return
            listening.execute(f"LISTEN {CHANNEL}")
            self.move()  # whatever was checked before this connection listened may be stale
            while not self.stopped.is_set():
                # Its own notification, heard back, proves the connection is alive and read, and that every change
                # committed before it was heard has been (PostgreSQL delivers them in commit order).
                listening.execute("SELECT pg_notify(%s, %s)", [CHANNEL, own])
                for notification in listening.notifies(timeout=HEARTBEAT):
                    if notification.payload == own:
                        self.heard_at, self.listening, self.outage_logged = time.monotonic(), True, False
                    elif notification.payload == REFRESHED:
                        self.refreshed.set()
                    elif not notification.payload.startswith(HEARTBEAT_PREFIX):
                        self.move()

    def check_again(self):
        """After each refresh, the callbacks (stored.check_again) in a thread of their own: the listener keeps
        reading notifications meanwhile."""
        while not self.stopped.is_set():
            if not self.refreshed.wait(HEARTBEAT):
                continue
            self.refreshed.clear()
            for callback in _when_refreshed:
                try:
                    callback()
                except Exception:  # only a speed-up: the next reader checks by query
                    logger.warning("checking answers again after a refresh failed", exc_info=True)
            connections[self.alias].close()  # this thread's: not kept open between refreshes


_depended_on = []


def depends_on_tables(tables):
    """`tables()` names tables stored answers depend on (content/delivery/answers/scopes.py says which)."""
    _depended_on.append(tables)


def _untriggered_tables(listening):
    """The tables stored answers depend on that have no enabled change trigger (a migration not run, a new table)."""
    if not _depended_on:
        return ["(no scope has named its tables)"]
    rows = listening.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = 'bonecare_notify_change' AND t.tgenabled = 'A'"
    ).fetchall()
    wanted = set().union(*(tables() for tables in _depended_on))
    return sorted(wanted - {name for (name,) in rows})


class FileVersion:
    """SQLite: the database file's version as this thread's connection sees it, with no query.

    `PRAGMA data_version` changes when any other connection, in this process
    or another, has committed a change; the connection's own changes count in
    its `total_changes`. Together they move exactly when something changed,
    with no delay, but only for the connection that reads them: an answer is
    kept with the generation of each thread's connection that checked it.
    """

    def __init__(self):
        self.local = threading.local()

    def generation(self):
        raw = connections[DEFAULT_DB_ALIAS].connection
        if raw is None:
            return None  # not connected yet: the query connects
        local = self.local
        if getattr(local, "raw", None) is not raw:  # a new connection's versions start again: a new scope
            local.raw, local.scope = raw, next(_moves)
        try:
            version = raw.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return None
        return local.scope, (version, raw.total_changes)

    def stop(self):
        pass


_when_refreshed = []


def when_refreshed(callback):
    """Call `callback()` in this process after each refresh of stored answers, wherever it ran."""
    _when_refreshed.append(callback)


def announce_refreshed():
    """Tell every listening process that the refresh after a publication has stored its answers again."""
    database = connections[DEFAULT_DB_ALIAS]
    if database.vendor == "postgresql":
        with database.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, REFRESHED])


_listener = {"current": None, "decided": False}
_decision_lock = threading.Lock()


def generation():
    """(scope, value): what this process (PostgreSQL) or this thread's connection (SQLite) knows of changes; an
    answer checked under a scope's value is still fresh while that value holds. None: check answers by query."""
    if not _listener["decided"]:
        _decide()
    listener = _listener["current"]
    return listener.generation() if listener is not None else None


def _decide():
    with _decision_lock:
        if _listener["decided"]:
            return
        database = connections[DEFAULT_DB_ALIAS]
        # Prepared statements off (DJANGO_DB_PREPARE_THRESHOLD=off) means a pooler in transaction mode, which does
        # not carry LISTEN from one transaction to the next: nothing is kept there.
        pooled = database.vendor == "postgresql" and database.settings_dict["OPTIONS"].get("prepare_threshold") is None
        if getattr(settings, "BONECARE_KEEP_CHECKED_ANSWERS", False) and not pooled:
            _listener["current"] = {"postgresql": Listener, "sqlite": FileVersion}.get(database.vendor, lambda: None)()
        _listener["decided"] = True


def reset():
    """Stop listening and decide again (tests turn the setting on and off)."""
    with _decision_lock:
        listener = _listener["current"]
        if listener is not None:
            listener.stop()
        _listener["current"], _listener["decided"] = None, False


@receiver(setting_changed)
def _setting_changed(*, setting, **kwargs):
    if setting == "BONECARE_KEEP_CHECKED_ANSWERS":
        reset()

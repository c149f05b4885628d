"""On PostgreSQL, what this process knows of changes: a generation that moves as each change commits.

A stored answer is served only while the validators it was rendered from
still hold (content/delivery/stored.py), and checking them is a query. On
SQLite that query is a call into the same process; on PostgreSQL it is a
round trip to the server, which cost stored reads most of their speed. A
worker that listens checks an answer once, keeps it with the generation it
was checked under, and serves it again without a query until the generation
moves:

- every table a stored answer's validators read has a statement trigger
  (migration 0067) that calls `pg_notify(CHANNEL)` in the writing transaction.
  PostgreSQL delivers it to every listener when that transaction commits,
  whichever process or tool wrote;
- a thread in each process listens on a connection of its own; each
  notification moves the generation on, and so does (re)connecting, since
  anything may have changed while it was not listening;
- `generation()` is None whenever the thread is not listening, or has not
  heard from the server for `SILENCE_LIMIT` seconds (it asks every
  `HEARTBEAT`): every answer is then checked by query, as on SQLite.

So a withdrawn or republished article is served from memory at most until
this process reads the commit's notification (tests/delivery/test_change_listener.py).
Only servers listen (`BONECARE_LISTEN_FOR_CHANGES`, which deploy/gunicorn.conf.py
sets): a test's writes stay in a transaction that never commits, so no
notification would ever come.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.dispatch import receiver
from django.test.signals import setting_changed

logger = logging.getLogger(__name__)

CHANNEL = "bonecare_changes"
HEARTBEAT = 1.0  # seconds between the listener's checks that its connection still answers
SILENCE_LIMIT = 3.0  # seconds without an answer after which memory is not trusted
RETRY = 1.0  # seconds before connecting again after a failure


class Listener:
    def __init__(self, alias=DEFAULT_DB_ALIAS):
        self.alias = alias
        self.lock = threading.Lock()
        self.thread = None
        self.moves = 0  # only grows: a generation is never seen twice
        self.listening = False
        self.heard_at = 0.0
        self.stopped = threading.Event()

    def generation(self):
        if self.thread is None:
            self.start()
        if not self.listening or time.monotonic() - self.heard_at > SILENCE_LIMIT:
            return None
        return self.moves

    def start(self):
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, name="bonecare-change-listener", daemon=True)
                self.thread.start()

    def stop(self):
        self.stopped.set()

    def move(self):
        with self.lock:
            self.moves += 1

    def run(self):
        while not self.stopped.is_set():
            try:
                self.listen()
            except Exception:  # any failure: stop trusting memory, connect again
                logger.warning("the change listener lost its connection; answers are checked by query", exc_info=True)
            finally:
                self.listening = False
                self.move()
            self.stopped.wait(RETRY)

    def listen(self):
        import psycopg  # only on PostgreSQL

        params = connections[self.alias].get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as listening:
            listening.execute(f"LISTEN {CHANNEL}")
            self.move()  # whatever was checked before this connection listened may be stale
            self.heard_at, self.listening = time.monotonic(), True
            while not self.stopped.is_set():
                for _notification in listening.notifies(timeout=HEARTBEAT):
                    self.move()
                listening.execute("SELECT 1")
                self.heard_at = time.monotonic()


_listener = {"current": None, "decided": False}
_decision_lock = threading.Lock()


def generation():
    """This process's generation of changes, or None when answers must be checked by query."""
    if not _listener["decided"]:
        _decide()
    listener = _listener["current"]
    return listener.generation() if listener is not None else None


def _decide():
    with _decision_lock:
        if _listener["decided"]:
            return
        wanted = getattr(settings, "BONECARE_LISTEN_FOR_CHANGES", False)
        if wanted and connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            _listener["current"] = Listener()
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
    if setting == "BONECARE_LISTEN_FOR_CHANGES":
        reset()

"""The shared store that holds request counters and checked keys: the `limits` cache.

With REDIS_URL it is Redis (Django's RedisCache, atomic INCR), shared by every
worker on every host. Without it, it is `LockedFileCache`: files in one folder,
shared by the workers of one host (`make run` starts 2), with counting made
atomic across processes by an exclusive lock, which Django's FileBasedCache
does not do (its `incr` and `add` are a read then a write, and two workers
lose counts). The database cache was measured and not chosen: it costs 3 to 5
SQL queries per request on the hot path and, on SQLite, every count takes the
database's single write lock (bench/limit_store_bench.py).

A store that fails (Redis down) never fails a request: `guarded` logs a
warning, answers the default, and leaves the store alone for a few seconds
so that each request does not wait for a connection that will not come.
"""

import fcntl
import logging
import os
import pickle
import threading
import time
import zlib
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# How long a failed store is left alone before it is tried again (per process).
STORE_RETRY_SECONDS = 5
_store_down_until = 0.0


def limit_store():
    return caches[settings.BONECARE_LIMITS_CACHE]


def guarded(operation, default):
    """operation(store), or `default` (with a warning) while the store fails."""
    global _store_down_until
    if time.monotonic() < _store_down_until:
        return default
    try:
        return operation(limit_store())
    except Exception as error:  # any client error: connection refused, timeout, full disk, ...
        _store_down_until = time.monotonic() + STORE_RETRY_SECONDS
        logger.warning(
            "Limit store unavailable (%s: %s); requests are served without limits for the next %d s",
            type(error).__name__, error, STORE_RETRY_SECONDS,
        )
        return default


def reset_store_state():
    """Forget an earlier failure (tests, or an operator who fixed the store)."""
    global _store_down_until
    _store_down_until = 0.0


def count(store, key, window):
    """Add one to the counter `key`, which lives `window` seconds from its first count; the new value."""
    if isinstance(store, RedisCache):
        # One round trip instead of the three of add/incr (EXISTS, INCR, SET NX): create-if-absent then INCR,
        # pipelined. Django's RedisCache stores integers as they are, so INCR works on them.
        key = store.make_and_validate_key(key)
        pipeline = store._cache.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=window + 1, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]
    try:
        return store.incr(key)
    except ValueError:  # no such counter yet: the first request of this window
        if store.add(key, 1, timeout=window + 1):
            return 1
        return store.incr(key)  # another worker created it in between


class LockedFileCache(FileBasedCache):
    """FileBasedCache whose `incr` and `add` are atomic across processes (one flock per folder).

    Each process keeps its lock file open (opened again after a fork, since a
    forked child would share its parent's lock), and `incr` rewrites the
    counter in place: a count is a lock, one open, a read and a write.
    """

    lock_name = "counters.lock"
    _lock_file = None
    _lock_pid = None
    # flock excludes other processes only: the threads of one gthread worker share its lock file, so they
    # also take this lock first, or two of them would count at once and lose a count.
    _thread_lock = threading.Lock()

    @contextmanager
    def _locked(self):
        with self._thread_lock:
            if self._lock_pid != os.getpid():
                self._createdir()
                self._lock_file = open(os.path.join(self._dir, self.lock_name), "ab")
                self._lock_pid = os.getpid()
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        fname = self._key_to_file(key, version)
        with self._locked():
            try:
                with open(fname, "r+b") as f:
                    expiry = pickle.load(f)
                    if expiry is not None and expiry < time.time():
                        raise EOFError  # expired: as if absent (`add` replaces it)
                    value = pickle.loads(zlib.decompress(f.read())) + delta
                    # Rewritten in place under the lock: the expiry stays that of the first count.
                    f.seek(0)
                    f.write(pickle.dumps(expiry, self.pickle_protocol))
                    f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                    f.truncate()
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key '{key}' not found.") from None
        return value

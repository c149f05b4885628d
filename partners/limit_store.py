"""The shared store that holds request counters and checked keys: the `limits` cache.

With REDIS_URL it is Redis (Django's RedisCache, atomic INCR), shared by every
worker on every host. Without it, it is `CountingFileCache`: files in one
folder, shared by the workers of one host (`make run` starts 2). Django's
FileBasedCache cannot count (its `incr` is a read then a write, and two workers
lose counts), and a lock around that read and write made every request of every
thread wait in line: a thread holding the lock can lose the GIL to its
neighbours for milliseconds while the other worker waits. So a counter here is
a file that each count appends one byte to, with no lock at all: the kernel
orders appends to one file, and the file's length just after our own byte is our
count. The database cache was measured and not chosen: it costs 3 to 5 SQL
queries per request on the hot path and, on SQLite, every count takes the
database's single write lock (bench/limit_store_bench.py).

A store that fails (Redis down, a full disk) never fails a request: `guarded`
logs a warning, answers the default, and leaves the store alone for a few
seconds so that each request does not wait for a connection that will not come.
"""

import hashlib
import logging
import os
import shutil
import time

from django.conf import settings
from django.core.cache import caches
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
    if isinstance(store, CountingFileCache):
        return store.count(key, window)
    try:
        return store.incr(key)
    except ValueError:  # no such counter yet: the first request of this window
        if store.add(key, 1, timeout=window + 1):
            return 1
        return store.incr(key)  # another worker created it in between


class CountingFileCache(FileBasedCache):
    """FileBasedCache (for checked keys) with counters that every process and thread can add to at once.

    A count opens the counter's file with O_APPEND, writes one byte and reads
    its own descriptor's offset: the kernel places each append at the end of
    the file atomically, so that offset is the number of counts up to and
    including this one. No two counts see the same number and none is lost,
    and no lock is held while the GIL passes to another thread. Four system
    calls, about 4 microseconds here.

    Counters that have not been counted for `window` + 1 seconds are removed,
    at most once a window per process. The rate limiter's counters name their
    window (partners/limits.py), so each is counted within one window only and
    this is the same lifetime as Redis's expiry. The folder must be on a local
    file system: NFS does not make appends atomic across hosts.
    """

    counters_folder = "counters"
    _next_sweep = 0.0

    @property
    def counters_dir(self):
        return os.path.join(self._dir, self.counters_folder)

    def count(self, key, window):
        # make_key, not make_and_validate_key: a file name is a hash, so memcached's key rules do not apply.
        name = hashlib.md5(self.make_key(key).encode(), usedforsecurity=False).hexdigest()
        path = os.path.join(self.counters_dir, name)
        try:
            descriptor = os.open(path, COUNTER_FLAGS, 0o600)
        except FileNotFoundError:  # the folder is new (or was cleared)
            os.makedirs(self.counters_dir, 0o700, exist_ok=True)
            descriptor = os.open(path, COUNTER_FLAGS, 0o600)
        try:
            os.write(descriptor, b"\x01")
            value = os.lseek(descriptor, 0, os.SEEK_CUR)
        finally:
            os.close(descriptor)
        self._sweep(window)
        return value

    def _sweep(self, window):
        now = time.time()
        if now < CountingFileCache._next_sweep:
            return
        CountingFileCache._next_sweep = now + window
        try:
            with os.scandir(self.counters_dir) as entries:
                for entry in entries:
                    try:
                        if entry.stat().st_mtime < now - window - 1:
                            os.unlink(entry.path)
                    except FileNotFoundError:  # another worker swept it first
                        pass
        except FileNotFoundError:  # cleared meanwhile
            pass

    def clear(self):
        super().clear()
        shutil.rmtree(self.counters_dir, ignore_errors=True)


COUNTER_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC

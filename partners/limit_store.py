"""The shared store that holds request counters and checked keys: the `limits` cache.

With REDIS_URL it is Redis (Django's RedisCache, atomic INCR), shared by every
worker on every host. Without it, it is `CountingFileCache`: files in one
private folder (partners/private_directory.py), shared by the workers of one
host (`make run` starts 2). Whatever is read back, from files or from Redis, is
JSON or a count, never a pickle: a value one process wrote and another reads
must not be able to run code in it (probe D2). Django's FileBasedCache
unpickles its files, and cannot count (its `incr` is a read then a write, and two workers
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
import json
import logging
import os
import shutil
import tempfile
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache

from partners.private_directory import make_private

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


class JsonSerializer:
    """Redis values as JSON, and integers as they are (so INCR counts them): nothing read back can run code.

    Django's own RedisSerializer unpickles every value that is not an integer.
    A value that is not JSON (planted, or left by an older version) reads as
    missing, so the record is built again from the database.
    """

    def dumps(self, value):
        if type(value) is int:  # not bool: True must come back as true
            return value
        return json.dumps(value, separators=(",", ":")).encode()

    def loads(self, data):
        try:
            return int(data)
        except ValueError:
            pass
        try:
            return json.loads(data)
        except ValueError:
            return None


class CountingFileCache(BaseCache):
    """Values as JSON files, and counters that every process and thread can add to at once, in one private folder.

    A value is a JSON file written whole to a temporary name and renamed into
    place; the file's modification time is the moment it expires, so a read
    and the sweep that removes expired files need nothing else. A value that
    cannot be written as JSON is refused (TypeError) rather than pickled.

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
    file system: NFS does not make appends atomic across hosts. Nothing is
    opened through a symbolic link (O_NOFOLLOW).
    """

    values_folder = "values"
    counters_folder = "counters"
    # Checked keys live 60 s; a file much larger than any of ours was not written by us.
    max_value_bytes = 64 * 1024
    _next_sweep = 0.0
    _next_value_sweep = 0.0

    def __init__(self, location, params):
        super().__init__(params)
        self._dir = os.path.abspath(location)

    @property
    def values_dir(self):
        return os.path.join(self._dir, self.values_folder)

    @property
    def counters_dir(self):
        return os.path.join(self._dir, self.counters_folder)

    @property
    def folders(self):
        """Every folder the store reads from or writes to (partners/checks.py refuses any that is not private)."""
        return [self._dir, self.values_dir, self.counters_dir]

    def _key_to_file(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return os.path.join(self.values_dir, hashlib.md5(key.encode(), usedforsecurity=False).hexdigest() + ".json")

    def get(self, key, default=None, version=None):
        path = self._key_to_file(key, version)
        try:
            descriptor = os.open(path, READ_FLAGS)
        except (FileNotFoundError, NotADirectoryError):
            return default
        try:
            expires = os.fstat(descriptor).st_mtime
            data = os.read(descriptor, self.max_value_bytes + 1)
        finally:
            os.close(descriptor)
        if expires <= time.time() or len(data) > self.max_value_bytes:
            self._delete(path)
            return default
        try:
            return json.loads(data)
        except ValueError:  # not ours: as good as missing
            self._delete(path)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        data = json.dumps(value, separators=(",", ":")).encode()
        path = self._key_to_file(key, version)
        expires = self.get_backend_timeout(timeout)
        expires = time.time() + FOREVER if expires is None else expires
        try:
            descriptor, temporary = tempfile.mkstemp(dir=self.values_dir, prefix=WRITING_PREFIX)
        except FileNotFoundError:
            make_private(self.values_dir)
            descriptor, temporary = tempfile.mkstemp(dir=self.values_dir, prefix=WRITING_PREFIX)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.utime(temporary, (expires, expires))
            os.replace(temporary, path)
        except BaseException:
            self._delete(temporary)
            raise
        self._sweep_values()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.has_key(key, version):
            return False
        self.set(key, value, timeout, version)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        if not self.has_key(key, version):
            return False
        expires = self.get_backend_timeout(timeout)
        expires = time.time() + FOREVER if expires is None else expires
        try:
            os.utime(self._key_to_file(key, version), (expires, expires), follow_symlinks=False)
        except FileNotFoundError:
            return False
        return True

    def delete(self, key, version=None):
        return self._delete(self._key_to_file(key, version))

    def has_key(self, key, version=None):
        return self.get(key, _MISSING, version) is not _MISSING

    def _delete(self, path):
        try:
            os.unlink(path)
        except FileNotFoundError:
            return False
        return True

    def clear(self):
        shutil.rmtree(self.values_dir, ignore_errors=True)
        shutil.rmtree(self.counters_dir, ignore_errors=True)

    def _sweep_values(self):
        now = time.time()
        if now < CountingFileCache._next_value_sweep:
            return
        CountingFileCache._next_value_sweep = now + VALUE_SWEEP_SECONDS
        # A value's expiry is its file's time; a file still being written has not had its time set yet, so it is
        # only swept once it is clearly abandoned (its writer died).
        _remove_files_older_than(self.values_dir, now, unless_prefix=WRITING_PREFIX)
        _remove_files_older_than(self.values_dir, now - VALUE_SWEEP_SECONDS, only_prefix=WRITING_PREFIX)

    def count(self, key, window):
        # make_key, not make_and_validate_key: a file name is a hash, so memcached's key rules do not apply.
        name = hashlib.md5(self.make_key(key).encode(), usedforsecurity=False).hexdigest()
        path = os.path.join(self.counters_dir, name)
        try:
            descriptor = os.open(path, COUNTER_FLAGS, 0o600)
        except FileNotFoundError:  # the folder is new (or was cleared)
            make_private(self.counters_dir)
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
        _remove_files_older_than(self.counters_dir, now - window - 1)


def _remove_files_older_than(folder, moment, *, unless_prefix=None, only_prefix=None):
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if unless_prefix and entry.name.startswith(unless_prefix):
                    continue
                if only_prefix and not entry.name.startswith(only_prefix):
                    continue
                try:
                    if entry.stat(follow_symlinks=False).st_mtime < moment:
                        os.unlink(entry.path)
                except FileNotFoundError:  # another worker swept it first
                    pass
    except FileNotFoundError:  # cleared meanwhile
        pass


_MISSING = object()
FOREVER = 10 * 365 * 24 * 3600
VALUE_SWEEP_SECONDS = 60
WRITING_PREFIX = ".writing-"
READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
COUNTER_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC

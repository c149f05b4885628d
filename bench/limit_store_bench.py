"""Which embedded store should count requests when there is no Redis? Counts per second, lost counts, SQL per count.

    .venv/bin/python bench/limit_store_bench.py [--counts 2000] [--processes 2]

Each candidate is hit the way the rate limiter hits it (partners.limit_store.count:
`incr`, or `add` at the start of a window) by PROCESSES processes at once (as
`make run`'s 2 gunicorn workers would), COUNTS times each, on one counter.
A store that loses counts lets a caller past its limit; one that errors drops
limits (they fail open). Redis is measured too when one listens on 127.0.0.1:6379.
"""

import argparse
import multiprocessing
import os
import socket
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def candidates(tmp):
    stores = {
        "append-counted files (chosen)": {"BACKEND": "partners.limit_store.CountingFileCache", "LOCATION": f"{tmp}/counted"},
        "Django FileBasedCache": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": f"{tmp}/plain"},
        "Django DatabaseCache, SQLite": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "limit_counts"},
    }
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            stores["Redis (REDIS_URL)"] = {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/0",
                "KEY_PREFIX": f"limit-store-bench-{uuid.uuid4().hex}",
            }
    except OSError:
        pass
    return stores


def setup_django(tmp, store):
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{tmp}/cache.sqlite3"}},
            CACHES={"default": store},
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()


def worker(tmp, store, counts, start, results):
    setup_django(tmp, store)
    from django.core.cache import caches

    cache = caches["default"]  # the store itself: `django.core.cache.cache` is a proxy, which count() cannot recognise
    from django.db import connection

    from partners.limit_store import count

    errors, queries = 0, []

    def count_query(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    start.wait()
    began = time.perf_counter()
    with connection.execute_wrapper(count_query):
        for _ in range(counts):
            try:
                count(cache, "counter", 60)
            except Exception:
                errors += 1
    results.put((time.perf_counter() - began, errors, len(queries)))


def measure(tmp, name, store, counts, processes):
    context = multiprocessing.get_context("fork")
    setup_django(tmp, store)  # in a child, so each candidate gets fresh settings
    from django.core.cache import caches

    cache = caches["default"]  # the store itself: `django.core.cache.cache` is a proxy, which count() cannot recognise
    from django.core.management import call_command

    if store["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", verbosity=0)
    cache.clear() if not store["BACKEND"].endswith("RedisCache") else None
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=worker, args=(tmp, store, counts, start, results)) for _ in range(processes)]
    for process in workers:
        process.start()
    start.set()
    outcomes = [results.get(timeout=600) for _ in workers]
    for process in workers:
        process.join()
    expected = counts * processes
    from partners.limit_store import CountingFileCache, count

    # The counter's value now, read by counting once more (the append-counted files can only be read that way).
    counted = count(cache, "counter", 60) - 1 if isinstance(cache, CountingFileCache) else (cache.get("counter") or 0)
    elapsed = max(seconds for seconds, _, _ in outcomes)
    errors = sum(e for _, e, _ in outcomes)
    queries = sum(q for _, _, q in outcomes) / expected
    print(
        f"{name:30} {expected / elapsed:10.0f} {1000 * elapsed / counts:12.3f} "
        f"{expected - counted:6} {errors:7} {queries:10.1f}", flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, default=2000, help="counts per process")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    print(f"{'store':30} {'counts/s':>10} {'ms/count/proc':>12} {'lost':>6} {'errors':>7} {'SQL/count':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, store in candidates(tmp).items():
            child = multiprocessing.get_context("fork").Process(
                target=measure, args=(tmp, name, store, args.counts, args.processes)
            )
            child.start()
            child.join()


if __name__ == "__main__":
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    main()

"""Database queries per API request, cold (empty body cache) and warm.

    .venv/bin/python bench/query_counts.py

Builds a throwaway SQLite database with the shipped content and counts the
queries of one request per endpoint. The test suite guards the upper bounds
(tests/test_api_articles.py::TestQueryCounts, tests/test_api_reference.py).
"""

import os
import sys
import tempfile

from servers import ROOT, bench_env, prepare
ENDPOINTS = [
    ("articles list", "/api/v1/articles/?lang=es"),
    ("article detail", "/api/v1/articles/metastatic-bone-cancer/?lang=ar&level=plain"),
    ("languages", "/api/v1/languages/"),
    ("topics", "/api/v1/topics/"),
    ("glossary list", "/api/v1/glossary/"),
    ("glossary detail", "/api/v1/glossary/biopsy/"),
    ("sync", "/api/v1/sync/?lang=es&level=plain"),
    ("bundle", "/api/v1/bundle/?lang=es&level=plain"),
]


def count():
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    # 304: the stored answer's ETag sent back (sync and bundle are revalidated on every use: no-cache).
    print(f"{'endpoint':18} {'cold':>5} {'warm':>5} {'304':>5}")
    for name, path in ENDPOINTS:
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as warm:
            etag = client.get(path)["ETag"]
        with CaptureQueriesContext(connection) as not_modified:
            assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304, path
        print(f"{name:18} {len(cold):5} {len(warm):5} {len(not_modified):5}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(f"{tmp}/queries.sqlite3")
        prepare(env, collectstatic=False)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        count()


if __name__ == "__main__":
    main()

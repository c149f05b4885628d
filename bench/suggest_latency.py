"""In-process latency of suggestions (and search) on the shipped content: the issue asks for < 10 ms a suggestion.

    .venv/bin/python bench/suggest_latency.py                      # a throwaway SQLite database
    .venv/bin/python bench/suggest_latency.py --uncached           # every answer built, none from the body cache
    .venv/bin/python bench/suggest_latency.py --database-url postgres://postgres@127.0.0.1:5432/bonecare_bench

With --database-url the database is migrated and the shipped content loaded
into it (use a database of your own: its content is replaced). Each query
goes through Django's test client (middleware, negotiation, view, JSON),
with no HTTP server: warm-up requests, then --repeats timed ones. Prints
p50/p99 per query, the worst p99, and jieba's one-off start-up time, which
wsgi.py spends at worker start so no request pays it.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import PYTHON, ROOT, bench_env  # noqa: E402

SUGGEST = [("en", "ch"), ("en", "chem"), ("en", "metas"), ("es", "quim"), ("fr", "chimio"), ("zh-hans", "骨"), ("ar", "كيم")]
SEARCH = [("en", "chemo"), ("en", "chemoterapy"), ("en", "artificial limb"), ("fr", "douleur osseuse"), ("zh-hans", "放疗副作用")]
SUGGEST_LIMIT_MS = 10.0


def measure(client, path, params, repeats):
    for _ in range(5):
        assert client.get(path, params).status_code == 200
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        client.get(path, params)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def run(repeats, uncached):
    import django

    django.setup()
    from django.test import Client

    from content.text import chinese_words

    started = chinese_words.warm_up()
    if uncached:
        from content.delivery import stored

        stored._held = stored.HeldAnswers(max_bytes=0)  # every request builds its body: none is held
    client = Client()
    how = "built every time (--uncached)" if uncached else "a repeated query is answered from the answer held in the process"
    print(f"database: {os.environ['DATABASE_URL'].split('://')[0]}; jieba start-up once per process: {started * 1000:.0f} ms; {how}")
    worst = 0.0
    for name, path, queries in (("suggest", "/api/v1/search/suggest/", SUGGEST), ("search", "/api/v1/search/", SEARCH)):
        for language, query in queries:
            p50, p99 = measure(client, path, {"q": query, "lang": language}, repeats)
            if name == "suggest":
                worst = max(worst, p99)
            print(f"  {name:8} {language:8} {query:18} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")
    verdict = "PASS" if worst < SUGGEST_LIMIT_MS else "FAIL"
    print(f"suggest worst p99 {worst:.2f} ms (target < {SUGGEST_LIMIT_MS:.0f} ms): {verdict}")
    return worst < SUGGEST_LIMIT_MS


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a database of your own to fill (default: a throwaway SQLite file)")
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--uncached", action="store_true", help="forget the cached bodies before each request: time building")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        sys.exit(0 if run(args.repeats, args.uncached) else 1)
    with tempfile.TemporaryDirectory(prefix="suggest-bench-") as folder:
        env = bench_env(Path(folder) / "db.sqlite3")
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        for command in (["migrate", "--noinput", "-v0"], ["load_content", "-v0"]):
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
        inner = [PYTHON, str(Path(__file__).resolve()), "--inner", "--repeats", str(args.repeats), *(["--uncached"] if args.uncached else [])]
        sys.exit(subprocess.run(inner, cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}).returncode)


if __name__ == "__main__":
    main()

"""Rerunnable API benchmark: throughput and latency of list and detail.

    .venv/bin/python bench/api_bench.py [--requests 2000] [--concurrency 8]

It builds a throwaway SQLite database with the shipped content, starts
gunicorn (2 gthread workers, like `make run`) on a free loopback port, sends a
bounded number of keep-alive requests per scenario from a thread pool, prints
requests/s and p50/p95/p99 latency, and stops the server. The client runs on
the same 2-core machine as the server, so figures are a floor, comparable
between runs on the same machine, not absolute capacity. Only 127.0.0.1 is
contacted.
"""

import argparse
import http.client
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from servers import bench_env, free_port, prepare, start_gunicorn, stop

SCENARIOS = [
    ("list en", "/api/v1/articles/", {}),
    ("list es plain", "/api/v1/articles/?lang=es&level=plain", {}),
    ("detail en", "/api/v1/articles/metastatic-bone-cancer/", {}),
    ("detail ar plain", "/api/v1/articles/metastatic-bone-cancer/?lang=ar&level=plain", {}),
    ("detail via Accept-Language", "/api/v1/articles/surgery-and-limb-salvage/", {"Accept-Language": "fr-CA,fr;q=0.9"}),
    ("detail 304", "/api/v1/articles/metastatic-bone-cancer/", "etag"),
]


def run_scenario(port, path, headers, requests, concurrency):
    latencies = []
    lock = threading.Lock()
    per_worker = requests // concurrency
    statuses = {}

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        local = []
        for _ in range(per_worker):
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            local.append(time.perf_counter() - started)
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
        connection.close()
        with lock:
            latencies.extend(local)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    elapsed = time.perf_counter() - started
    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / elapsed,
        "p50": quantiles[49] * 1000,
        "p95": quantiles[94] * 1000,
        "p99": quantiles[98] * 1000,
        "statuses": statuses,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario (default %(default)s)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default %(default)s)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(f"{tmp}/bench.sqlite3")
        print("preparing a throwaway database with the shipped content...", flush=True)
        prepare(env)
        port = free_port()
        server = start_gunicorn("bonecare.wsgi", port, env)
        try:
            print(f"{'scenario':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
            for name, path, headers in SCENARIOS:
                if headers == "etag":
                    connection = http.client.HTTPConnection("127.0.0.1", port)
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                    headers = {"If-None-Match": response.getheader("ETag")}
                run_scenario(port, path, headers, min(100, args.requests), args.concurrency)  # warm-up
                result = run_scenario(port, path, headers, args.requests, args.concurrency)
                print(
                    f"{name:32} {result['rps']:8.0f} {result['p50']:8.1f} {result['p95']:8.1f} {result['p99']:8.1f}  "
                    f"{result['statuses']}",
                    flush=True,
                )
        finally:
            stop(server)


if __name__ == "__main__":
    main()

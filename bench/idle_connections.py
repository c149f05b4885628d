"""How long another client waits while N idle half-open connections are held open directly against gunicorn.

    .venv/bin/python bench/idle_connections.py [--idle 20] [--workers 2]

Builds a throwaway database with the shipped content, starts gunicorn as
`make run` does (deploy/gunicorn.conf.py: gthread workers) and, for
comparison, with the sync workers `make run` used before, opens --idle
connections that send half a request line and then nothing, and times one
complete request from another client (giving up after 10 s). Production puts
nginx in front (deploy/nginx/bonecare.conf; tests/production/test_nginx.py
checks the same thing through it). Only 127.0.0.1 is used.
"""

import argparse
import http.client
import socket
import tempfile
import time
from pathlib import Path

from servers import HOST, bench_env, free_port, prepare, start_gunicorn, stop

PATH = "/api/v1/articles/?lang=es"
GIVE_UP_SECONDS = 10


def timed_request(port):
    connection = http.client.HTTPConnection(HOST, port, timeout=GIVE_UP_SECONDS)
    started = time.monotonic()
    try:
        connection.request("GET", PATH)
        status = connection.getresponse().status
    except (TimeoutError, socket.timeout):
        status = None
    finally:
        connection.close()
    return status, time.monotonic() - started


def with_idle_connections(port, count):
    held = []
    for _ in range(count):
        sock = socket.create_connection((HOST, port), timeout=5)
        sock.sendall(b"GET /api/v1/articles/?la")  # half a request line
        held.append(sock)
    time.sleep(0.5)
    try:
        return timed_request(port)
    finally:
        for sock in held:
            sock.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bonecare-idle-") as folder:
        env = bench_env(Path(folder) / "db.sqlite3")
        prepare(env, collectstatic=False)
        for label, extra in (("gthread (make run)", ()), ("sync (before)", ("--worker-class", "sync"))):
            port = free_port()
            server = start_gunicorn("bonecare.wsgi", port, env, workers=args.workers, extra=extra)
            try:
                timed_request(port)  # warm up: the first answer is rendered and stored
                alone = timed_request(port)
                idle = with_idle_connections(port, args.idle)
            finally:
                stop(server)
            print(f"{label:20} alone: {alone[0]} in {alone[1] * 1000:7.0f} ms   "
                  f"with {args.idle} idle: {idle[0] or 'no answer'} in {idle[1] * 1000:7.0f} ms", flush=True)


if __name__ == "__main__":
    main()

"""How BoneCare's gunicorn serves: the one worker model for `make run`, the benchmarks and the nginx test.

Sync workers serve one connection each, so two idle half-open connections
stopped the API. gthread workers keep idle keep-alive connections in a poller
and close them after `keepalive` seconds; each worker runs `threads` requests
at once, and `timeout` restarts a worker that stops answering its master.
A client that sends half a request still holds a thread until it gives up:
in production nginx (deploy/nginx/bonecare.conf) reads whole requests first.
Bind address, port and worker count stay on the command line.
"""

import os

worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 30
keepalive = 5

# Each worker listens on its own socket (SO_REUSEPORT) and the kernel spreads new connections across them. With
# one shared socket the workers race to accept, and now and then one worker took all 16 connections of a load
# test while the other idled: that worker served 2,080 requests/s where the two together serve 5,000 and more.
reuse_port = True

# Workers keep the stored answers they have checked until a change commits (content/delivery/change_listener.py).
# Set BONECARE_KEEP_CHECKED_ANSWERS=0 to check every one by query.
os.environ.setdefault("BONECARE_KEEP_CHECKED_ANSWERS", "1")


def on_starting(server):
    """Refuse a port another server already listens on, as a plain bind would.

    Two servers that both set SO_REUSEPORT would share the port silently,
    each answering some of the connections; a second `make run` must fail
    instead. The probe sets SO_REUSEADDR, as gunicorn does, so connections
    of an earlier run still in TIME_WAIT do not count.
    """
    import socket

    for address in server.cfg.address:
        if not isinstance(address, tuple):
            continue  # a Unix socket path: gunicorn itself refuses one in use
        host, port = address[0], address[1]
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as error:
                raise SystemExit(f"Cannot serve on {host}:{port}: {error.strerror} (is another server running there?)")


def post_worker_init(worker):
    """Leave what the worker has loaded out of the garbage collector's full passes.

    A full pass walked every module, URL pattern and catalogue the worker had
    loaded: about 100 ms in which none of its threads answered, every few
    thousand requests that build their answers (searches). Frozen objects are
    still freed when nothing refers to them; they are only not scanned for cycles.
    """
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # loaded on the first request otherwise, and left to every full pass
    gc.collect()
    gc.freeze()

"""How BoneCare's gunicorn serves: the one worker model for `make run`, the benchmarks and the nginx test.

Sync workers serve one connection each, so two idle half-open connections
stopped the API. gthread workers keep idle keep-alive connections in a poller
and close them after `keepalive` seconds; each worker runs `threads` requests
at once, and `timeout` restarts a worker that stops answering its master.
A client that sends half a request still holds a thread until it gives up:
in production nginx (deploy/nginx/bonecare.conf) reads whole requests first.
Bind address, port and worker count stay on the command line.
"""

worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 30
keepalive = 5

"""Helpers shared by the benchmark scripts: a throwaway database and gunicorn servers on loopback.

Every server is started in its own session (process group), so stopping it
reaches gunicorn's master and its workers and nothing else: the scripts
never signal a process they did not start. Only 127.0.0.1 is used.
"""

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"


def free_port():
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# A benchmark sends thousands of requests a second from one address: the limits stay on (their cost is part
# of what is measured) but with a budget no run exhausts. Counters go beside the throwaway database.
BENCH_ANONYMOUS_LIMIT = "1000000000"


def bench_env(database_path, **extra):
    """The environment for manage.py and gunicorn on a throwaway SQLite database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bonecare.settings",
        "DATABASE_URL": f"sqlite:///{database_path}",
        "DJANGO_LOG_LEVEL": "ERROR",
        "BONECARE_ANONYMOUS_LIMIT": os.environ.get("BONECARE_ANONYMOUS_LIMIT", BENCH_ANONYMOUS_LIMIT),
        "BONECARE_LIMITS_DIR": str(Path(database_path).parent / "limits"),
        **extra,
    }


# Only a database with this prefix is ever dropped: a mistyped URL must not empty a database someone uses.
THROWAWAY_PREFIX = "bonecare_bench"


def database_env(env, database_url):
    """`env` on the PostgreSQL database `database_url` instead of its SQLite file, made empty first.

    The database is dropped and created again (connecting to the server's `postgres` database), so it must be
    a throwaway one: its name must start with bonecare_bench. drop_database() removes it after the run.
    """
    import psycopg
    from dj_database_url import parse

    name = _throwaway_name(database_url)
    with _maintenance(database_url, psycopg, parse) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return {**env, "DATABASE_URL": database_url}


def drop_database(database_url):
    """Drop the throwaway database database_env() made."""
    import psycopg
    from dj_database_url import parse

    name = _throwaway_name(database_url)
    with _maintenance(database_url, psycopg, parse) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _throwaway_name(database_url):
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database-url must be a postgres:// URL (without it the bench uses a throwaway SQLite file)")
    name = database_url.rsplit("/", 1)[-1].split("?", 1)[0]
    if not re.fullmatch(rf"{THROWAWAY_PREFIX}\w*", name):
        raise SystemExit(f"--database-url must name a throwaway database starting with {THROWAWAY_PREFIX} (got {name!r})")
    return name


def _maintenance(database_url, psycopg, parse):
    settings = parse(database_url)
    return psycopg.connect(
        dbname="postgres", user=settings["USER"] or None, password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None, port=settings["PORT"] or None, autocommit=True,
    )


def prepare(env, collectstatic=True):
    """Migrate the throwaway database and load the shipped content (as `make setup` does)."""
    commands = [["migrate", "--noinput", "-v0"], ["load_content", "-v0"]]
    if collectstatic:
        commands.append(["collectstatic", "--noinput", "-v0"])
    for command in commands:
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


def wait_until_up(port, timeout=30, server=None):
    """Wait until something accepts connections on the port; fail early if `server` exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode} before serving on port {port}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start on port {port} within {timeout} s")


# The worker model `make run` uses (gthread workers, threads, timeouts): benchmarks compare like with like.
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def gunicorn_command(app, port, workers=2, extra=()):
    """gunicorn as `make run` starts it (its config file, no control socket), bound to loopback, quiet."""
    return [
        PYTHON, "-m", "gunicorn", app, "--config", str(GUNICORN_CONFIG), "--bind", f"{HOST}:{port}",
        "--workers", str(workers), "--no-control-socket", "--log-level", "warning", *extra,
    ]


def make_run_gunicorn_command(port, access_log=False, **overrides):
    """gunicorn exactly as `make run` starts it, read from the Makefile's run recipe, bound to 127.0.0.1:port.

    Read at run time so a change to `make run` (worker class, threads,
    timeouts) is what the soak and fault tests measure. Makefile variables
    take their `?=` defaults unless given in `overrides` (e.g. WORKERS="4").
    The access log (`--access-logfile -`) is dropped unless asked for, so a
    long run does not measure its own logging.
    """
    makefile = (ROOT / "Makefile").read_text()
    defaults = dict(re.findall(r"^([A-Z_]+)\s*\?=\s*(.*?)\s*$", makefile, flags=re.MULTILINE))
    values = {**defaults, **{name: str(value) for name, value in overrides.items()}, "PORT": str(port)}
    recipe = next(line for line in makefile.splitlines() if "$(BIN)/gunicorn" in line)
    expanded = re.sub(r"\$\(([A-Z_]+)\)", lambda match: values.get(match.group(1), match.group(0)), recipe.strip())
    arguments = shlex.split(expanded)[1:]  # the gunicorn executable itself is ours: sys.executable -m gunicorn
    command, skip = [], False
    for argument in arguments:
        if skip:
            skip = False
            continue
        if argument == "--bind":
            command += ["--bind", f"{HOST}:{port}"]
            skip = True
        elif argument == "--access-logfile" and not access_log:
            skip = True
        else:
            command.append(argument)
    return [PYTHON, "-m", "gunicorn", *command]


def start_queue_worker(env):
    """The webhook and refresh worker exactly as `make run` starts it (the Makefile's WORKER), in its own session.

    First it runs what is already queued (the seeding's refreshes and
    deliveries) to the end, so that backlog is not measured with the reads.
    """
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^WORKER = \$\(BIN\)/python (.*)$", makefile, flags=re.MULTILINE).group(1)
    arguments = shlex.split(recipe)
    subprocess.run([PYTHON, *arguments, "--batch", "--no-startup-delay", "-v0"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, timeout=600)
    return subprocess.Popen([PYTHON, *arguments, "-v0"], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL)


def start_command(command, port, env, log=None):
    """Start a server command in its own session and wait until it serves on the port; return the Popen."""
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT if log else None,
    )
    try:
        wait_until_up(port, server=server)
    except BaseException:
        stop(server)
        raise
    return server


def process_tree_rss(pid):
    """{pid: resident set size in bytes} of a process and its children (gunicorn's master and workers), from /proc."""
    page = os.sysconf("SC_PAGE_SIZE")
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    sizes, pending = {}, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm") as statm:
                sizes[current] = int(statm.read().split()[1]) * page
        except OSError:
            continue
        pending += children.get(current, [])
    return sizes


def start_gunicorn(app, port, env, workers=2, extra=()):
    """Start gunicorn in its own session and wait until it serves; return the Popen."""
    return start_command(gunicorn_command(app, port, workers, extra), port, env)


def install_signal_handlers():
    """SIGTERM and SIGHUP end a run like Ctrl-C, so a script's `finally` stops the servers it started."""

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupted)


def stop(server, timeout=10):
    """Stop a server this script started: SIGTERM to its master, then SIGKILL to its own process group."""
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        # The master is still ours (not reaped), so its group is the one
        # start_new_session made for this server alone: master and workers.
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=timeout)

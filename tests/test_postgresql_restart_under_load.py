"""PostgreSQL stopped and started again under load: 503s while it is down, recovery without restarting the app,
no write that was acknowledged is lost.

The test never touches the machine's shared PostgreSQL: it makes its own
throwaway cluster (initdb into a temporary folder, as the `postgres` OS
user, on a free port), serves BoneCare from it under gunicorn exactly as
`make run` starts it, and drives it with API readers and editors saving new
glossary terms through the admin's real add form. Mid-load it stops the
cluster with `pg_ctl stop -m immediate` (a crash: no checkpoint, recovery
from the WAL on start), checks every answer while it is down, starts it
again and checks that the same gunicorn master and workers serve again and
that every save the admin confirmed (302 to the list) is in the database.

It needs root (to run PostgreSQL's binaries as `postgres`) and Debian's
postgresql package; otherwise it is skipped with the reason, or fails when
BONECARE_REQUIRE_PG_FAULTS=1. It brings its own PostgreSQL, so it runs once,
in the SQLite phase of CI. Select it with `-m pg_faults`.
"""

import glob
import http.cookiejar
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.admin_forms import form_fields

ROOT = Path(settings.BASE_DIR)
sys.path.insert(0, str(ROOT / "bench"))
from servers import HOST, free_port, make_run_gunicorn_command, start_command, stop  # noqa: E402

PG_BIN_DIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
REQUIRED = os.environ.get("BONECARE_REQUIRE_PG_FAULTS") == "1"
READ_PATHS = [
    "/api/v1/articles/?lang=en",  # stored answers: served from the database too
    "/api/v1/articles/metastatic-bone-cancer/?lang=es&level=plain",
    "/api/v1/glossary/?lang=fr",
    "/api/v1/articles/?lang=ar&level=plain&topic=surgery",  # built per request
]
EDITOR, PASSWORD = "edna", "edna-fault-pass-1234"
DOWN_SECONDS = 5
RECOVERY_LIMIT_SECONDS = 10
SLOW_ANSWER_LIMIT_SECONDS = 5


def _why_not_runnable():
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "brings its own PostgreSQL cluster, so it runs once, in the SQLite phase"
    if os.geteuid() != 0:
        return "needs root to run PostgreSQL's binaries as the postgres user"
    if not PG_BIN_DIRS or not os.path.exists(os.path.join(PG_BIN_DIRS[-1], "initdb")):
        return "PostgreSQL's server binaries (/usr/lib/postgresql/*/bin/initdb) are not installed"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "there is no postgres OS user"
    return None


pytestmark = pytest.mark.pg_faults


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder, on a free loopback port, run as `postgres`."""

    def __init__(self, base):
        self.bin = PG_BIN_DIRS[-1]
        self.base = base
        self.data = os.path.join(base, "data")
        self.port = free_port()
        self.url = f"postgres://postgres@{HOST}:{self.port}/bonecare"

    def _as_postgres(self, program, *args, check=True):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", os.path.join(self.bin, program), *args],
            capture_output=True, text=True, timeout=120, check=check, cwd=self.base,  # a folder postgres may enter
        )

    def init(self):
        self._as_postgres("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def start(self):
        options = f"-p {self.port} -k {self.base} -c listen_addresses={HOST}"
        self._as_postgres("pg_ctl", "-D", self.data, "-l", os.path.join(self.base, "server.log"), "-w", "-t", "60",
                          "-o", options, "start")

    def stop(self, mode="immediate"):
        self._as_postgres("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop", check=False)

    def create_database(self):
        self._as_postgres("createdb", "-h", HOST, "-p", str(self.port), "bonecare")


@pytest.fixture
def cluster():
    reason = _why_not_runnable()
    if reason:
        if REQUIRED and not reason.startswith("brings"):
            pytest.fail(f"BONECARE_REQUIRE_PG_FAULTS=1 but {reason}")
        pytest.skip(reason)
    base = tempfile.mkdtemp(prefix="bonecare-pg-fault-")
    owner = pwd.getpwnam("postgres")
    os.chown(base, owner.pw_uid, owner.pw_gid)
    os.chmod(base, 0o700)
    instance = Cluster(base)
    try:
        instance.init()
        instance.start()
        instance.create_database()
        yield instance
    finally:
        instance.stop()
        shutil.rmtree(base, ignore_errors=True)


def _manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)


CREATE_EDITOR = f"""
import django; django.setup()
from django.contrib.auth.models import Group, User
from content.editorial.roles import EDITOR
user = User.objects.create_user({EDITOR!r}, password={PASSWORD!r}, is_staff=True)
user.groups.add(Group.objects.get(name=EDITOR))
"""


@pytest.fixture
def served(cluster, tmp_path):
    """BoneCare on the throwaway cluster under gunicorn as `make run` starts it; yields (port, server, cluster)."""
    # Readers in a loop from one address go far past the anonymous rate limit; this test is about the database.
    env = {**os.environ, "DATABASE_URL": cluster.url, "DJANGO_SETTINGS_MODULE": "bonecare.settings",
           "DJANGO_LOG_LEVEL": "ERROR", "BONECARE_ANONYMOUS_LIMIT": "1000000"}
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_content", "-v0")
    subprocess.run([sys.executable, "-c", CREATE_EDITOR], cwd=ROOT, env=env, check=True, timeout=120)
    port = free_port()
    with open(tmp_path / "gunicorn.log", "wb") as log:
        server = start_command(make_run_gunicorn_command(port), port, env, log=log)
    try:
        yield port, server, cluster
    finally:
        stop(server)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we want to see, not follow


class Editor:
    """An editor in the admin, with their own log-in session, saving new glossary terms through the add form."""

    def __init__(self, port, name):
        self.base = f"http://{HOST}:{port}"
        self.name = name
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=15) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def log_in(self):
        status, _headers, page = self.request("/admin/login/")
        assert status == 200, status
        fields = form_fields(page, "login-form")
        fields.update(username=EDITOR, password=PASSWORD, next="/admin/")
        status, headers, _page = self.request("/admin/login/", fields)
        assert status == 302 and headers.get("Location") == "/admin/", (status, headers)

    def add_term(self, slug):
        """(status of the save, whether the admin confirmed it): GET the add form, fill it, POST it back."""
        status, _headers, page = self.request("/admin/content/glossaryterm/add/")
        if status != 200:
            return status, False, page
        fields = form_fields(page, "glossaryterm_form")
        fields.update(slug=slug, term_en=f"Term {slug}", definition_en=f"Definition of {slug}.",
                      plain_definition_en=f"Plain definition of {slug}.")
        status, headers, page = self.request("/admin/content/glossaryterm/add/", fields)
        confirmed = status == 302 and headers.get("Location", "").rstrip("/").endswith("/admin/content/glossaryterm")
        return status, confirmed, page


def _read(port, path):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=15) as response:
            status, headers, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, dict(error.headers), error.read()
    except OSError as error:
        status, headers, body = f"socket error: {error}", {}, b""
    return status, headers, body, time.monotonic() - started


def test_postgresql_stopped_and_started_under_load(served):
    port, server, cluster = served
    events = []  # (kind, started, finished, status, detail)
    lock = threading.Lock()
    stopping = threading.Event()

    def record(*event):
        with lock:
            events.append(event)

    def reader(number):
        count = 0
        while not stopping.is_set():
            path = READ_PATHS[count % len(READ_PATHS)]
            count += 1
            started = time.monotonic()
            status, headers, body, _seconds = _read(port, path)
            detail = ""
            if status == 503:
                detail = json.loads(body)["error"]["code"] + f" Retry-After={headers.get('Retry-After')}"
            record("read", started, time.monotonic(), status, detail)
            time.sleep(0.02)

    acknowledged, attempted = [], []

    editors = []
    for number in range(2):
        editors.append(Editor(port, f"writer-{number}"))
        editors[-1].log_in()
    warm_up = {path: _read(port, path)[0] for path in READ_PATHS}  # first renders, stored answers
    assert set(warm_up.values()) == {200}, warm_up

    def writer(number):
        editor = editors[number]
        count = 0
        while not stopping.is_set():
            count += 1
            slug = f"fault-{number}-{count}"
            started = time.monotonic()
            try:
                status, confirmed, page = editor.add_term(slug)
            except OSError as error:
                status, confirmed, page = f"socket error: {error}", False, ""
            attempted.append(slug)
            if confirmed:
                acknowledged.append(slug)
            detail = "confirmed" if confirmed else ("503 page" if "Try again in" in page else page[:200])
            record("write", started, time.monotonic(), status, detail)
            time.sleep(0.1)

    workers_before = _children(server.pid)
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(4)
        down_at = time.monotonic()
        cluster.stop("immediate")
        stopped_at = time.monotonic()
        time.sleep(DOWN_SECONDS)
        # The window of "down" ends here: PostgreSQL may accept connections before pg_ctl returns.
        restart_at = time.monotonic()
        cluster.start()
        up_at = time.monotonic()
        recovered_at = _wait_for_recovery(events, lock, up_at)
        time.sleep(3)
    finally:
        stopping.set()
        for thread in threads:
            thread.join(timeout=30)

    timeline = _summary(events, down_at, stopped_at, restart_at, up_at, recovered_at)
    print(timeline)
    before = [e for e in events if e[2] < down_at]
    down = [e for e in events if e[1] > stopped_at + 0.5 and e[2] < restart_at]
    after = [e for e in events if recovered_at is not None and e[1] > recovered_at + 0.5]

    assert recovered_at is not None, f"no 200 within {RECOVERY_LIMIT_SECONDS} s of PostgreSQL starting again\n{timeline}"
    assert before and down and after, timeline
    assert {e[3] for e in before if e[0] == "read"} == {200}, timeline
    assert any(e[0] == "write" and e[4] == "confirmed" for e in before), timeline
    # While it is down: every answer is a 503 saying so (JSON with Retry-After on the API, a page in the admin),
    # never a 500, never a hang.
    assert {e[3] for e in down} == {503}, timeline
    assert all(e[4] == "service_unavailable Retry-After=30" for e in down if e[0] == "read"), timeline
    assert all(e[4] == "503 page" for e in down if e[0] == "write"), timeline
    assert max(e[2] - e[1] for e in down) < SLOW_ANSWER_LIMIT_SECONDS, timeline
    # Nothing but 200, 302 and 503 at any moment, including requests in flight when it stopped.
    assert {e[3] for e in events} <= {200, 302, 503}, timeline
    # Back without restarting the app: the same master and workers serve, reads and saves alike.
    assert {e[3] for e in after if e[0] == "read"} == {200}, timeline
    assert after and all(e[4] == "confirmed" for e in after if e[0] == "write"), timeline
    assert server.poll() is None and _children(server.pid) == workers_before, "gunicorn or a worker was restarted"
    # No acknowledged write lost, even though PostgreSQL was killed without a checkpoint.
    present = _glossary_slugs(cluster)
    lost = sorted(set(acknowledged) - present)
    assert not lost, f"acknowledged saves missing after the restart: {lost}"
    print(f"{len(acknowledged)} saves acknowledged, all present; {len(attempted) - len(acknowledged)} refused with 503")


def _wait_for_recovery(events, lock, up_at):
    deadline = up_at + RECOVERY_LIMIT_SECONDS
    while time.monotonic() < deadline:
        with lock:
            ok = [e for e in events if e[0] == "read" and e[1] >= up_at and e[3] == 200]
        if ok:
            return min(e[2] for e in ok)
        time.sleep(0.1)
    return None


def _children(pid):
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.add(int(entry))
            except OSError:
                continue
    return found


def _glossary_slugs(cluster):
    import psycopg

    with psycopg.connect(f"host={HOST} port={cluster.port} user=postgres dbname=bonecare") as connection:
        return {row[0] for row in connection.execute("SELECT slug FROM content_glossaryterm")}


def _summary(events, down_at, stopped_at, restart_at, up_at, recovered_at):
    """A readable account of the run: what each phase answered and how long the slowest answer took."""
    start = min(e[1] for e in events) if events else down_at
    lines = [f"PostgreSQL stopped at +{down_at - start:.1f} s (took {stopped_at - down_at:.1f} s), started again at "
             f"+{restart_at - start:.1f} s (ready at +{up_at - start:.1f} s), first 200 after that at "
             + (f"+{recovered_at - start:.1f} s ({recovered_at - up_at:.2f} s after start)" if recovered_at else "never")]
    phases = (("before", lambda e: e[2] < down_at), ("stopping", lambda e: down_at <= e[2] and e[1] <= stopped_at + 0.5),
              ("down", lambda e: e[1] > stopped_at + 0.5 and e[2] < restart_at),
              ("restarting", lambda e: e[2] >= restart_at and (recovered_at is None or e[1] <= recovered_at + 0.5)),
              ("after", lambda e: recovered_at is not None and e[1] > recovered_at + 0.5))
    for name, belongs in phases:
        for kind in ("read", "write"):
            chosen = [e for e in events if e[0] == kind and belongs(e)]
            if chosen:
                statuses = {}
                for e in chosen:
                    statuses[e[3]] = statuses.get(e[3], 0) + 1
                slowest = max(e[2] - e[1] for e in chosen)
                odd = sorted({e[4] for e in chosen if e[3] not in (200, 302, 503)})[:3]
                lines.append(f"  {name:10} {kind:5} {len(chosen):4} requests {statuses} slowest {slowest:.2f} s"
                             + (f" odd: {odd}" if odd else ""))
    return "\n".join(lines)

"""A slow partner never holds other partners' deliveries (issue 21, point 4).

The worker hands each attempt to a bounded pool of threads and takes the next
task at once, and an endpoint has at most one attempt in flight, so three
partners that never answer in time, each with several events queued, leave
a fast partner's events (queued after theirs) to be delivered straight away.
"""

import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.factories import make_article
from tests.webhooks.receiver import Receiver
from webhooks import tasks
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 2
SLOW_PARTNERS = 3
EVENTS = 3


@pytest.fixture(autouse=True)
def pooled_worker(settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = []
    settings.WEBHOOKS_TIMEOUT = DEADLINE
    settings.WEBHOOKS_CONCURRENT_ATTEMPTS = 8
    yield
    stop = time.monotonic() + DEADLINE + 1
    while tasks._lines and time.monotonic() < stop:  # no attempt of this test's left running into the next
        time.sleep(0.05)


def run_worker_until_done(limit=30):
    """The real worker loop (batch mode), run again until every delivery has its outcome."""
    stop = time.monotonic() + limit
    while time.monotonic() < stop:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
        if not Delivery.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]).exists():
            return
        time.sleep(0.05)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the pool's threads cannot open the in-memory test database; "
                    "test_on_an_sqlite_file_like_make_run covers SQLite")
def test_slow_partners_never_hold_a_fast_partner_s_deliveries():
    slow = [Receiver(delay=DEADLINE + 1.5) for _ in range(SLOW_PARTNERS)]
    with Receiver() as fast:
        for receiver in slow:
            receiver.__enter__()
        try:
            for number, receiver in enumerate(slow):
                Endpoint.objects.create(name=f"A slow partner {number}", url=receiver.url)
            Endpoint.objects.create(name="Z fast partner", url=fast.url)  # after the slow ones in each change
            for number in range(EVENTS):
                make_article(f"a{number}")
            started = time.monotonic()
            run_worker_until_done()
            finished = time.monotonic() - started
        finally:
            for receiver in slow:
                receiver.__exit__()
    waited = [round(at - started, 1) for at in fast.answer_times]
    assert len(waited) == EVENTS, waited
    assert max(waited) < 1.5, f"the fast partner's deliveries arrived after {waited} s"
    fast_statuses = set(Delivery.objects.filter(endpoint__url=fast.url).values_list("status", flat=True))
    assert fast_statuses == {Delivery.Status.SUCCEEDED}
    slow_deliveries = Delivery.objects.exclude(endpoint__url=fast.url)
    assert set(slow_deliveries.values_list("status", flat=True)) == {Delivery.Status.FAILED}
    assert_one_attempt_at_a_time(slow)
    assert finished < EVENTS * DEADLINE + 4, f"the slow partners took {finished:.1f} s in all"


# `make run`'s worker on its SQLite file: each pool thread opens the file itself, beside the worker's own writes.
_DJANGO = "import sys, django; from django.conf import settings; django.setup(); "
_SETUP = _DJANGO + (
    "from tests.factories import make_article; from webhooks.models import Endpoint; "
    "[Endpoint.objects.create(name=f'{i} partner', url=url) for i, url in enumerate(sys.argv[1:])]; "
    f"[make_article(f'a{{n}}') for n in range({EVENTS})]"
)
_WORKER = _DJANGO + (
    f"settings.WEBHOOKS_TIMEOUT = {DEADLINE}; settings.WEBHOOKS_RETRY_SCHEDULE = []; "
    "from django.core.management import call_command; "
    "call_command('db_worker', '--no-reload', '--no-startup-delay', '--interval', '0.1')"
)


def test_on_an_sqlite_file_like_make_run(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "BONECARE_STATE_DIR": str(tmp_path / "state"),
           "WEBHOOKS_CONCURRENT_ATTEMPTS": "8"}
    env.pop("BONECARE_ENV", None)
    python, root = sys.executable, settings.BASE_DIR
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=root, env=env, check=True)
    slow = [Receiver(delay=DEADLINE + 1.5) for _ in range(SLOW_PARTNERS)]
    with Receiver() as fast:
        for receiver in slow:
            receiver.__enter__()
        try:
            # Names sort the slow partners first, so each change queues their deliveries before the fast one's.
            subprocess.run([python, "-c", _SETUP, *(r.url for r in slow), fast.url], cwd=root, env=env, check=True)
            started = time.monotonic()
            worker = subprocess.Popen([python, "-c", _WORKER], cwd=root, env=env)
            try:
                stop = started + EVENTS * DEADLINE + 6
                while time.monotonic() < stop and sum(len(r.requests) for r in slow) < SLOW_PARTNERS * EVENTS:
                    time.sleep(0.1)
            finally:
                worker.terminate()
                worker.wait(timeout=DEADLINE + 5)
        finally:
            for receiver in slow:
                receiver.__exit__()
    waited = [round(at - started, 1) for at in fast.answer_times]
    assert len(waited) == EVENTS, waited
    # The worker process starts in about a second; the fast partner waits for no slow one.
    assert max(waited) < 3, f"the fast partner's deliveries arrived after {waited} s"
    assert_one_attempt_at_a_time(slow)
    with sqlite3.connect(database) as db:
        statuses = dict(db.execute(
            "SELECT e.url, group_concat(DISTINCT d.status) FROM webhooks_delivery d "
            "JOIN webhooks_endpoint e ON e.id = d.endpoint_id GROUP BY e.url"))
    assert statuses == {fast.url: "succeeded", **{r.url: "failed" for r in slow}}


def assert_one_attempt_at_a_time(slow):
    """Each slow partner got its events one after another (a deadline apart), in the order of the changes."""
    for receiver in slow:
        assert len(receiver.requests) == EVENTS
        gaps = [later - earlier for earlier, later in zip(receiver.request_times, receiver.request_times[1:])]
        assert min(gaps) > DEADLINE - 0.3, gaps
        ids = [json.loads(body)["data"]["change_log_id"] for _headers, body in receiver.requests]
        assert ids == sorted(ids)

"""Each attempt has one overall deadline, so a slow receiver is cut off and never holds other partners for longer.

Report D5: the timeout limited each socket read, so a receiver trickling a
byte every few seconds kept an attempt (and the only worker) for minutes and
was then recorded as succeeded.
"""

import socket
import threading
import time

import pytest
from django.core.management import call_command

from tests.factories import make_article
from tests.webhooks.receiver import Receiver
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 1.0
BYTE_EVERY = 0.3  # well under the deadline: a per-read timeout never fires


@pytest.fixture(autouse=True)
def short_deadline(settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = []
    settings.WEBHOOKS_TIMEOUT = DEADLINE


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


class Trickler:
    """A receiver on a free loopback port that answers one byte at a time, `BYTE_EVERY` apart."""

    def __init__(self, answer):
        self.answer = answer
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/hooks/"
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        self.server.settimeout(0.1)
        while not self.stop.is_set():
            try:
                connection, _address = self.server.accept()
            except OSError:
                continue
            threading.Thread(target=self._trickle, args=(connection,), daemon=True).start()

    def _trickle(self, connection):
        with connection:
            try:
                connection.recv(65536)
                for byte in self.answer:
                    if self.stop.is_set():
                        return
                    connection.sendall(bytes([byte]))
                    time.sleep(BYTE_EVERY)
            except OSError:
                return  # cut off by the sender

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.server.close()


TRICKLED_BODY = b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n" + b"x" * 20
TRICKLED_HEADERS = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: 1\r\n" * 20 + b"Content-Length: 2\r\n\r\nok"


@pytest.mark.parametrize("answer", [TRICKLED_BODY, TRICKLED_HEADERS], ids=["body", "headers"])
def test_a_trickling_receiver_is_cut_off_at_the_deadline_and_recorded_as_failed(answer):
    with Trickler(answer) as trickler:
        Endpoint.objects.create(name="Slow", url=trickler.url)
        make_article("a")
        started = time.monotonic()
        run_worker()
        took = time.monotonic() - started
    delivery = Delivery.objects.get()
    assert took < DEADLINE + 1.5, f"the attempt took {took:.1f} s"
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.delivered_at is None
    assert "did not answer in full within 1 s" in delivery.last_error


def test_a_slow_receiver_delays_another_partner_by_at_most_the_deadline():
    with Trickler(TRICKLED_BODY) as slow, Receiver() as fast:
        Endpoint.objects.create(name="A slow partner", url=slow.url)  # its delivery comes first in the queue
        Endpoint.objects.create(name="B fast partner", url=fast.url)
        make_article("a")
        started = time.monotonic()
        run_worker()
    outcomes = {d.endpoint.name: (d.status, d.last_error) for d in Delivery.objects.select_related("endpoint")}
    assert outcomes["A slow partner"][0] == Delivery.Status.FAILED, outcomes
    assert outcomes["B fast partner"] == (Delivery.Status.SUCCEEDED, ""), outcomes
    fast_answered = fast.answered_at - started
    assert fast_answered < DEADLINE + 1.5, f"the fast partner waited {fast_answered:.1f} s"

"""One attempt at a delivery: claim the row, POST the signed body, record what happened.

Idempotence: an attempt first claims its row with one conditional UPDATE
(pending or sending, and due). A succeeded row is never claimed again, so a
duplicate task, a second worker or a re-run changes nothing. The one
at-least-once window: a worker that dies after the receiver answered but
before the result is recorded leaves the row "sending"; once its lease ends
it is attempted again, with the same webhook-id, which receivers use to drop
repeats.
"""

import http.client
import random
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from webhooks.models import Delivery, Endpoint
from webhooks.signing import signed_headers
from webhooks.url_safety import UrlRefused, addresses_to_dial

ANSWER_READ_LIMIT = 4000  # bytes of the receiver's answer read at most
SUMMARY_LENGTH = 200  # characters of a plain-text or JSON answer kept for the delivery log
# Answers whose start is kept (on one line, printable characters only): what a receiver writes to explain a
# refusal. Any other body (an HTML page, say, from whatever answered) is only described, never kept or shown.
_SUMMARISED_TYPES = {"text/plain", "application/json"}


@dataclass
class Outcome:
    status_code: int | None = None
    response: str = ""
    error: str = ""

    @property
    def succeeded(self):
        return not self.error and self.status_code is not None and 200 <= self.status_code < 300


def lease():
    """How long a claimed row stays "sending" before another worker may take it over."""
    return timedelta(seconds=2 * settings.WEBHOOKS_TIMEOUT + 30)


def claim(delivery_id):
    """Take the delivery for one attempt if it is due: the claimed row, else the status it was left in (or None).

    One conditional UPDATE, so only one worker (or pool thread) wins a row.
    """
    now = timezone.now()
    due = Delivery.objects.filter(
        pk=delivery_id, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING], next_attempt_at__lte=now
    )
    if due.filter(endpoint__enabled=False).update(
        status=Delivery.Status.FAILED, next_attempt_at=None, last_error=_("Not sent: the endpoint is disabled.")
    ):
        return Delivery.Status.FAILED
    claimed = due.update(
        status=Delivery.Status.SENDING, next_attempt_at=now + lease(), attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("endpoint").get(pk=delivery_id)


def send_claimed(delivery):
    """POST a claimed delivery and record the outcome: succeeded, pending with its next attempt due, or failed.

    The caller queues the next attempt of a pending one (webhooks/tasks.py): sending knows nothing of the queue.
    """
    outcome = post(delivery.endpoint, delivery.message_id, delivery.body)
    if outcome.succeeded:
        _record(delivery, Delivery.Status.SUCCEEDED, outcome, delivered_at=timezone.now())
        Endpoint.objects.filter(pk=delivery.endpoint_id).update(consecutive_failures=0, failing_since=None)
        return Delivery.Status.SUCCEEDED
    _count_failure(delivery.endpoint)
    retries = settings.WEBHOOKS_RETRY_SCHEDULE
    if delivery.attempts <= len(retries):
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=with_jitter(retries[delivery.attempts - 1]))
        _record(delivery, Delivery.Status.PENDING, outcome, next_attempt_at=delivery.next_attempt_at)
        return Delivery.Status.PENDING
    _record(delivery, Delivery.Status.FAILED, outcome)
    return Delivery.Status.FAILED


def with_jitter(seconds):
    """Up to 10 % more, so endpoints that failed together are not retried in lockstep."""
    return seconds * (1 + random.random() * 0.1)


def post(endpoint, message_id, body):
    """POST the body, signed, to an address checked for this attempt, and give up at one overall deadline.

    `WEBHOOKS_TIMEOUT` bounds the whole attempt (connecting, sending, the
    answer's headers and the part of its body that is read), not each read:
    a receiver that trickles its answer is cut off when the time is up and
    the attempt fails, so it holds a worker no longer than that. Redirects
    are answers (3xx, a failure), never followed: they could lead anywhere.
    """
    seconds = settings.WEBHOOKS_TIMEOUT
    deadline = time.monotonic() + seconds
    try:
        parts, port, addresses = addresses_to_dial(endpoint.url)
    except UrlRefused as refusal:
        return Outcome(error=str(refusal))
    headers = {"Content-Type": "application/json", "User-Agent": "BoneCare-Webhooks/1", "Connection": "close",
               **signed_headers(endpoint.secret, message_id, body)}
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _PinnedConnection(parts.scheme, parts.hostname, port, addresses, deadline)
    watchdog = threading.Timer(seconds, connection.cut_off)
    watchdog.start()
    try:
        connection.request("POST", target, body=body.encode(), headers=headers)
        response = connection.getresponse()
        answer = response.read(ANSWER_READ_LIMIT)
        outcome = Outcome(status_code=response.status, response=summary(response.getheader("Content-Type"), answer))
    except (OSError, http.client.HTTPException, ValueError) as error:
        outcome = Outcome(error=f"{type(error).__name__}: {error}"[:500])
    finally:
        watchdog.cancel()
        connection.close()
    if connection.cut or time.monotonic() > deadline:
        outcome.error = _("The receiver did not answer in full within %(seconds)s s: timed out.") % {"seconds": f"{seconds:g}"}
    return outcome


class _PinnedConnection:
    """One HTTP(S) connection to addresses already checked (never resolved again), ended at the deadline."""

    def __init__(self, scheme, host, port, addresses, deadline):
        self.addresses, self.deadline, self.cut = addresses, deadline, False
        # A second handle on the connected socket: shutting it down ends the connection under any wait,
        # the TLS handshake included (the socket object itself changes hands when TLS wraps it).
        self.handle = None
        if scheme == "https":
            self.http = http.client.HTTPSConnection(host, port, timeout=self.remaining(), context=ssl.create_default_context())
        else:
            self.http = http.client.HTTPConnection(host, port, timeout=self.remaining())
        self.http.connect = self.connect

    def remaining(self):
        return max(self.deadline - time.monotonic(), 0.001)

    def connect(self):
        error = None
        for family, sockaddr in self.addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.remaining())
                sock.connect(sockaddr)
                break
            except OSError as exc:
                sock.close()
                error = exc
        else:
            raise error or OSError(_("No address to connect to."))
        self.handle = sock.dup()
        if self.cut:  # the deadline passed while connecting
            sock.close()
            raise TimeoutError(_("timed out"))
        if isinstance(self.http, http.client.HTTPSConnection):
            # The certificate is checked against the URL's host name, whatever address was dialled.
            sock = self.http._context.wrap_socket(sock, server_hostname=self.http.host)
        self.http.sock = sock

    def cut_off(self):
        """Called by the watchdog at the deadline: end the connection under whatever read or write is waiting."""
        self.cut = True
        handle = self.handle
        if handle is not None:
            try:
                handle.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def request(self, *args, **kwargs):
        self.http.request(*args, **kwargs)

    def getresponse(self):
        return self.http.getresponse()

    def close(self):
        self.http.close()
        if self.handle is not None:
            self.handle.close()


def summary(content_type, answer):
    """What the delivery log keeps of an answer: the start of a plain-text or JSON one, on one line; else its size and type."""
    if not answer:
        return ""
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if declared in _SUMMARISED_TYPES or declared.endswith("+json"):
        text = " ".join("".join(c for c in answer.decode("utf-8", "replace") if c.isprintable() or c.isspace()).split())
        return text if len(text) <= SUMMARY_LENGTH else text[:SUMMARY_LENGTH] + "…"
    size = f"{len(answer)}+" if len(answer) >= ANSWER_READ_LIMIT else str(len(answer))
    return _("(%(size)s bytes of %(type)s, not kept)") % {"size": size, "type": declared or _("an undeclared type")}


def _record(delivery, status, outcome, **fields):
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status, last_status_code=outcome.status_code, last_response=outcome.response,
        last_error=outcome.error, **({"next_attempt_at": None} | fields),
    )


def _count_failure(endpoint):
    """One more failed attempt in a row; disable the endpoint once the failures are both many and old enough."""
    now = timezone.now()
    Endpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1, failing_since=Coalesce(F("failing_since"), now)
    )
    endpoint.refresh_from_db(fields=["consecutive_failures", "failing_since", "enabled"])
    old_enough = endpoint.failing_since <= now - timedelta(seconds=settings.WEBHOOKS_DISABLE_AFTER)
    if endpoint.enabled and endpoint.consecutive_failures >= settings.WEBHOOKS_DISABLE_AFTER_FAILURES and old_enough:
        Endpoint.objects.filter(pk=endpoint.pk, enabled=True).update(
            enabled=False, disabled_at=now,
            disabled_reason=_("%(count)s attempts in a row failed since %(since)s.") % {
                "count": endpoint.consecutive_failures, "since": endpoint.failing_since.strftime("%Y-%m-%d %H:%M UTC")},
        )

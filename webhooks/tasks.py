"""The task the queue runs: one attempt at one delivery, at the time the Delivery row says.

The worker runs tasks one at a time, so the task does not wait for the
partner: it claims the row (a quick UPDATE) and hands the POST to a bounded
pool of threads in this process (`WEBHOOKS_CONCURRENT_ATTEMPTS`), then
returns, and the worker takes the next task (when every thread is busy, it
waits for one before claiming). An endpoint has at most one
attempt in flight here: a delivery due while its endpoint is busy waits in
that endpoint's line, unclaimed, and is attempted (in the order its task
ran) when the attempt before it ends. So a slow partner holds one thread at
most, never the worker or other partners.

A process that dies loses nothing: a claimed row is attempted again when its
lease ends, and a delivery waiting in a line keeps its "pending" row and a
fallback task for when that lease would have ended.
"""

import logging
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import task

from webhooks import sending
from webhooks.models import Delivery

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_slot_freed = threading.Condition(_lock)
_pool = None
_lines = {}  # endpoint id -> deque of delivery ids waiting behind the attempt in flight to that endpoint


@task()
def attempt_delivery(delivery_id):
    if settings.WEBHOOKS_CONCURRENT_ATTEMPTS <= 0:
        return attempt(delivery_id)
    due = Delivery.objects.filter(
        pk=delivery_id, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING], next_attempt_at__lte=timezone.now()
    )
    endpoint_id = due.values_list("endpoint_id", flat=True).first()
    if endpoint_id is None:  # sent, given up, or not due yet (its own task comes then)
        return None
    with _slot_freed:
        # Claim only when a thread is free to send at once: a claimed row never sits in a queue while its lease runs.
        while endpoint_id not in _lines and len(_lines) >= settings.WEBHOOKS_CONCURRENT_ATTEMPTS:
            _slot_freed.wait(timeout=1)
        line = _lines.get(endpoint_id)
        if line is not None:
            line.append(delivery_id)
        else:
            _lines[endpoint_id] = deque()  # this endpoint's slot, taken before the claim
    if line is not None:
        # If this process dies before the line reaches it, this task attempts it instead.
        attempt_delivery.using(run_after=timezone.now() + sending.lease() + timedelta(seconds=1)).enqueue(delivery_id)
        return "waiting"
    try:
        claimed = sending.claim(delivery_id)
    except BaseException:
        _free_slot(endpoint_id)
        raise
    if not isinstance(claimed, Delivery):
        _free_slot(endpoint_id)
        return claimed
    _attempts().submit(_send_in_line, endpoint_id, claimed).add_done_callback(_log_failure)
    return Delivery.Status.SENDING


def _attempts():
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(settings.WEBHOOKS_CONCURRENT_ATTEMPTS, thread_name_prefix="webhook-attempt")
        return _pool


def _free_slot(endpoint_id):
    """The endpoint's attempt is over: its slot goes to whichever task waits for one; returns what was in line."""
    with _slot_freed:
        line = _lines.pop(endpoint_id, deque())
        _slot_freed.notify_all()
    return line


def _log_failure(future):
    if future.exception() is not None:
        logger.error("A webhook attempt failed unexpectedly", exc_info=future.exception())


def _send_in_line(endpoint_id, delivery):
    """In a pool thread: this attempt, then each delivery that queued behind it for the same endpoint."""
    try:
        while True:
            if delivery is not None:
                send(delivery)
            with _slot_freed:
                line = _lines[endpoint_id]
                # A worker stopping finishes the attempts under way, not the lines: those keep their tasks.
                if not line or not threading.main_thread().is_alive():
                    # Closed in the same hold of the lock that found it empty, so no task joins a closed line.
                    del _lines[endpoint_id]
                    _slot_freed.notify_all()
                    return
                delivery_id = line.popleft()
            claimed = sending.claim(delivery_id)  # it may have been sent meanwhile (resend, another worker)
            delivery = claimed if isinstance(claimed, Delivery) else None
    except BaseException:
        line = _free_slot(endpoint_id)
        for waiting in line:  # the fallback tasks are still queued; these are not lost
            attempt_delivery.enqueue(waiting)
        raise
    finally:
        # Each thread's own connection: closed, so a pool never holds connections the database needs.
        connection.close()


def attempt(delivery_id):
    """Make one attempt if the delivery is due; return its status afterwards (or None when nothing was due)."""
    claimed = sending.claim(delivery_id)
    if not isinstance(claimed, Delivery):
        return claimed
    return send(claimed)


def send(delivery):
    """Send a claimed delivery; when it is to be tried again, queue that attempt for when it is due."""
    status = sending.send_claimed(delivery)
    if status == Delivery.Status.PENDING:
        wake_worker(delivery)
    return status


def wake_worker(delivery):
    """Enqueue an attempt for when the delivery is next due (a task for a row already handled does nothing)."""
    attempt_delivery.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)

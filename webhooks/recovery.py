"""What people and restarts do to get deliveries going again: resend, re-enable, requeue what is due."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from webhooks.models import Delivery
from webhooks.tasks import wake_worker


def resend(deliveries):
    """Send these deliveries again now, with a fresh retry schedule and the same webhook-id and body.

    Deliveries to a disabled endpoint are left alone; returns the ones queued.
    """
    queued = list(deliveries.filter(endpoint__enabled=True).exclude(status=Delivery.Status.SENDING))
    now = timezone.now()
    with transaction.atomic():
        for delivery in queued:
            delivery.status, delivery.attempts, delivery.next_attempt_at = Delivery.Status.PENDING, 0, now
            delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
            transaction.on_commit(partial(wake_worker, delivery))
    return queued


# An endpoint turned on again starts with a clean failure count.
ENABLED_AFRESH = {"enabled": True, "disabled_at": None, "disabled_reason": "", "consecutive_failures": 0, "failing_since": None}


def reenable(endpoints):
    """Turn disabled endpoints on again; returns how many were changed."""
    return endpoints.filter(enabled=False).update(**ENABLED_AFRESH)


def requeue_due():
    """Enqueue an attempt for every delivery that is pending or whose "sending" lease ran out.

    Run when a worker starts: tasks lost with a crashed worker are replaced.
    A duplicate of a task still queued is harmless (see webhooks/sending.py).
    """
    stalled = Delivery.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])
    count = 0
    for delivery in stalled.only("pk", "next_attempt_at").iterator():
        wake_worker(delivery)
        count += 1
    return count

"""The task the queue runs: one attempt at one delivery, at the time the Delivery row says."""

from django_tasks import task

from webhooks import sending


@task()
def attempt_delivery(delivery_id):
    return sending.attempt(delivery_id)


def wake_worker(delivery):
    """Enqueue an attempt for when the delivery is next due (a task for a row already handled does nothing)."""
    attempt_delivery.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)

"""One attempt at a delivery: claim the row, POST the signed body, record what happened.

Idempotence: an attempt first claims its row with one conditional UPDATE
(pending or sending, and due). A succeeded row is never claimed again, so a
duplicate task, a second worker or a re-run changes nothing. The one
at-least-once window: a worker that dies after the receiver answered but
before the result is recorded leaves the row "sending"; once its lease ends
it is attempted again, with the same webhook-id, which receivers use to drop
repeats.
"""

import random
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from webhooks.models import Delivery, Endpoint
from webhooks.signing import signed_headers
from webhooks.url_safety import url_refusal

RESPONSE_EXCERPT = 1000  # characters of the receiver's answer kept for the delivery log


@dataclass
class Outcome:
    status_code: int | None = None
    response: str = ""
    error: str = ""

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer (3xx, a failure), never followed: it could lead anywhere."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def lease():
    """How long a claimed row stays "sending" before another worker may take it over."""
    return timedelta(seconds=2 * settings.WEBHOOKS_TIMEOUT + 30)


def attempt(delivery_id):
    """Make one attempt if the delivery is due; return its status afterwards (or None when nothing was due)."""
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
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
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
        from webhooks.tasks import wake_worker

        wake_worker(delivery)
        return Delivery.Status.PENDING
    _record(delivery, Delivery.Status.FAILED, outcome)
    return Delivery.Status.FAILED


def with_jitter(seconds):
    """Up to 10 % more, so endpoints that failed together are not retried in lockstep."""
    return seconds * (1 + random.random() * 0.1)


def post(endpoint, message_id, body):
    """POST the body, signed, with a timeout and without following redirects."""
    refusal = url_refusal(endpoint.url)
    if refusal:
        return Outcome(error=refusal)
    headers = {"Content-Type": "application/json", "User-Agent": "BoneCare-Webhooks/1",
               **signed_headers(endpoint.secret, message_id, body)}
    request = urllib.request.Request(endpoint.url, data=body.encode(), headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=settings.WEBHOOKS_TIMEOUT) as response:
            return Outcome(status_code=response.status, response=_excerpt(response))
    except urllib.error.HTTPError as error:
        return Outcome(status_code=error.code, response=_excerpt(error))
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Outcome(error=f"{type(reason).__name__}: {reason}"[:500])


def _excerpt(response):
    try:
        return response.read(RESPONSE_EXCERPT * 4).decode("utf-8", "replace")[:RESPONSE_EXCERPT]
    except OSError:
        return ""


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
